from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tests.contests.conftest import org_balance
from tests.microtasks.conftest import REWARD, answer, csv_file, photo_rows, take, wallet
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ledger.services import InsufficientFundsError
from tolpa.ledger.verify import ledger_verify
from tolpa.microtasks import review, services, tasks
from tolpa.microtasks.models import (
    Assignment,
    AssignmentStatus,
    BatchStatus,
    Project,
    Task,
    WorkerStat,
)

pytestmark = pytest.mark.django_db

COST = REWARD + REWARD * 2000 // 10_000  # reward plus the 20% microtasks fee


def atomic(function, **kwargs):
    with transaction.atomic():
        return function(**kwargs)


# Projects and batches -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reward": 0}, "reward"),
        ({"overlap": 0}, "overlap"),
        ({"overlap": 1000}, "overlap"),
        ({"overlap": 3, "max_overlap": 2}, "max_overlap"),
        ({"labels": ["cat"]}, "labels"),
        ({"labels": ["cat", "cat"]}, "labels"),
        ({"template": "poetry"}, "template"),
        ({"template": "record", "fields": []}, "fields"),
        ({"target_confidence": 1.5}, "target_confidence"),
        ({"target_confidence": 0.9, "overlap": 3, "max_overlap": 3}, "max_overlap"),
        ({"template": "record", "fields": ["name", "gold"]}, "fields"),
        ({"method": "text"}, "method"),
        ({"currency": "XXX"}, "currency"),
    ],
)
def test_bad_projects_are_refused(make_project, fields, field):
    with pytest.raises(InvalidInput) as error:
        make_project(**fields)
    assert field in error.value.fields
    assert not Project.objects.exists()


def _bad_upload(make_project, make_batch, upload, media=None):
    project = make_project()
    with pytest.raises(InvalidInput) as error, transaction.atomic():
        services.batch_create(actor=project.campaign.created_by, project=project, name="x",
                              upload=upload, media=media)  # fmt: skip
    assert not project.batches.exists()
    assert not Task.objects.filter(batch__project=project).exists()
    return error.value.summary()


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (csv_file([{"id": "1", "picture": "https://x/1.jpg"}]), "Missing columns: image"),
        (
            csv_file(
                [{"id": "1", "image": "https://x/1.jpg"}, {"id": "1", "image": "https://x/2.jpg"}]
            ),
            "Row 2",
        ),
        (csv_file([{"id": "1", "image": "ftp://x/1.jpg"}]), "Row 1, column image"),
        (csv_file([{"id": "1", "image": ""}]), "Row 1: column image is empty"),
        (
            csv_file([{"id": "1", "image": "https://x/1.jpg", "gold": "horse"}]),
            "Row 1: the gold answer",
        ),
        (
            SimpleUploadedFile("t.csv", "id,image\n1,https://x/Ж.jpg\n".encode("cp1251")),
            "not UTF-8 (line 2)",
        ),
        (SimpleUploadedFile("t.json", b'[{"image": 1'), "JSON is not valid"),
        (SimpleUploadedFile("t.json", b'{"image": "x"}'), "list of objects"),
        (SimpleUploadedFile("t.csv", b""), "no rows"),
    ],
)
def test_bad_batch_files_name_the_row_and_save_nothing(make_project, make_batch, upload, says):
    assert says in _bad_upload(make_project, make_batch, upload)


def test_oversized_batch_file_is_refused(make_project, make_batch, settings):
    settings.TOLPA_MAX_BATCH_BYTES = 100
    rows = [{"id": str(i), "image": f"https://x/{i}.jpg"} for i in range(20)]
    assert "larger than" in _bad_upload(make_project, make_batch, csv_file(rows))


def test_json_batch_and_zip_media(make_project, make_batch, owner):
    import io
    import zipfile

    project = make_project()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("photos/a.jpg", b"jpeg bytes")
    upload = SimpleUploadedFile(
        "t.json", b'[{"id": "a", "image": "a.jpg"}, {"image": "https://x/b.jpg"}]'
    )
    with transaction.atomic():
        batch = services.batch_create(actor=owner, project=project, name="zip", upload=upload,
                                      media=SimpleUploadedFile("m.zip", archive.getvalue()))  # fmt: skip
    first, second = batch.tasks.order_by("pk")
    assert first.data["image"].startswith("/media/microtasks/media/a")
    assert (second.external_id, second.data["image"]) == ("2", "https://x/b.jpg")
    assert "file name from the zip" in _bad_upload(
        make_project, make_batch, SimpleUploadedFile("t.json", b'[{"image": "missing.jpg"}]'),
        media=SimpleUploadedFile("m.zip", archive.getvalue()),
    )  # fmt: skip


def test_launch_escrows_the_budget_and_an_empty_wallet_cannot(
    make_project, make_batch, brand, owner
):
    project = make_project(overlap=2, max_overlap=3)
    batch = make_batch(project, photo_rows(10, gold={0: "cat"}))
    assert batch.status == BatchStatus.LIVE
    gold_cap = project.gold_answers_cap
    assert batch.budget == (9 * 3 + 1 * gold_cap) * COST
    assert org_balance(brand) == 1_000_000 - batch.budget
    big = make_batch(make_project(title="Big", reward=100_000), photo_rows(10), launch=False)
    with pytest.raises(InsufficientFundsError):
        atomic(services.batch_launch, actor=owner, batch=big)
    big.refresh_from_db()
    assert big.status == BatchStatus.DRAFT


def test_only_the_brand_manages(make_project, make_batch, make_user):
    project = make_project()
    stranger = make_user()
    with pytest.raises(PermissionDeniedError), transaction.atomic():
        services.batch_create(
            actor=stranger, project=project, name="x", upload=csv_file(photo_rows(2))
        )
    batch = make_batch(project, photo_rows(2), launch=False)
    with pytest.raises(PermissionDeniedError):
        atomic(services.batch_launch, actor=stranger, batch=batch)


# The worker flow ------------------------------------------------------------------------


def test_next_task_keeps_the_lease_and_never_repeats_a_task(make_project, make_batch, worker):
    project = make_project(overlap=1)
    make_batch(project, photo_rows(3))
    person = worker()
    first = take(project, person)
    assert take(project, person) == first  # the current lease comes back
    answer(person, first, {"label": "cat"})
    second = take(project, person)
    assert second.task_id != first.task_id
    atomic(services.give_back, worker=person, assignment=second, skip=True)
    third = take(project, person)
    assert third.task_id not in (first.task_id, second.task_id)
    answer(person, third, {"label": "dog"})
    with pytest.raises(services.NoTaskError):
        take(project, person)  # overlap 1: the rest is done, the skipped one is never offered back


def test_release_returns_the_task_to_the_pool(make_project, make_batch, worker):
    project = make_project(overlap=1)
    make_batch(project, photo_rows(1))
    alice, bob = worker(), worker()
    lease = take(project, alice)
    with pytest.raises(services.NoTaskError):
        take(project, bob)
    atomic(services.give_back, worker=alice, assignment=lease)
    assert take(project, bob).task_id == lease.task_id


def test_expired_lease_is_reissued_and_the_late_answer_refused(make_project, make_batch, worker):
    project = make_project(overlap=1, lease_seconds=30)
    make_batch(project, photo_rows(1))
    alice, bob = worker(), worker()
    lease = take(project, alice)
    Assignment.objects.filter(pk=lease.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.leases_expire() == 1
    given = take(project, bob)
    assert given.task_id == lease.task_id
    answer(bob, given, {"label": "cat"})
    with pytest.raises(ConflictError):
        answer(alice, lease, {"label": "dog"})
    task = Task.objects.get()
    assert task.accepted == 1


def test_late_answer_is_kept_when_the_task_still_has_room(make_project, make_batch, worker):
    project = make_project(overlap=2)
    make_batch(project, photo_rows(1))
    alice = worker()
    lease = take(project, alice)
    Assignment.objects.filter(pk=lease.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert answer(alice, lease, {"label": "cat"}).status == AssignmentStatus.SUBMITTED


def test_answers_must_fit_the_template(make_project, make_batch, worker):
    project = make_project()
    make_batch(project, photo_rows(1))
    person = worker()
    lease = take(project, person)
    for bad in ({"label": "horse"}, {"text": "cat"}, "cat", {}):
        with pytest.raises(InvalidInput):
            answer(person, lease, bad)
    lease.refresh_from_db()
    assert lease.status == AssignmentStatus.LEASED
    stranger = worker()
    with pytest.raises(PermissionDeniedError):
        answer(stranger, lease, {"label": "cat"})


@pytest.mark.parametrize(
    ("template", "extra", "row", "good", "bad"),
    [
        ("caption", {"labels": []}, {"image": "https://x/1.jpg"}, {"text": " A  cat "}, {"text": "  "}),
        ("transcribe", {"labels": []}, {"media": "https://x/1.mp3"}, {"text": "hello"}, {"text": ""}),
        ("proofread", {"labels": []}, {"text": "Teh cat"}, {"text": "The cat"}, {"label": "x"}),
        ("record", {"labels": [], "fields": ["name", "city"]}, {"name": "Ann", "city": "Hanoi"},
         {"fields": {"name": "Anna", "city": "Hanoi"}}, {"fields": {"name": "Anna"}}),
        ("compare", {"labels": []}, {"left": "https://x/a.jpg", "right": "https://x/b.jpg"},
         {"choice": "left"}, {"choice": "both"}),
    ],
)  # fmt: skip
def test_every_template_takes_its_answer(
    make_project, make_batch, worker, template, extra, row, good, bad
):
    project = make_project(template=template, **extra)
    make_batch(project, [{"id": "1", **row}])
    person = worker()
    lease = take(project, person)
    with pytest.raises(InvalidInput):
        answer(person, lease, bad)
    assert answer(person, lease, good).status == AssignmentStatus.SUBMITTED


def test_worker_requirements(make_project, make_batch, make_user, owner):
    project = make_project(min_reputation=10, languages=["vi"], countries=["VN"])
    make_batch(project, photo_rows(2))
    with pytest.raises(services.BlockedError):
        take(project, make_user())
    with pytest.raises(services.BlockedError):
        take(project, make_user(reputation=20, languages=["ru"], country="VN"))
    with pytest.raises(services.BlockedError):
        take(project, owner)
    assert take(project, make_user(reputation=20, languages=["vi"], country="VN"))


# Gold and quality -----------------------------------------------------------------------


def test_gold_feedback_and_blocking(make_project, make_batch, worker):
    project = make_project(gold_rate=0.5, qualification_tasks=3, min_gold_accuracy=0.7)
    make_batch(project, photo_rows(10, gold={0: "cat", 1: "dog", 2: "cat"}))
    careful, careless = worker(), worker()
    for person, wrong in ((careful, False), (careless, True)):
        for _ in range(3):
            lease = take(project, person)
            assert lease.task.is_gold  # qualification comes first
            expected = lease.task.gold_answer["label"]
            label = ("dog" if expected == "cat" else "cat") if wrong else expected
            assert answer(person, lease, {"label": label}).gold_correct is (not wrong)
    assert WorkerStat.objects.get(worker=careless).blocked
    with pytest.raises(services.BlockedError):
        take(project, careless)
    assert not take(project, careful).task.is_gold


def test_fast_answers_are_flagged(make_project, make_batch, worker):
    project = make_project(overlap=1)
    make_batch(project, photo_rows(12))
    people = [worker() for _ in range(12)]
    for person in people[:11]:
        lease = take(project, person)
        Assignment.objects.filter(pk=lease.pk).update(
            leased_at=timezone.now() - timedelta(seconds=60)
        )
        lease.refresh_from_db()
        assert not answer(person, lease, {"label": "cat"}).flagged_fast
    lease = take(project, people[11])
    assert answer(people[11], lease, {"label": "cat"}).flagged_fast


def test_dynamic_overlap_asks_for_more_answers_until_confident(make_project, make_batch, worker):
    project = make_project(overlap=2, max_overlap=4, target_confidence=0.7)
    make_batch(project, photo_rows(1))
    people = [worker() for _ in range(4)]
    answer(people[0], take(project, people[0]), {"label": "cat"})
    answer(people[1], take(project, people[1]), {"label": "dog"})
    task = Task.objects.get()
    assert (task.answers_needed, task.done) == (3, False)  # a split vote: one more answer
    answer(people[2], take(project, people[2]), {"label": "cat"})
    task.refresh_from_db()
    assert (task.answers_needed, task.done) == (4, False)  # 2 of 3 is still under 0.7
    answer(people[3], take(project, people[3]), {"label": "cat"})
    task.refresh_from_db()
    assert task.done  # the cap is reached


# Review and pay -------------------------------------------------------------------------


def test_approve_pays_once_and_reject_reopens_the_task(make_project, make_batch, worker, owner):
    project = make_project(overlap=1)
    make_batch(project, photo_rows(2))
    alice, bob, carol = worker(), worker(), worker()
    paid = answer(alice, take(project, alice), {"label": "cat"})
    refused = answer(bob, take(project, bob), {"label": "dog"})
    for _retry in range(3):
        atomic(review.approve, actor=owner, assignment=paid)
    assert wallet(alice) == REWARD
    with pytest.raises(InvalidInput):
        atomic(review.reject, actor=owner, assignment=refused, reason=" ")
    atomic(review.reject, actor=owner, assignment=refused, reason="It is a cat")
    assert Task.objects.get(pk=refused.task_id).done is False
    assert take(project, carol).task_id == refused.task_id
    with pytest.raises(PermissionDeniedError):
        atomic(review.approve, actor=bob, assignment=refused)
    with pytest.raises(ConflictError):
        atomic(review.approve, actor=owner, assignment=refused)
    assert wallet(bob) == 0
    assert ledger_verify().ok


def test_appeal_once_then_the_brand_decides(make_project, make_batch, worker, owner):
    project = make_project(overlap=1)
    make_batch(project, photo_rows(1))
    bob = worker()
    refused = answer(bob, take(project, bob), {"label": "dog"})
    atomic(review.reject, actor=owner, assignment=refused, reason="Wrong")
    with pytest.raises(InvalidInput):
        atomic(review.appeal, worker=bob, assignment=refused, text="")
    atomic(review.appeal, worker=bob, assignment=refused, text="Look at the ears")
    with pytest.raises(ConflictError):
        atomic(review.appeal, worker=bob, assignment=refused, text="Again")
    atomic(review.approve, actor=owner, assignment=refused)
    assert wallet(bob) == REWARD


def test_auto_approval_job(make_project, make_batch, worker):
    project = make_project(overlap=1, auto_approve_days=3)
    make_batch(project, photo_rows(2))
    alice = worker()
    submitted = answer(alice, take(project, alice), {"label": "cat"})
    assert tasks.auto_approve() == 0
    Assignment.objects.filter(pk=submitted.pk).update(
        submitted_at=timezone.now() - timedelta(days=4)
    )
    assert tasks.auto_approve() == 1
    assert tasks.auto_approve() == 0
    assert wallet(alice) == REWARD


def test_batch_closes_after_reviews_and_returns_the_unused_budget(
    make_project, make_batch, worker, owner, brand
):
    project = make_project(overlap=1)
    batch = make_batch(project, photo_rows(3))
    alice = worker()
    submitted = answer(alice, take(project, alice), {"label": "cat"})
    batch = atomic(services.batch_close, actor=owner, batch=batch)
    assert batch.status == BatchStatus.CLOSING  # one answer still waits for review
    with pytest.raises(services.NoTaskError):
        take(project, worker())
    atomic(review.approve, actor=owner, assignment=submitted)
    assert tasks.close_batches() == 1
    assert tasks.close_batches() == 0
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CLOSED
    assert org_balance(brand) == 1_000_000 - COST
    assert ledger_verify().ok


def test_finished_batch_starts_closing_by_itself(make_project, make_batch, worker, owner):
    project = make_project(overlap=1)
    batch = make_batch(project, photo_rows(1))
    alice = worker()
    atomic(
        review.approve,
        actor=owner,
        assignment=answer(alice, take(project, alice), {"label": "cat"}),
    )
    assert tasks.close_batches() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CLOSED


def test_a_free_task_is_found_behind_many_leased_ones(make_project, make_batch, worker):
    project = make_project(overlap=1)
    make_batch(project, photo_rows(services.CANDIDATES_PER_TRY + 2))
    leased = {take(project, worker()).task_id for _ in range(services.CANDIDATES_PER_TRY + 1)}
    last = take(project, worker())
    assert last.task_id not in leased
