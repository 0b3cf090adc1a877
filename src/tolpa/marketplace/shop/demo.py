"""Demo texts for `tolpa demo`: three texts on sale in USD, one per language. Re-running adds
none."""

from tolpa.accounts.models import User
from tolpa.marketplace.shop import services
from tolpa.marketplace.shop.models import ShopText

DEMO_TEXTS = [
    ("designer@demo.tolpa", "How to brief a designer for a logo", "marketing", "en", 1_500, (
        "A good logo starts with a good brief. Before you open a contest or hire a designer, "
        "write down who your customers are, what your brand promises them and which three "
        "words should come to mind when they see your mark.\n\n"
        "## What to include\n\n"
        "- the name exactly as it must be written;\n"
        "- where the logo will live: a shop sign, an app icon, a coffee cup;\n"
        "- colours you love and colours you must avoid;\n"
        "- two or three logos you admire, and why.\n\n"
        "Finally, give the designer room. A brief that dictates every curve gets you the logo "
        "you already imagined; a brief that explains the problem gets you a better one."
    )),
    ("worker@demo.tolpa", "Cà phê phin: pha thế nào cho ngon", "food", "vi", 1_200, (
        "Cà phê phin là cách pha quen thuộc của người Việt. Bạn cần khoảng hai mươi gam cà phê "
        "xay vừa, nước sôi để nguội chừng một phút và một chiếc phin nhôm sạch.\n\n"
        "Đầu tiên, tráng phin bằng nước nóng. Cho cà phê vào, lắc nhẹ cho mặt bằng phẳng rồi "
        "đặt nắp gài lên. Rót một ít nước để ủ trong ba mươi giây, sau đó rót đầy và đậy nắp.\n\n"
        "Cà phê nhỏ giọt trong bốn đến năm phút là vừa. Nếu nhỏ quá nhanh, hãy xay mịn hơn; "
        "nếu quá chậm, hãy nới nắp gài. Thêm sữa đặc và đá nếu bạn thích cà phê sữa đá."
    )),
    ("designer@demo.tolpa", "Как написать продающее описание товара", "product", "ru", 1_800, (
        "Покупатель не читает описание товара целиком: он ищет ответ на свой вопрос. Поэтому "
        "начните с главного — зачем эта вещь нужна и чем она лучше похожих.\n\n"
        "Затем перечислите характеристики, которые влияют на выбор: размер, материал, вес, "
        "комплектацию. Пишите конкретно: не «большой объём», а «вмещает два литра».\n\n"
        "Закончите тем, что снимает сомнения: гарантией, условиями доставки и возврата. "
        "Короткие абзацы и списки читаются легче, чем сплошной текст, особенно с телефона."
    )),
]  # fmt: skip


def demo_texts_create() -> int:
    """Put the demo texts on sale; returns how many were added."""
    added = 0
    for email, title, category, language, price, body in DEMO_TEXTS:
        author = User.objects.get(email=email)
        if ShopText.objects.filter(author=author, title=title).exists():
            continue
        services.text_publish(
            actor=author, title=title, category=category, language=language, price=price,
            currency="USD", body=body,
        )  # fmt: skip
        added += 1
    return added
