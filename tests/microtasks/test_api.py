"""Every microtasks API route: who may call it, and bad input (4xx, nothing changed)."""

import json

import pytest

from tests.microtasks.conftest import REWARD, csv_file, photo_rows, wallet
from tolpa.microtasks.models import Assignment, Project

pytestmark = pytest.mark.django_db


def _multipart(api_client, path, data):
    return api_client.inner.post(f"/api/v1{path}", data, headers=api_client.headers)


def test_create_permissions_and_bad_input(api_client, owner, brand, user):
    body = {"organization_id": brand.pk, "title": "Cats", "template": "classify", "currency": "USD",
            "reward": 100, "labels": ["cat", "dog"]}  # fmt: skip
    assert api_client.post("/microtasks", body).status_code == 401
    api_client.login(user)
    assert api_client.post("/microtasks", body).status_code == 404
    api_client.login(owner)
    for bad in ({"reward": 0}, {"overlap": 0}, {"overlap": 1000}, {"labels": ["x"]}, {"template": "x"},
                {"lease_seconds": 5}, {"reward": "lots"}, {"target_confidence": 2}, {"title": ""}):  # fmt: skip
        response = api_client.post("/microtasks", {**body, **bad})
        assert response.status_code == 422, (bad, response.content)
    assert not Project.objects.exists()
    created = api_client.post("/microtasks", body)
    assert created.status_code == 201
    assert created.json()["overlap"] == 3


def test_batches_launch_progress_results(api_client, make_project, owner, user, worker):
    project = make_project(overlap=1)
    slug = project.campaign.slug
    api_client.login(user)
    upload = {"file": csv_file(photo_rows(3, gold={0: "cat"}))}
    assert (
        _multipart(api_client, f"/microtasks/{slug}/batches", upload).status_code == 404
    )  # a draft
    api_client.login(owner)
    assert _multipart(api_client, f"/microtasks/{slug}/batches", {}).status_code == 422
    bad = {"file": csv_file([{"id": "1", "photo": "https://x/1.jpg"}])}
    response = _multipart(api_client, f"/microtasks/{slug}/batches", bad)
    assert response.status_code == 422
    assert "Missing columns: image" in response.json()["error"]["message"]
    created = _multipart(
        api_client,
        f"/microtasks/{slug}/batches",
        {"file": csv_file(photo_rows(3, gold={0: "cat"}))},
    )
    assert created.status_code == 201, created.content
    batch_id = created.json()["id"]
    assert created.json()["gold_count"] == 1
    assert api_client.post(f"/microtasks/{slug}/batches/999/launch").status_code == 404
    assert (
        api_client.post(f"/microtasks/{slug}/batches/{batch_id}/launch").json()["status"] == "live"
    )
    assert api_client.post(f"/microtasks/{slug}/batches/{batch_id}/launch").status_code == 409
    api_client.login(user)
    assert api_client.get(f"/microtasks/{slug}/batches/{batch_id}/progress").status_code == 403
    assert api_client.get(f"/microtasks/{slug}/batches/{batch_id}/results").status_code == 403
    lease = api_client.post(f"/microtasks/{slug}/next").json()
    assert set(lease) == {"assignment", "task", "data", "expires_at"}  # nothing about gold
    submitted = api_client.post(
        f"/microtasks/assignments/{lease['assignment']}/submit", {"answer": {"label": "cat"}}
    )
    assert submitted.status_code == 200
    api_client.login(owner)
    progress = api_client.get(f"/microtasks/{slug}/batches/{batch_id}/progress").json()
    assert progress["answers"] == 1
    results = json.loads(api_client.get(f"/microtasks/{slug}/batches/{batch_id}/results").content)
    assert results["method"] == "mv"
    assert len(results["tasks"]) == 2
    csv_body = api_client.get(
        f"/microtasks/{slug}/batches/{batch_id}/results", format="csv"
    ).content.decode()
    assert csv_body.splitlines()[0] == "task,answer,confidence,answers,method"


def test_worker_routes(api_client, make_project, make_batch, owner, user, worker):
    project = make_project(overlap=1)
    make_batch(project, photo_rows(2))
    slug = project.campaign.slug
    assert api_client.post(f"/microtasks/{slug}/next").status_code == 401
    api_client.login(owner)
    assert api_client.post(f"/microtasks/{slug}/next").status_code == 403  # the brand itself
    api_client.login(user)
    lease = api_client.post(f"/microtasks/{slug}/next").json()
    path = f"/microtasks/assignments/{lease['assignment']}"
    for bad in ({"answer": {"label": "horse"}}, {"answer": "cat"}, {}, {"answer": {"text": "cat"}}):
        assert api_client.post(f"{path}/submit", bad).status_code == 422, bad
    api_client.login(worker())
    assert api_client.post(f"{path}/submit", {"answer": {"label": "cat"}}).status_code == 404
    assert api_client.post(f"{path}/release").status_code == 404
    api_client.login(user)
    assert api_client.post(f"{path}/release?skip=true").status_code == 204
    second = api_client.post(f"/microtasks/{slug}/next").json()
    assert second["assignment"] != lease["assignment"]
    assert api_client.post(f"/microtasks/assignments/{second['assignment']}/submit",
                           {"answer": {"label": "dog"}}).json()["status"] == "submitted"  # fmt: skip
    response = api_client.post(f"/microtasks/{slug}/next")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_task"


def test_review_routes(api_client, make_project, make_batch, owner, user):
    project = make_project(overlap=1)
    batch = make_batch(project, photo_rows(2))
    slug = project.campaign.slug
    api_client.login(user)
    first = api_client.post(f"/microtasks/{slug}/next").json()["assignment"]
    api_client.post(f"/microtasks/assignments/{first}/submit", {"answer": {"label": "cat"}})
    second = api_client.post(f"/microtasks/{slug}/next").json()["assignment"]
    api_client.post(f"/microtasks/assignments/{second}/submit", {"answer": {"label": "dog"}})
    assert api_client.post(f"/microtasks/{slug}/answers/{first}/approve").status_code == 403
    assert api_client.get(f"/microtasks/{slug}/batches/{batch.pk}/review").status_code == 403
    api_client.login(owner)
    assert len(api_client.get(f"/microtasks/{slug}/batches/{batch.pk}/review").json()) == 2
    assert (
        api_client.post(f"/microtasks/{slug}/answers/{first}/approve").json()["status"]
        == "approved"
    )
    assert (
        api_client.post(f"/microtasks/{slug}/answers/{first}/approve").json()["status"]
        == "approved"
    )
    assert wallet(user) == REWARD
    assert (
        api_client.post(f"/microtasks/{slug}/answers/{second}/reject", {"reason": ""}).status_code
        == 422
    )
    assert (
        api_client.post(
            f"/microtasks/{slug}/answers/{second}/reject", {"reason": "Cat"}
        ).status_code
        == 200
    )
    assert api_client.post(f"/microtasks/{slug}/answers/999/approve").status_code == 404
    api_client.login(user)
    assert (
        api_client.post(f"/microtasks/assignments/{second}/appeal", {"text": ""}).status_code == 422
    )
    assert (
        api_client.post(f"/microtasks/assignments/{second}/appeal", {"text": "Ears"}).json()[
            "status"
        ]
        == "appealed"
    )
    assert (
        api_client.post(f"/microtasks/assignments/{second}/appeal", {"text": "Again"}).status_code
        == 409
    )
    api_client.login(owner)
    closed = api_client.post(f"/microtasks/{slug}/batches/{batch.pk}/close")
    assert closed.json()["status"] == "closing"
    assert api_client.post(f"/microtasks/{slug}/batches/{batch.pk}/close").status_code == 409


def test_public_reads_and_unknowns(api_client, make_project, make_batch):
    project = make_project()
    assert (
        api_client.get(f"/microtasks/{project.campaign.slug}").status_code == 404
    )  # still a draft
    make_batch(project, photo_rows(2))
    assert [p["slug"] for p in api_client.get("/microtasks").json()] == [project.campaign.slug]
    assert api_client.get("/microtasks/nope").status_code == 404
    assert api_client.get(f"/microtasks/{project.campaign.slug}/batches").status_code == 401
    assert not Assignment.objects.exists()
