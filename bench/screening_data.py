"""The synthetic ideas of bench/screening.py: Zipf-sampled words from per-language templates
(then made-up names), grouped so that every member of a group paraphrases one idea (a word
dropped, two words swapped, a typo, case and punctuation, a polite prefix; Vietnamese loses
its diacritics a third of the time). Members of a group are the labelled duplicates. Imported by bench/screening.py, which puts
src/ on the path."""

import random

import numpy as np

from tolpa.screening.text import normalize

GROUP_SIZES = (1, 2, 3, 4, 5)
GROUP_WEIGHTS = (0.4, 0.3, 0.15, 0.1, 0.05)
TEMPLATES = {
    "en": (
        [
            "Install",
            "Build",
            "Add",
            "Repair",
            "Open",
            "Create",
            "Plant",
            "Renovate",
            "Launch",
            "Organise",
            "Upgrade",
            "Fund",
        ],
        [
            "solar panels",
            "a bike-sharing scheme",
            "street lights",
            "a playground",
            "benches",
            "a dog park",
            "recycling bins",
            "a skate park",
            "a public library",
            "water fountains",
            "bus shelters",
            "a farmers market",
            "free wifi",
            "a community garden",
            "speed bumps",
            "cycle lanes",
            "public toilets",
            "a running track",
            "trees",
            "a youth centre",
            "wheelchair ramps",
            "electric car chargers",
            "an ice rink",
            "an open-air stage",
            "outdoor gym equipment",
        ],
        [
            "in the central park",
            "near the school",
            "on Main Street",
            "by the river",
            "at the train station",
            "in the old town",
            "next to the hospital",
            "around the stadium",
            "in every district",
            "at the city square",
            "in residential courtyards",
            "along the embankment",
            "near the clinic",
            "in the new neighbourhood",
            "in front of the town hall",
        ],
        [
            "for children",
            "for elderly residents",
            "this summer",
            "before winter",
            "with local volunteers",
            "using recycled materials",
            "from the city budget",
            "",
        ],
        ["Please", "Idea:", "Proposal:"],
        "on {} Street",
        [
            "ash",
            "bel",
            "bram",
            "clif",
            "dale",
            "elm",
            "fern",
            "glen",
            "hart",
            "holm",
            "kings",
            "lang",
            "mar",
            "north",
            "oak",
            "pen",
            "ross",
            "shel",
            "stan",
            "thorn",
            "wal",
            "west",
            "wick",
            "win",
            "york",
        ],
        [
            "ton",
            "field",
            "wood",
            "ford",
            "ley",
            "bury",
            "worth",
            "ham",
            "ridge",
            "brook",
            "dale",
            "gate",
            "hurst",
            "mere",
            "well",
            "stead",
            "croft",
            "side",
            "moor",
            "view",
        ],
    ),
    "ru": (
        [
            "Установить",
            "Построить",
            "Добавить",
            "Отремонтировать",
            "Открыть",
            "Создать",
            "Посадить",
            "Обновить",
            "Запустить",
            "Организовать",
            "Благоустроить",
            "Сделать",
        ],
        [
            "солнечные панели",
            "прокат велосипедов",
            "уличные фонари",
            "детскую площадку",
            "скамейки",
            "площадку для собак",
            "контейнеры для раздельного сбора",
            "скейт-парк",
            "публичную библиотеку",
            "питьевые фонтанчики",
            "остановки автобуса",
            "фермерский рынок",
            "бесплатный wi-fi",
            "общественный огород",
            "лежачих полицейских",
            "велодорожки",
            "общественные туалеты",
            "беговую дорожку",
            "деревья",
            "молодёжный центр",
            "пандусы для колясок",
            "зарядки для электромобилей",
            "каток",
            "летнюю сцену",
            "уличные тренажёры",
        ],
        [
            "в центральном парке",
            "возле школы",
            "на главной улице",
            "у реки",
            "на вокзале",
            "в старом городе",
            "рядом с больницей",
            "около стадиона",
            "в каждом районе",
            "на городской площади",
            "во дворах",
            "на набережной",
            "у поликлиники",
            "в новом микрорайоне",
            "перед администрацией",
        ],
        [
            "для детей",
            "для пожилых жителей",
            "этим летом",
            "до зимы",
            "силами волонтёров",
            "из переработанных материалов",
            "за счёт бюджета",
            "",
        ],
        ["Предлагаю", "Идея:", "Прошу"],
        "на улице {}",
        [
            "бел",
            "вер",
            "гор",
            "дуб",
            "жук",
            "зар",
            "кал",
            "лес",
            "мир",
            "нов",
            "озер",
            "пес",
            "роз",
            "сос",
            "тих",
            "ус",
            "фил",
            "хол",
            "чер",
            "шир",
            "яр",
            "лип",
            "мал",
            "сад",
        ],
        [
            "ова",
            "ева",
            "ина",
            "ская",
            "ная",
            "кова",
            "цева",
            "рова",
            "лова",
            "нова",
            "дина",
            "мина",
            "сова",
            "това",
        ],
    ),
    "vi": (
        [
            "Lắp đặt",
            "Xây dựng",
            "Thêm",
            "Sửa chữa",
            "Mở",
            "Tạo",
            "Trồng",
            "Cải tạo",
            "Triển khai",
            "Tổ chức",
            "Nâng cấp",
            "Làm",
        ],
        [
            "tấm pin mặt trời",
            "dịch vụ xe đạp công cộng",
            "đèn đường",
            "sân chơi trẻ em",
            "ghế đá",
            "khu vui chơi cho chó",
            "thùng rác phân loại",
            "sân trượt ván",
            "thư viện công cộng",
            "vòi nước uống",
            "nhà chờ xe buýt",
            "chợ nông sản",
            "wifi miễn phí",
            "vườn rau cộng đồng",
            "gờ giảm tốc",
            "làn đường xe đạp",
            "nhà vệ sinh công cộng",
            "đường chạy bộ",
            "cây xanh",
            "trung tâm thanh niên",
            "lối đi cho xe lăn",
            "trạm sạc xe điện",
            "sân bóng mini",
            "sân khấu ngoài trời",
            "dụng cụ tập thể dục",
        ],
        [
            "ở công viên trung tâm",
            "gần trường học",
            "trên phố chính",
            "bên bờ sông",
            "tại nhà ga",
            "trong phố cổ",
            "cạnh bệnh viện",
            "quanh sân vận động",
            "ở mỗi quận",
            "tại quảng trường thành phố",
            "trong các khu dân cư",
            "dọc bờ hồ",
            "gần trạm y tế",
            "ở khu đô thị mới",
            "trước ủy ban",
        ],
        [
            "cho trẻ em",
            "cho người cao tuổi",
            "trong mùa hè này",
            "trước mùa mưa",
            "cùng tình nguyện viên",
            "bằng vật liệu tái chế",
            "bằng ngân sách thành phố",
            "",
        ],
        ["Đề xuất:", "Ý tưởng:", "Xin hãy"],
        "trên đường {}",
        [
            "Lê",
            "Trần",
            "Nguyễn",
            "Phạm",
            "Hoàng",
            "Huỳnh",
            "Võ",
            "Đặng",
            "Bùi",
            "Đỗ",
            "Hồ",
            "Ngô",
            "Dương",
            "Lý",
            "Phan",
            "Vũ",
            "Đinh",
            "Tô",
            "Mai",
            "Cao",
            "Lương",
            "Trịnh",
            "Hà",
            "Tạ",
        ],
        [
            "Lợi",
            "Hưng",
            "Phú",
            "Quang",
            "Thái",
            "Thành",
            "Minh",
            "Đức",
            "Bình",
            "An",
            "Hòa",
            "Khánh",
            "Long",
            "Nam",
            "Sơn",
            "Tâm",
            "Trung",
            "Văn",
            "Việt",
            "Xuân",
        ],
    ),
}


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    if kind == 2:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + rng.choice(word) + word[at + 1 :]


def _paraphrase(base: str, language: str, rng: random.Random) -> str:
    """One to three random edits of the kinds a second author makes."""
    words = base.split()
    for _ in range(rng.randint(1, 3)):
        edit = rng.randrange(6)
        if edit == 0 and len(words) > 4:
            del words[rng.randrange(1, len(words))]
        elif edit == 1 and len(words) > 2:
            at = rng.randrange(len(words) - 1)
            words[at], words[at + 1] = words[at + 1], words[at]
        elif edit == 2:
            at = rng.randrange(len(words))
            words[at] = _typo(words[at], rng)
        elif edit == 3:
            words = [rng.choice((str.lower, str.upper, str.capitalize))(w) for w in words]
        elif edit == 4:
            words[-1] += rng.choice(("!", "?", "...", "!!", "."))
        else:
            words.insert(0, rng.choice(TEMPLATES[language][4]))
    text = " ".join(words)
    if language == "vi" and rng.random() < 1 / 3:
        text = normalize(text, fold_accents=True)
    return text


def _lexicon(language: str, size: int, rng: random.Random) -> list[str]:
    """The template words first (the frequent head), then made-up words (the rare tail)."""
    verbs, objects, places, qualifiers, _, _, starts, ends = TEMPLATES[language]
    head = dict.fromkeys(
        word for phrase in (*verbs, *objects, *places, *qualifiers) for word in phrase.split()
    )
    joiner = " " if language == "vi" else ""
    tail = {f"{a}{joiner}{b}".lower() for a in starts for b in ends}
    tail |= {f"{a}{b}{c}".lower() for a in starts for b in ends for c in ends}
    words = list(head) + sorted(tail - set(head))
    return words[:size]


def synthetic_ideas(n: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """n idea titles and their duplicate-group labels, groups of 1-5 paraphrases.

    A base title is 5-9 words drawn Zipf-like from a lexicon whose head is the template words
    and whose tail is made-up names, so n-gram frequencies have a realistic long tail.
    """
    rng = random.Random(seed)
    lexicons = {language: _lexicon(language, 6_000, rng) for language in TEMPLATES}
    weights = {
        language: np.cumsum(1 / np.arange(1, len(words) + 1)).tolist()
        for language, words in lexicons.items()
    }
    texts, groups = [], []
    for group in range(n):
        language = rng.choice(list(TEMPLATES))
        words = rng.choices(lexicons[language], cum_weights=weights[language], k=rng.randint(5, 9))
        base = " ".join(words).capitalize()
        size = rng.choices(GROUP_SIZES, GROUP_WEIGHTS)[0]
        texts += [base] + [_paraphrase(base, language, rng) for _ in range(size - 1)]
        groups += [group] * size
        if len(texts) >= n:
            break
    order = rng.sample(range(n), n)
    return [texts[i] for i in order], np.asarray([groups[i] for i in order])
