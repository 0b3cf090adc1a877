import pytest

from tolpa.web.slugs import latin_slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Опрос о вкусе кофе", "opros-o-vkuse-kofe"),
        ("Щедрый ёжик: съёмка!", "shchedryy-yozhik-syomka"),
        ("Dịch trang web sang tiếng Việt", "dich-trang-web-sang-tieng-viet"),
        ("Logo for a bakery", "logo-for-a-bakery"),
        ("★★★", "campaign"),
    ],
)
def test_titles_in_every_site_language_get_readable_slugs(title, slug):
    assert latin_slug(title, fallback="campaign", max_length=160) == slug


def test_slug_is_cut_without_a_trailing_dash():
    assert latin_slug("ab cd", fallback="x", max_length=3) == "ab"


@pytest.mark.django_db
def test_russian_campaign_title_makes_its_slug(make_campaign):
    assert make_campaign(title="Название для пекарни").slug == "nazvanie-dlya-pekarni"
