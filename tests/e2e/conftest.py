"""Browser end-to-end tests: Playwright (sync API) drives Debian's Chromium against
pytest-django's `live_server`.

Without a browser the tests skip, unless TOLPA_REQUIRE_BROWSER=1 (CI), where a missing
browser is a failure: a green run must mean the browser tests ran."""

import os
import re
from pathlib import Path

import pytest
from django.db import transaction

from tests.conftest import PASSWORD

try:  # test modules import `expect` from here, so they collect without playwright too
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    expect = sync_playwright = None

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
SUCCESS_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"


def _browser_unavailable(reason: str):
    if os.environ.get("TOLPA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TOLPA_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set TOLPA_REQUIRE_BROWSER=1 to make this fail)")


@pytest.fixture(scope="session")
def browser():
    if sync_playwright is None:
        _browser_unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        _browser_unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(browser, live_server, transactional_db, request, tmp_path):
    """Open a page in a fresh browser context (own cookies: one person per context).
    On failure each page is saved as a screenshot in the test's tmp_path."""
    contexts = []

    def open_page(name: str = "page"):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        contexts.append((name, context, page))
        return page

    yield open_page
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    for name, context, page in contexts:
        if failed:
            try:
                shot = tmp_path / f"{name}.png"
                page.screenshot(path=str(shot), full_page=True)
                print(f"screenshot of {name} at {page.url}: {shot}")
            except Exception as exc:  # the page may be gone; the test already failed
                print(f"no screenshot of {name}: {exc}")
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form, the way a person does."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))
    expect_logged_in(page)


def log_out(page) -> None:
    page.locator("header form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()


def expect_logged_in(page) -> None:
    expect(page.locator("header form[action='/accounts/logout/']")).to_have_count(1)


def messages_text(page) -> str:
    """The flash messages at the top of the page."""
    box = page.locator("ul.messages")
    return box.inner_text() if box.count() else ""


def sandbox_fund(user, amount: int, currency: str = "USD"):
    """Put money on a user's wallet the way a sandbox card top-up does."""
    from tolpa.ledger import payments
    from tolpa.ledger import services as ledger

    with transaction.atomic():
        deposit, _url = payments.deposit_start(
            actor=user, account=ledger.account_for_user(user=user, currency=currency),
            amount=amount, provider="sandbox", details={"card_number": SUCCESS_CARD},
        )  # fmt: skip
    assert deposit.status == "succeeded"
    return deposit
