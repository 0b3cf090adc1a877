"""A newcomer's first visit: sign up, profile, a brand, discovery, Russian, log out and in."""

import re

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import expect, expect_logged_in, log_in, log_out
from tolpa.accounts.models import Organization, User

pytestmark = pytest.mark.e2e


def test_signup_profile_brand_discovery_russian_logout_login(page):
    # Sign up from the header link.
    page.goto("/")
    page.locator("header a[href='/accounts/signup/']").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Display name").fill("Newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    # Lands on discovery, logged in, welcomed by name in the header.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("ul.messages")).to_contain_text("Welcome to Tolpa!")
    expect_logged_in(page)
    expect(page.locator("header .usernav")).to_contain_text("Newcomer")
    user = User.objects.get(email="newcomer@example.com")

    # Edit the profile: header name → profile → "Edit profile".
    page.locator("header .usernav").get_by_role("link", name="Newcomer").click()
    expect(page).to_have_url(re.compile(rf"/accounts/u/{user.pk}/$"))
    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_label("Display name")).to_have_value("Newcomer")
    page.get_by_label("Display name").fill("Nina Newcomer")
    page.get_by_label("Country").fill("vn")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("ul.messages")).to_contain_text("Profile saved.")
    expect(page.locator("main h1")).to_have_text("Nina Newcomer")
    expect(page.locator("main")).to_contain_text("VN")
    expect(page.locator("header .usernav")).to_contain_text("Nina Newcomer")

    # "My brand" without a brand leads to creating one.
    page.locator("header nav").get_by_role("link", name="My brand").click()
    expect(page).to_have_url(re.compile(r"/accounts/brands/new/$"))
    expect(page.locator("ul.messages")).to_contain_text("Create a brand first")
    page.get_by_label("Brand name").fill("Lantern Works")
    page.get_by_label("Website").fill("lantern.example.com")
    page.get_by_role("button", name="Create brand").click()
    expect(page.locator("ul.messages")).to_contain_text("Brand Lantern Works created.")
    expect(page.locator("main h1")).to_have_text("Lantern Works")
    expect(page.locator("main table")).to_contain_text("Nina Newcomer")
    organization = Organization.objects.get(name="Lantern Works")
    assert organization.memberships.get().user == user
    # The header now offers the brand to act for, and "My brand" lists its campaigns.
    expect(page.locator("#org-switch option:checked")).to_have_text("Lantern Works")
    page.locator("header nav").get_by_role("link", name="My brand").click()
    expect(page.locator("main h1")).to_have_text("Campaigns of Lantern Works")

    # The discovery page.
    page.locator("header nav").get_by_role("link", name="Discover").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main h1")).to_have_text("Discover campaigns")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Switch to Russian with the language switcher (it submits on change).
    with page.expect_navigation():
        page.locator("#language-select").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(re.compile(r"/$"))  # back where we were
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("django_language") == "ru"
    expect(page.locator("#language-select option:checked")).to_have_text("Русский")
    # The page itself is in Russian: heading and navigation.
    expect(page.locator("main h1")).to_have_text("Обзор кампаний")
    nav = page.locator("header nav")
    expect(nav.get_by_role("link", name="Обзор")).to_be_visible()
    expect(nav.get_by_role("link", name="Мой бренд")).to_be_visible()
    expect(nav.get_by_role("link", name="Кошелёк")).to_be_visible()
    expect(page.locator("header form[action='/accounts/logout/'] button")).to_have_text("Выйти")

    # Log out (still in Russian: the language lives in a cookie, not the session).
    log_out(page)
    expect(page.locator("header form[action='/accounts/logout/']")).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.locator("header a[href='/accounts/login/']").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("main h1")).to_have_text("Войти")

    # Django's own messages are translated already: an empty form, then a wrong password.
    submit = page.locator("main form button[type=submit]")
    submit.click()
    expect(page.locator("main .field.has-error").first).to_contain_text("Обязательное поле.")
    page.locator("#id_username").fill("newcomer@example.com")
    page.locator("#id_password").fill("not-the-password")
    submit.click()
    expect(page.locator("main .errors")).to_contain_text("Пожалуйста, введите правильные")
    expect(page.locator("header form[action='/accounts/logout/']")).to_have_count(0)

    # Log in again, with the email typed in capitals: still the same person.
    page.locator("#id_username").fill("NEWCOMER@example.com")
    page.locator("#id_password").fill(PASSWORD)
    submit.click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect_logged_in(page)
    expect(page.locator("header .usernav")).to_contain_text("Nina Newcomer")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("header nav").get_by_role("link", name="Кошелёк")).to_be_visible()


def test_a_chosen_language_follows_the_person_to_another_device(new_page, user):
    laptop = new_page("laptop")
    log_in(laptop, user.email)
    with laptop.expect_navigation():
        laptop.locator("#language-select").select_option("vi")
    expect(laptop.locator("html")).to_have_attribute("lang", "vi")

    phone = new_page("phone")  # its own cookies; the browser asks for English
    phone.goto("/")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    log_in(phone, user.email)
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    expect(phone.locator("#language-select")).to_have_value("vi")
    phone.goto("/accounts/profile/")
    expect(phone.locator("#id_preferred_language")).to_have_value("vi")
