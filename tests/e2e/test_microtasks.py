"""Microtasks end to end: a brand creates a caption project in the browser, uploads 30 photo
rows (three of them gold), and launches the batch; workers caption in their own browser
contexts with the keyboard (HTMX swaps each next task in); the careless one answers the
control tasks wrong and is blocked; two careful ones give every photo its two answers; the
brand approves the good answers, rejects the careless ones, and downloads the aggregated
captions; each worker's wallet statement holds exactly approved answers × reward."""

import csv
import io
import re

import pytest
from django.conf import settings
from PIL import Image

from tests.contests.conftest import deposit
from tests.e2e.conftest import expect, log_in
from tolpa.ledger import services as ledger
from tolpa.microtasks.models import Assignment, Batch, Project

pytestmark = pytest.mark.e2e

TITLE = "Caption our shop photos"
ROWS = 30
GOLD = {0: "A red door", 1: "Two green apples", 2: "A sleeping cat"}
REWARD_MINOR = 50


def _photo(live_url: str) -> str:
    """One tiny PNG under the live server's media; rows differ by query string."""
    folder = settings.MEDIA_ROOT / "mt"
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), (200, 90, 40)).save(folder / "photo.png", format="PNG")
    return f"{live_url}/media/mt/photo.png"


def _batch_csv(path, photo: str) -> tuple[str, dict[str, str]]:
    """The CSV file and, for the test only, which image URL has which gold caption."""
    gold_by_image = {}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "image", "gold"])
    for i in range(ROWS):
        image = f"{photo}?n={i}"
        writer.writerow([f"photo-{i}", image, GOLD.get(i, "")])
        if i in GOLD:
            gold_by_image[image] = GOLD[i]
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return str(path), gold_by_image


def _regular_caption(image: str) -> str:
    return f"Photo number {image.rsplit('=', 1)[1]}"


def _submit(page, button_name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button_name, exact=True).click()


def _create_project(page) -> str:
    page.locator("header nav").get_by_role("link", name="Tasks").click()
    page.get_by_role("link", name="Start a task project").click()
    form = page.locator("#project-form")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("One-line summary").fill("One sentence per photo")
    form.get_by_label("Instructions").fill("Describe the **main thing** in one sentence.")
    form.get_by_label("Template").select_option("caption")
    form.get_by_label("Currency").select_option("USD")
    form.get_by_label("Reward per answer").fill("0.50")
    form.get_by_label("Answers per task", exact=True).fill("2")
    form.get_by_label("Qualification gold tasks").fill("3")
    _submit(page, "Save project")
    expect(page).to_have_url(re.compile(r"/tasks/[\w-]+/dashboard/$"))
    expect(page.locator("ul.messages")).to_contain_text("Project saved.")
    return page.url.split("/tasks/")[1].split("/")[0]


def _upload_and_launch(page, csv_path: str) -> None:
    form = page.locator("#batch-form")
    form.get_by_label("Batch name").fill("Spring photos")
    form.get_by_label("Tasks (CSV or JSON)").set_input_files(csv_path)
    _submit(page, "Upload")
    expect(page.locator("ul.messages")).to_contain_text("Batch uploaded.")
    expect(page.locator("#batches")).to_contain_text("Spring photos")
    _submit(page, "Launch")
    expect(page.locator("ul.messages")).to_contain_text("The batch is live")


def _caption_until_done(page, slug: str, caption_for) -> list[str]:
    """Answer every task offered with the keyboard (Ctrl+Enter); returns the feedback lines."""
    page.goto(f"/tasks/{slug}/")
    page.get_by_role("link", name="Start working").click()
    page.evaluate("window.sameDocument = true")  # lost on any full page load
    feedback = []
    for _turn in range(ROWS + 1):
        panel = page.locator("#task-panel")
        if panel.locator("#task-stop").count():
            break
        image = panel.locator("img.task-media").get_attribute("src")
        task_label = panel.locator("form p.muted").inner_text()
        page.locator("#id_text").fill(caption_for(image))
        page.locator("#id_text").press("Control+Enter")
        expect(page.locator("#task-panel form p.muted, #task-stop").first).not_to_have_text(
            task_label
        )
        notice = page.locator("#task-notice")
        feedback.append(notice.inner_text() if notice.count() else "")
    assert page.evaluate("window.sameDocument === true"), "HTMX should swap tasks in place"
    return feedback


def _review(page, slug: str, *, approve: str, reject: str) -> None:
    """Approve every answer of `approve` and reject every answer of `reject` with a reason."""
    page.goto(f"/tasks/{slug}/dashboard/")
    while True:
        rows = page.locator("#review tbody tr[id^=review-]")
        if not rows.count():
            break
        row = rows.first
        if approve in row.inner_text():
            _submit_in(page, row, "Approve")
        else:
            assert reject in row.inner_text()
            row.get_by_label("Reason").fill("Control tasks answered wrong")
            _submit_in(page, row, "Reject")


def _submit_in(page, row, button: str) -> None:
    with page.expect_navigation():
        row.get_by_role("button", name=button).click()


def _statement_total(page) -> int:
    response = page.request.get("/wallet/statement.csv?currency=USD")
    assert response.ok
    rows = list(csv.DictReader(io.StringIO(response.text())))
    return sum(int(row["amount_minor"]) for row in rows)


def test_caption_batch_from_upload_to_paid_workers(
    new_page, live_server, owner, organization, make_user, tmp_path
):
    deposit(ledger.account_for_organization(organization=organization, currency="USD"), 100_000)
    ann = make_user(email="ann@example.com", display_name="Ann Careful")
    bob = make_user(email="bob@example.com", display_name="Bob Careless")
    cara = make_user(email="cara@example.com", display_name="Cara Careful")
    csv_path, gold_by_image = _batch_csv(tmp_path / "photos.csv", _photo(live_server.url))

    brand = new_page("brand")
    log_in(brand, owner.email)
    slug = _create_project(brand)
    _upload_and_launch(brand, csv_path)
    batch = Batch.objects.get(project__campaign__slug=slug)
    assert batch.tasks_count == ROWS
    assert batch.gold_count == len(GOLD)

    # The careless worker answers the three control tasks wrong and is blocked.
    bob_page = new_page("bob")
    log_in(bob_page, bob.email)
    bob_feedback = _caption_until_done(bob_page, slug, lambda image: "whatever")
    assert bob_feedback.count("Your answer to a control task was wrong. "
                              "Read the instructions again.") == len(GOLD)  # fmt: skip
    expect(bob_page.locator("#task-stop")).to_contain_text("too often wrong")
    bob_html = bob_page.content()
    assert not any(gold in bob_html for gold in GOLD.values())

    # The careful workers pass the qualification and caption every regular photo.
    careful_pages = {}
    for person in (ann, cara):
        careful_pages[person] = page = new_page(person.display_name)
        log_in(page, person.email)
        feedback = _caption_until_done(
            page, slug, lambda image: gold_by_image.get(image, _regular_caption(image))
        )
        assert feedback[: len(GOLD)] == ["Your answer to a control task was right."] * len(GOLD)
        expect(page.locator("#task-stop")).to_contain_text("No task is available")
        assert Assignment.objects.filter(worker=person, status="submitted").count() == ROWS

    # The brand sees the careless worker blocked, reviews and downloads the results.
    brand.goto(f"/tasks/{slug}/dashboard/")
    expect(brand.locator("#workers")).to_contain_text("Bob Careless")
    expect(brand.locator("#workers tr", has_text="Bob Careless")).to_contain_text("blocked")
    _review(brand, slug, approve="Careful", reject="Bob Careless")
    expect(brand.locator("#review")).to_contain_text("Nothing waits for review.")
    with brand.expect_download() as download_info:
        brand.locator("#download-csv").click()
    results = list(csv.DictReader(io.StringIO(download_info.value.path().read_text())))
    assert len(results) == ROWS - len(GOLD)
    for row in results:
        assert row["answer"] == _regular_caption(row["image"])
        assert float(row["confidence"]) > 0.9
        assert row["answers_count"] == "2"

    # Money: each worker's statement holds approved answers × reward, nothing more.
    for person, page in careful_pages.items():
        approved = Assignment.objects.filter(worker=person, status="approved").count()
        assert approved == ROWS
        assert _statement_total(page) == approved * REWARD_MINOR
    assert _statement_total(bob_page) == 0
    assert Project.objects.get(campaign__slug=slug).reward == REWARD_MINOR
