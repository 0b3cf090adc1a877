import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests.contests.conftest import deposit
from tolpa.ledger import services as ledger
from tolpa.microtasks import services

REWARD = 100  # 1.00 USD per answer; the brand pays 20% on top


def csv_file(rows: list[dict], name: str = "tasks.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode())


def photo_rows(count: int, gold: dict[int, str] | None = None) -> list[dict]:
    gold = gold or {}
    return [
        {"id": f"p{i}", "image": f"https://img.example/{i}.jpg", "gold": gold.get(i, "")}
        for i in range(count)
    ]


def wallet(user) -> int:
    return ledger.account_for_user(user=user, currency="USD").balance


@pytest.fixture
def brand(organization):
    deposit(ledger.account_for_organization(organization=organization, currency="USD"), 1_000_000)
    return organization


@pytest.fixture
def make_project(owner, brand):
    def make(**fields):
        options = {"title": "Cats or dogs", "template": "classify", "currency": "USD",
                   "reward": REWARD, "labels": ["cat", "dog"], "overlap": 2, "gold_rate": 0.0, **fields}  # fmt: skip
        with transaction.atomic():
            return services.project_create(actor=owner, organization=brand, **options)

    return make


@pytest.fixture
def make_batch(owner):
    def make(project, rows, launch=True, media=None):
        with transaction.atomic():
            batch = services.batch_create(actor=owner, project=project, name="Batch",
                                          upload=csv_file(rows), media=media)  # fmt: skip
            if launch:
                batch = services.batch_launch(actor=owner, batch=batch)
        return batch

    return make


@pytest.fixture
def worker(make_user):
    return lambda **kwargs: make_user(**kwargs)


def take(project, person):
    with transaction.atomic():
        return services.next_task(worker=person, project=project)


def answer(person, assignment, payload):
    with transaction.atomic():
        return services.submit(worker=person, assignment=assignment, answer=payload)
