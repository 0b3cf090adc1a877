"""Near-duplicate screening of ideas: seconds, peak memory, precision and recall on synthetic
paraphrases in English, Russian and Vietnamese. Prints markdown tables; not a test.

    .venv/bin/python bench/screening.py            # 100,000 ideas
    .venv/bin/python bench/screening.py --quick    # 10,000 ideas

Ideas come from Zipf-sampled words (template words, then made-up names) in groups: every member of a
group is a paraphrase of the same idea (a word dropped, two words swapped, a typo, case and
punctuation changes, a polite prefix; Vietnamese members lose their diacritics a third of
the time). Pairs inside a group are the labelled duplicates; ideas from different templates
that share three of the four slots are the hard negatives. The index folds accents.
Pairs come from the candidate search (MinHash LSH, then exact scores) at either size; its
recall against the exact search is printed for the labelled duplicates (whose exact scores
are cheap) and, with --quick, for all pairs, timing the exact search too (only then: it took 799 s at 100,000).
Peak memory is the tracemalloc peak (numpy and scipy buffers are traced) in a second run,
so that tracing does not slow the timed one.
"""

import argparse
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tolpa import screening
from tolpa.screening.candidates import BANDS, MINIMA, ROWS, candidate_keys
from tolpa.screening.pairs import scored_pairs
from tolpa.screening.text import normalize

THRESHOLDS = (0.5, 0.6, 0.7)
GROUP_SIZES = (1, 2, 3, 4, 5)
GROUP_WEIGHTS = (0.4, 0.3, 0.15, 0.1, 0.05)
QUERIES = 1_000
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


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _timed(run: Callable):
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def _peak_mib(run: Callable) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


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


def _labelled_pair_keys(groups: np.ndarray) -> np.ndarray:
    """i * n + j for every i < j in the same duplicate group."""
    n = len(groups)
    order = np.argsort(groups, kind="stable")
    keys = []
    for members in np.split(order, np.flatnonzero(np.diff(groups[order])) + 1):
        members = np.sort(members)
        i, j = np.triu_indices(len(members), 1)
        keys.append(members[i] * n + members[j])
    return np.concatenate(keys)


def _co_clustered(labels: np.ndarray, groups: np.ndarray) -> tuple[int, int]:
    """(pairs put together, of which labelled duplicates), without listing the pairs."""

    def together(*keys):
        _, counts = np.unique(np.stack(keys, axis=1), axis=0, return_counts=True)
        return int((counts * (counts - 1) // 2).sum())

    return together(labels), together(labels, groups)


def _quality_rows(index, pairs, groups) -> None:
    n = len(groups)
    truth = _labelled_pair_keys(groups)
    for threshold in THRESHOLDS:
        kept = pairs[pairs["score"] >= threshold]
        hits = np.isin(kept["i"] * n + kept["j"], truth).sum()
        labels = screening.clusters(kept, n, min_to_medoid=threshold)
        together, right = _co_clustered(labels, groups)
        print(
            f"| {threshold:.2f} | {len(kept):,} | {100 * hits / max(len(kept), 1):.1f} "
            f"| {100 * hits / len(truth):.1f} | {labels.max() + 1:,} "
            f"| {100 * right / max(together, 1):.1f} | {100 * right / len(truth):.1f} |"
        )


def _latency(index, texts: list[str]) -> tuple[float, float]:
    rng = random.Random(1)
    seconds = []
    for _ in range(QUERIES):
        title = rng.choice(texts)
        typed = title[: max(5, int(len(title) * rng.uniform(0.5, 1.0)))]
        started = time.perf_counter()
        index.similar(typed, k=5, threshold=0.3)
        seconds.append(time.perf_counter() - started)
    return 1000 * float(np.median(seconds)), 1000 * float(np.quantile(seconds, 0.99))


def _recall_rows(index, pairs, groups, exact) -> None:
    """Share of the exact search's pairs that the candidate search found, per threshold:
    of all pairs (only when the exact search ran) and of the labelled duplicates, whose exact
    scores are cheap to compute at any n."""
    n = len(groups)
    truth = _labelled_pair_keys(groups)
    vectors = index.vectors
    truth_scores = np.asarray(vectors[truth // n].multiply(vectors[truth % n]).sum(axis=1)).ravel()
    for threshold in THRESHOLDS:
        found = (
            pairs["i"][pairs["score"] >= threshold] * n + pairs["j"][pairs["score"] >= threshold]
        )
        labelled = truth[truth_scores >= threshold]
        cells = [f"{threshold:.2f}", f"{len(labelled):,}"]
        cells.append(f"{100 * np.isin(labelled, found).mean():.2f}")
        if exact is not None:
            kept = exact[exact["score"] >= threshold]
            cells += [
                f"{len(kept):,}",
                f"{100 * np.isin(kept['i'] * n + kept['j'], found).mean():.2f}",
            ]
        print(f"| {' | '.join(cells)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 ideas instead of 100,000")
    quick = parser.parse_args().quick
    n = 10_000 if quick else 100_000
    texts, groups = synthetic_ideas(n)
    ids = list(range(n))
    threshold = min(THRESHOLDS)
    _say(f"{n:,} ideas generated")
    index, build_s = _timed(lambda: screening.SimilarityIndex(ids, texts, fold_accents=True))
    _say("index built")
    keys, candidates_s = _timed(lambda: candidate_keys(index.vectors))
    pairs, score_s = _timed(lambda: scored_pairs(index.vectors, keys, threshold))
    _say("pairs found")
    _, cluster_s = _timed(lambda: screening.clusters(pairs, n, min_to_medoid=threshold))
    exact, exact_s = _timed(lambda: index.pairs(threshold, exact=True)) if quick else (None, None)
    median_ms, p99_ms = _latency(index, texts)
    _say("latency measured")

    def whole_run():
        built = screening.SimilarityIndex(ids, texts, fold_accents=True)
        screening.clusters(built.pairs(threshold, exact=False), n, min_to_medoid=threshold)

    peak = _peak_mib(whole_run)
    _say("peak memory measured")
    print(f"## Screening {n:,} synthetic ideas (en/ru/vi, {groups.max() + 1:,} groups)\n")
    print("| step | seconds |")
    print("|---|---:|")
    print(f"| build index (char_wb 3-5, fold accents) | {build_s:.2f} |")
    print(
        f"| candidates, MinHash LSH {MINIMA} values, {BANDS} bands of {ROWS} ({len(keys):,} pairs) | {candidates_s:.2f} |"
    )
    print(f"| exact scores of the candidates, cosine ≥ {threshold} | {score_s:.2f} |")
    print(f"| clusters (medoid guard {threshold}) | {cluster_s:.2f} |")
    if exact_s is not None:
        print(f"| for comparison: exact pair search, cosine ≥ {threshold} | {exact_s:.2f} |")
    print(f"\nPeak memory, build + pairs + clusters (tracemalloc): {peak:,.0f} MiB\n")
    print(
        "| threshold | pairs | pair precision % | pair recall % | clusters "
        "| co-cluster precision % | co-cluster recall % |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    _quality_rows(index, pairs, groups)
    print("\nCandidate search against the exact search (recall %):\n")
    header = "| threshold | labelled pairs at or above | found % |"
    print(header + (" exact pairs | found % |" if quick else ""))
    print("|---:|---:|---:|" + ("---:|---:|" if quick else ""))
    _recall_rows(index, pairs, groups, exact)
    print(
        f"\n`similar()` on a typed prefix, {QUERIES:,} queries: median {median_ms:.2f} ms, "
        f"p99 {p99_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()
