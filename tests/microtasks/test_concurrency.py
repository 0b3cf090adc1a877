"""Many workers at once on real parallel connections (PostgreSQL; SQLite serializes)."""

import pytest
from django.db import transaction
from django.db.models import Count

from tests.concurrency import run_in_parallel
from tests.microtasks.conftest import REWARD, photo_rows, wallet
from tolpa.microtasks import review, services
from tolpa.microtasks.models import Assignment, AssignmentStatus

pytestmark = pytest.mark.django_db(transaction=True)


def _work(project, person, rounds: int) -> int:
    """Take and answer tasks until none is left; the number answered."""
    answered = 0
    for _ in range(rounds):
        try:
            with transaction.atomic():
                lease = services.next_task(worker=person, project=project)
            with transaction.atomic():
                services.submit(worker=person, assignment=lease, answer={"label": "cat"})
            answered += 1
        except services.NoTaskError:
            break
    return answered


def test_parallel_workers_never_exceed_overlap_nor_repeat_a_task(make_project, make_batch, worker):
    project = make_project(overlap=2)
    make_batch(project, photo_rows(12))
    people = iter([worker() for _ in range(8)])
    results = run_in_parallel(lambda: _work(project, next(people), 20), 8)
    assert not any(isinstance(r, Exception) for r in results), results
    assert sum(results) == 24  # 12 tasks x overlap 2, every one answered
    per_task = (
        Assignment.objects.filter(status=AssignmentStatus.SUBMITTED)
        .values("task")
        .annotate(n=Count("pk"))
    )
    assert {row["n"] for row in per_task} == {2}
    per_pair = Assignment.objects.values("task", "worker").annotate(n=Count("pk"))
    assert {row["n"] for row in per_pair} == {1}


def test_the_last_slot_of_a_task_goes_to_one_worker(make_project, make_batch, worker):
    project = make_project(overlap=1)
    make_batch(project, photo_rows(1))
    people = iter([worker() for _ in range(6)])

    def grab():
        with transaction.atomic():
            return services.next_task(worker=next(people), project=project)

    results = run_in_parallel(grab, 6)
    assert sum(isinstance(r, Assignment) for r in results) == 1, results
    assert all(
        isinstance(r, services.NoTaskError) for r in results if not isinstance(r, Assignment)
    )


def test_parallel_approvals_pay_once(make_project, make_batch, worker, owner):
    project = make_project(overlap=1)
    make_batch(project, photo_rows(1))
    person = worker()
    assert _work(project, person, 1) == 1
    submitted = Assignment.objects.get()

    def approve():
        with transaction.atomic():
            return review.approve(actor=owner, assignment=submitted)

    results = run_in_parallel(approve, 5)
    assert not any(isinstance(r, Exception) for r in results), results
    assert wallet(person) == REWARD
