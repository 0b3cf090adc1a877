"""Microtask pages: who sees what (brand, worker, anonymous, another brand), the worker flow
with HTMX and without, gold feedback that never reveals the gold answer, and bad input
through every form that must change nothing."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.microtasks.conftest import answer, csv_file, photo_rows, take, wallet
from tolpa.accounts import services as account_services
from tolpa.ledger import services as ledger
from tolpa.microtasks.models import Assignment, Batch, Project, Task, WorkerStat

pytestmark = pytest.mark.django_db

GOLD_TEXT = "a very secret expected caption"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(name: str, project: Project, *args) -> str:
    return reverse(f"microtasks:{name}", args=[project.campaign.slug, *args])


def _login(client, person):
    client.force_login(person)
    return client


def _as_brand(client, owner, organization):
    _login(client, owner)
    session = client.session
    session["active_organization"] = organization.pk
    session.save()
    return client


def _project_form(**changes) -> dict:
    return {
        "title": "Describe our shop photos", "summary": "One sentence each",
        "instructions": "Write **one** sentence.\n\n<script>alert(1)</script>",
        "template": "caption", "labels": "", "fields": "", "currency": "USD", "reward": "0.50",
        "overlap": 2, "max_overlap": "", "target_confidence": "", "lease_minutes": 10, "days": 30,
        "min_reputation": 0, "languages": "", "countries": "", "gold_rate": 10,
        "qualification_tasks": 0, "min_gold_accuracy": 60, "auto_approve_days": 3, "method": "",
        "language": "en", **changes,
    }  # fmt: skip


@pytest.fixture
def caption_project(make_project):
    return make_project(title="Shop captions", template="caption", labels=None,
                        instructions="Describe the **photo**.")  # fmt: skip


@pytest.fixture
def classify_project(make_project):
    return make_project(instructions="Is it a cat or a dog?")


# Listing, project page, create ------------------------------------------------------------


def test_list_shows_open_projects_with_reward_and_tasks_left(client, classify_project, make_batch):
    make_batch(classify_project, photo_rows(4))
    page = client.get(reverse("microtasks:list")).content.decode()
    assert "Cats or dogs" in page
    assert "1.00 USD" in page
    assert "4 tasks left" in page
    filtered = client.get(reverse("microtasks:list") + "?template=caption").content.decode()
    assert "Cats or dogs" not in filtered


def test_draft_project_is_hidden_from_everyone_but_its_brand(
    client, classify_project, owner, worker
):
    assert client.get(_url("detail", classify_project)).status_code == 404
    _login(client, worker())
    assert client.get(_url("detail", classify_project)).status_code == 404
    _login(client, owner)
    page = client.get(_url("detail", classify_project)).content.decode()
    assert _url("dashboard", classify_project) in page


def test_project_page_renders_markdown_safely_and_says_who_may_work(
    client, make_project, make_batch, worker
):
    project = make_project(instructions="Pick **one**.<script>alert(1)</script>",
                           min_reputation=5, languages=["vi"])  # fmt: skip
    make_batch(project, photo_rows(3))
    anonymous = client.get(_url("detail", project)).content.decode()
    assert "<strong>one</strong>" in anonymous
    assert "<script>alert(1)" not in anonymous
    assert "Log in to work on tasks." in anonymous
    _login(client, worker())
    page = client.get(_url("detail", project)).content.decode()
    assert "needs a reputation of 5" in page
    assert 'id="start-working"' not in page
    _login(client, worker(reputation=9, languages=["vi"]))
    assert 'id="start-working"' in client.get(_url("detail", project)).content.decode()


def test_create_needs_a_brand(client, worker):
    _login(client, worker())
    response = client.get(reverse("microtasks:create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organization_create")


def test_create_saves_a_project_and_opens_the_dashboard(client, owner, organization):
    _as_brand(client, owner, organization)
    assert client.get(reverse("microtasks:create")).status_code == 200
    response = client.post(reverse("microtasks:create"), _project_form(
        target_confidence=80, max_overlap=4, languages="en, vi", countries="vn"
    ))  # fmt: skip
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("dashboard", project)
    assert project.reward == 50
    assert project.overlap == 2
    assert project.max_overlap == 4
    assert project.target_confidence == 0.8
    assert project.lease_seconds == 600
    assert project.languages == ["en", "vi"]
    assert project.countries == ["VN"]
    assert project.method == "text"
    assert project.gold_rate == 0.1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reward": "0"}, "reward", ""),
        ({"reward": "abc"}, "reward", "Enter a number"),
        ({"reward": "0.0001"}, "reward", "decimal places"),
        ({"overlap": 0}, "overlap", ""),
        ({"overlap": 1000}, "overlap", ""),
        ({"overlap": 3, "max_overlap": 2}, "max_overlap", "At least the overlap"),
        ({"template": "classify", "labels": "cat"}, "labels", "2 to 50 different labels"),
        ({"template": "record", "fields": ""}, "fields", "1 to 30 different fields"),
        ({"method": "ds"}, "method", "does not fit the template"),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(
    client, owner, organization, changes, field, message
):
    _as_brand(client, owner, organization)
    response = client.post(reverse("microtasks:create"), _project_form(**changes))
    assert 400 <= response.status_code < 500
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Project.objects.exists()


# Dashboard: permissions, upload, launch, close -------------------------------------------


def test_dashboard_is_for_the_brand_only(client, classify_project, make_batch, worker,
                                         other_organization):  # fmt: skip
    batch = make_batch(classify_project, photo_rows(3))
    url = _url("dashboard", classify_project)
    csv_url = _url("results_csv", classify_project, batch.pk)
    assert client.get(url).status_code == 302  # anonymous → log in
    _login(client, worker())
    assert client.get(url).status_code == 403
    assert client.get(csv_url).status_code == 403
    _login(client, other_organization.memberships.get().user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "close", "batch": batch.pk}).status_code == 403
    assert Batch.objects.get().status == "live"


def _upload(client, project, content: bytes, name="tasks.csv", media=None):
    data = {"action": "upload", "name": "First", "file": SimpleUploadedFile(name, content)}
    if media is not None:
        data["media"] = media
    return client.post(_url("dashboard", project), data)


def _csv_bytes(rows: list[dict]) -> bytes:
    return csv_file(rows).read()


def test_upload_then_launch_holds_the_budget(client, owner, caption_project):
    _login(client, owner)
    rows = photo_rows(5, gold={0: "a red door"})
    response = _upload(client, caption_project, _csv_bytes(rows))
    batch = Batch.objects.get()
    assert response.status_code == 302
    assert batch.tasks_count == 5
    assert batch.gold_count == 1
    page = client.get(_url("dashboard", caption_project)).content.decode()
    assert "First" in page
    assert "Launch" in page
    before = ledger.account_for_organization(
        organization=caption_project.campaign.organization, currency="USD"
    ).balance
    response = client.post(
        _url("dashboard", caption_project), {"action": "launch", "batch": batch.pk}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "live"
    assert batch.budget > 0
    after = ledger.account_for_organization(
        organization=caption_project.campaign.organization, currency="USD"
    ).balance
    assert before - after == batch.budget
    response = client.post(
        _url("dashboard", caption_project), {"action": "close", "batch": batch.pk}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "closed"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"id,picture\n1,https://x.example/1.jpg\n", "tasks.csv", "Missing columns: image"),
        ("id,image\n1,https://x.example/é.jpg\n".encode("latin-1"), "tasks.csv", "not UTF-8"),
        (b"id,image\n1,https://x.example/1.jpg\n1,https://x.example/2.jpg\n", "tasks.csv",
         "Row 2: task id 1 appears twice"),
        (b"id,image\n1,ftp://x.example/1.jpg\n", "tasks.csv", "Row 1, column image"),
        (b"id,image\n1,javascript:alert(1)\n", "tasks.csv", "http(s) URL"),
        (b"[{\"id\": 1}", "tasks.json", "JSON is not valid"),
        (b"", "tasks.csv", "The submitted file is empty."),
        (b"id,image\n", "tasks.csv", "The file has no rows."),
    ],
)  # fmt: skip
def test_bad_batch_files_are_refused_with_a_clear_message(
    client, owner, caption_project, content, name, message
):
    _login(client, owner)
    response = _upload(client, caption_project, content, name)
    assert 400 <= response.status_code < 500
    page = response.content.decode()
    assert message in page, page[:3000]
    assert not Batch.objects.exists()
    assert not Task.objects.exists()


def test_launch_with_an_empty_wallet_is_refused(client, make_user):
    poor = make_user()
    org = account_services.organization_create(owner=poor, name="Poor Brand")
    from tolpa.microtasks import services

    project = services.project_create(actor=poor, organization=org, title="Poor", template="caption",
                                      currency="USD", reward=100)  # fmt: skip
    _login(client, poor)
    _upload(client, project, _csv_bytes(photo_rows(3)))
    batch = Batch.objects.get()
    response = client.post(_url("dashboard", project), {"action": "launch", "batch": batch.pk})
    assert 400 <= response.status_code < 500
    assert "Not enough money" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "draft"
    assert batch.budget == 0


# The worker flow --------------------------------------------------------------------------


def test_classification_flow_with_number_keys_and_htmx(
    client, classify_project, make_batch, worker
):
    make_batch(classify_project, photo_rows(3))
    _login(client, worker())
    page = client.get(_url("work", classify_project)).content.decode()
    assert 'data-key="1"' in page
    assert 'data-key="2"' in page
    assert "hx-post=" in page
    assignment = Assignment.objects.get()
    response = client.post(_url("work", classify_project),
                           {"assignment": assignment.pk, "label": "dog"}, **HTMX)  # fmt: skip
    assert response.status_code == 200
    panel = response.content.decode()
    assert panel.lstrip().startswith("<section")
    assert "Answer saved." in panel
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    assert assignment.answer == {"label": "dog"}
    assert Assignment.objects.filter(status="leased").count() == 1  # the next task, at once


def test_a_label_not_in_the_set_is_refused_and_nothing_changes(
    client, classify_project, make_batch, worker
):
    make_batch(classify_project, photo_rows(2))
    _login(client, worker())
    client.get(_url("work", classify_project))
    assignment = Assignment.objects.get()
    response = client.post(_url("work", classify_project),
                           {"assignment": assignment.pk, "label": "horse"})  # fmt: skip
    assert response.status_code == 422
    assert "Choose one of the labels." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "leased"
    assert assignment.answer is None


def test_caption_flow_without_js_redirects_and_an_empty_caption_is_refused(
    client, caption_project, make_batch, worker
):
    make_batch(caption_project, photo_rows(2))
    _login(client, worker())
    page = client.get(_url("work", caption_project)).content.decode()
    assert "<textarea" in page
    assert "https://img.example/" in page
    assignment = Assignment.objects.get()
    empty = client.post(_url("work", caption_project), {"assignment": assignment.pk, "text": "  "})
    assert empty.status_code == 422
    assert "cannot be empty" in empty.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "leased"
    done = client.post(_url("work", caption_project),
                       {"assignment": assignment.pk, "text": "A  blue   bicycle"})  # fmt: skip
    assert done.status_code == 302
    assert done["Location"] == _url("work", caption_project)
    assignment.refresh_from_db()
    assert assignment.answer == {"text": "A blue bicycle"}


def test_a_gold_task_gives_feedback_and_never_reveals_its_answer(
    client, make_project, make_batch, worker
):
    project = make_project(template="caption", labels=None, qualification_tasks=1,
                           instructions="Describe it.")  # fmt: skip
    make_batch(project, photo_rows(3, gold={0: GOLD_TEXT}))
    person = worker()
    _login(client, person)
    seen = [client.get(_url("work", project)).content.decode()]
    gold = Assignment.objects.get()
    assert gold.task.is_gold
    seen.append(client.get(_url("detail", project)).content.decode())
    response = client.post(_url("work", project),
                           {"assignment": gold.pk, "text": "something else"}, **HTMX)  # fmt: skip
    seen.append(response.content.decode())
    assert "was wrong" in seen[-1]
    follow = client.post(_url("work", project), {"assignment": gold.pk, "text": "again"},
                         follow=True)  # fmt: skip
    seen.append(follow.content.decode())
    seen.append(client.get(reverse("microtasks:mine")).content.decode())
    for page in seen:
        assert GOLD_TEXT not in page
        assert "is_gold" not in page
        assert "gold_answer" not in page


def test_right_gold_answer_says_so(client, make_project, make_batch, worker):
    project = make_project(template="caption", labels=None, qualification_tasks=1)
    make_batch(project, photo_rows(3, gold={0: "A red door"}))
    _login(client, worker())
    client.get(_url("work", project))
    gold = Assignment.objects.get()
    response = client.post(_url("work", project), {"assignment": gold.pk, "text": "a red  DOOR"},
                           follow=True)  # fmt: skip
    assert "was right" in response.content.decode()


def test_blocked_worker_and_no_task_are_said_clearly(client, classify_project, make_batch, worker):
    make_batch(classify_project, photo_rows(1))
    person = worker()
    _login(client, person)
    client.get(_url("work", classify_project))
    assignment = Assignment.objects.get()
    client.post(_url("work", classify_project), {"assignment": assignment.pk, "label": "cat"})
    page = client.get(_url("work", classify_project)).content.decode()
    assert "No task is available for you right now" in page
    assert 'id="task-poll"' in page
    assert 'hx-trigger="every 30s"' in page
    WorkerStat.objects.filter(worker=person).update(blocked=True)
    page = client.get(_url("work", classify_project)).content.decode()
    assert "too often wrong" in page
    assert 'id="task-poll"' not in page


def test_waiting_page_picks_up_a_new_batch_when_it_polls(
    client, classify_project, make_batch, worker
):
    make_batch(classify_project, photo_rows(1))
    _login(client, worker())
    client.get(_url("work", classify_project))
    first = Assignment.objects.get()
    client.post(_url("work", classify_project), {"assignment": first.pk, "label": "cat"})
    page = client.get(_url("work", classify_project), **HTMX).content.decode()
    assert 'id="task-poll"' in page
    make_batch(classify_project, photo_rows(1))
    page = client.get(_url("work", classify_project), **HTMX).content.decode()
    assert 'id="task-form"' in page
    assert Assignment.objects.filter(status="leased").count() == 1


def test_skip_and_release(client, classify_project, make_batch, worker):
    make_batch(classify_project, photo_rows(2))
    _login(client, worker())
    client.get(_url("work", classify_project))
    first = Assignment.objects.get()
    client.post(_url("work", classify_project), {"assignment": first.pk, "give_back": "skip"})
    first.refresh_from_db()
    assert first.status == "skipped"
    client.get(_url("work", classify_project))
    second = Assignment.objects.get(status="leased")
    response = client.post(_url("work", classify_project),
                           {"assignment": second.pk, "give_back": "release"}, **HTMX)  # fmt: skip
    assert "Task released." in response.content.decode()


def test_a_task_never_assigned_to_you_is_refused(client, classify_project, make_batch, worker):
    make_batch(classify_project, photo_rows(2))
    owner_of_lease = worker()
    lease = take(classify_project, owner_of_lease)
    _login(client, worker())
    response = client.post(_url("work", classify_project), {"assignment": lease.pk, "label": "cat"})
    assert response.status_code == 403
    lease.refresh_from_db()
    assert lease.status == "leased"
    assert lease.answer is None
    assert client.post(_url("work", classify_project), {"assignment": "x"}).status_code == 403


def test_the_brand_cannot_work_on_its_own_tasks(client, owner, classify_project, make_batch):
    make_batch(classify_project, photo_rows(2))
    _login(client, owner)
    page = client.get(_url("work", classify_project)).content.decode()
    assert "does not work on its own tasks" in page
    assert not Assignment.objects.exists()


def test_work_needs_a_login(client, classify_project, make_batch):
    make_batch(classify_project, photo_rows(1))
    response = client.get(_url("work", classify_project))
    assert response.status_code == 302
    assert "login" in response["Location"]


# Review, results, the worker's page --------------------------------------------------------


def _answered(project, person, payload):
    return answer(person, take(project, person), payload)


def test_review_approve_pays_and_reject_needs_a_reason(
    client, owner, classify_project, make_batch, worker
):
    make_batch(classify_project, photo_rows(2))
    ann, bob = worker(), worker()
    first = _answered(classify_project, ann, {"label": "cat"})
    second = _answered(classify_project, bob, {"label": "dog"})
    _login(client, owner)
    page = client.get(_url("dashboard", classify_project)).content.decode()
    assert f'id="review-{first.pk}"' in page
    assert "Answers per day" in page
    client.post(_url("dashboard", classify_project), {"action": "approve", "assignment": first.pk})
    assert wallet(ann) == classify_project.reward
    response = client.post(_url("dashboard", classify_project),
                           {"action": "reject", "assignment": second.pk, "reason": " "})  # fmt: skip
    assert 400 <= response.status_code < 500
    assert "Say why" in response.content.decode()
    second.refresh_from_db()
    assert second.status == "submitted"
    client.post(_url("dashboard", classify_project),
                {"action": "reject", "assignment": second.pk, "reason": "Wrong animal"})  # fmt: skip
    second.refresh_from_db()
    assert second.status == "rejected"
    assert wallet(bob) == 0

    _login(client, bob)
    mine = client.get(reverse("microtasks:mine")).content.decode()
    assert "Wrong animal" in mine
    assert "Your appeal" in mine
    empty = client.post(reverse("microtasks:mine"), {"assignment": second.pk, "text": ""})
    assert empty.status_code == 400
    client.post(reverse("microtasks:mine"), {"assignment": second.pk, "text": "It is a dog."})
    second.refresh_from_db()
    assert second.status == "appealed"
    assert second.appeal == "It is a dog."
    again = client.post(reverse("microtasks:mine"), {"assignment": second.pk, "text": "Please"})
    assert again.status_code == 409
    _login(client, ann)
    stranger = client.post(reverse("microtasks:mine"), {"assignment": second.pk, "text": "Mine"})
    assert stranger.status_code == 403


def test_results_download_as_csv_and_json(client, owner, caption_project, make_batch, worker):
    batch = make_batch(caption_project, photo_rows(2))
    for person in (worker(), worker()):
        for _ in range(2):
            _answered(caption_project, person, {"text": "=HYPERLINK(1) a cat"})
    _login(client, owner)
    response = client.get(_url("results_csv", caption_project, batch.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["task"] for r in rows] == ["p0", "p1"]
    assert rows[0]["answer"] == "'=HYPERLINK(1) a cat"
    assert rows[0]["answers_count"] == "2"
    body = json.loads(client.get(_url("results_json", caption_project, batch.pk)).content)
    assert body["method"] == "text"
    assert body["tasks"][0]["answer"] == "=HYPERLINK(1) a cat"
    assert len(body["workers"]) == 2
    assert client.get(_url("results_csv", caption_project, batch.pk + 99)).status_code == 404


def test_my_answers_needs_a_login_and_shows_earnings(client, classify_project, make_batch, worker):
    assert client.get(reverse("microtasks:mine")).status_code == 302
    make_batch(classify_project, photo_rows(1))
    person = worker()
    _answered(classify_project, person, {"label": "cat"})
    _login(client, person)
    page = client.get(reverse("microtasks:mine")).content.decode()
    assert "Cats or dogs" in page
    assert "Waiting for review" in page


def test_login_form_still_works_with_the_nav_link(client, worker):
    person = worker()
    assert client.login(email=person.email, password=PASSWORD)
    assert reverse("microtasks:list") in client.get(reverse("microtasks:list")).content.decode()


# Every template's form -----------------------------------------------------------------------


def _first_task_page(client, project, make_batch, rows, worker) -> str:
    make_batch(project, rows)
    _login(client, worker())
    return client.get(_url("work", project)).content.decode()


def test_transcription_shows_audio_or_video_by_extension(client, make_project, make_batch, worker):
    project = make_project(template="transcribe", labels=None)
    rows = [{"id": "a", "media": "https://m.example/a.mp3"},
            {"id": "v", "media": "https://m.example/v.webm"}]  # fmt: skip
    page = _first_task_page(client, project, make_batch, rows, worker)
    assert '<audio class="task-media" controls src="https://m.example/a.mp3">' in page
    first = Assignment.objects.get()
    client.post(_url("work", project), {"assignment": first.pk, "text": "hello there"})
    page = client.get(_url("work", project)).content.decode()
    assert '<video class="task-media" controls src="https://m.example/v.webm">' in page


def test_proofreading_prefills_the_text(client, make_project, make_batch, worker):
    project = make_project(template="proofread", labels=None)
    page = _first_task_page(
        client, project, make_batch, [{"id": "t", "text": "Teh cat sat."}], worker
    )
    assert ">Teh cat sat.</textarea>" in page


def test_record_correction_has_one_prefilled_input_per_field(
    client, make_project, make_batch, worker
):
    project = make_project(template="record", labels=None, fields=["name", "city"])
    rows = [{"id": "r", "name": "Jon Smiht", "city": "Hanoi"}]
    page = _first_task_page(client, project, make_batch, rows, worker)
    assert 'name="field_0" value="Jon Smiht"' in page
    assert 'name="field_1" value="Hanoi"' in page
    assignment = Assignment.objects.get()
    client.post(_url("work", project),
                {"assignment": assignment.pk, "field_0": "Jon Smith", "field_1": "Hanoi"})  # fmt: skip
    assignment.refresh_from_db()
    assert assignment.answer == {"fields": {"name": "Jon Smith", "city": "Hanoi"}}


def test_comparison_shows_two_images_with_arrow_keys(client, make_project, make_batch, worker):
    project = make_project(template="compare", labels=None)
    rows = [{"id": "c", "left": "https://i.example/l.png", "right": "https://i.example/r.png"}]
    page = _first_task_page(client, project, make_batch, rows, worker)
    assert 'data-key="ArrowLeft"' in page
    assert 'data-key="ArrowRight"' in page
    assert "https://i.example/l.png" in page
    assignment = Assignment.objects.get()
    bad = client.post(_url("work", project), {"assignment": assignment.pk, "choice": "middle"})
    assert bad.status_code == 422
    client.post(_url("work", project), {"assignment": assignment.pk, "choice": "right"})
    assignment.refresh_from_db()
    assert assignment.answer == {"choice": "right"}
