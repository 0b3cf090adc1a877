"""Microtask throughput: next-task + submit pairs by many simulated workers, through direct
service calls and through the HTTP API on gunicorn, with an empty Django view served the
same way in the same run as the baseline; and the time to import a 100,000-row CSV batch.
Prints figures; not a test.

    TOLPA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/microtasks.py

A throw-away database `<name>_bench`; 10,000 tasks with overlap 3 and 200 workers. After the
runs it checks that no task has more answers than its overlap and that no worker answered a
task twice. --quick: 1,000 tasks, 10,000-row import, fewer pairs."""

import argparse
import hashlib
import http.client
import io
import json
import random
import statistics
import threading
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.db.models import Count
from django.test.utils import teardown_databases
from harness import PORT, bench_database, bench_database_url, percentile_ms, start_server

WORKERS = 200


def csv_upload(rows: int) -> SimpleUploadedFile:
    buffer = io.StringIO()
    buffer.write("id,image\n")
    for i in range(rows):
        buffer.write(f"t{i},https://img.example/{i}.jpg\n")
    return SimpleUploadedFile("tasks.csv", buffer.getvalue().encode())


def seed(tasks: int):
    """A brand with money, a classification project with one live batch, and workers with tokens."""
    from tolpa.accounts.models import ApiToken, User
    from tolpa.accounts.services import organization_create
    from tolpa.ledger import services as ledger
    from tolpa.ledger.models import TransferKind
    from tolpa.microtasks import services

    owner = User.objects.create(email="owner@bench.test", display_name="Owner")
    organization = organization_create(owner=owner, name="Bench brand")
    with transaction.atomic():
        wallet = ledger.account_for_organization(organization=organization, currency="USD")
        ledger.move(source=ledger.account_external(provider="sandbox", currency="USD"), destination=wallet,
                    amount=10**12, key="bench-deposit", kind=TransferKind.DEPOSIT)  # fmt: skip
        project = services.project_create(actor=owner, organization=organization, title="Bench photos",
                                          template="classify", labels=["cat", "dog", "other"], currency="USD",
                                          reward=10, overlap=3, gold_rate=0, lease_seconds=3600)  # fmt: skip
        batch = services.batch_create(
            actor=owner, project=project, name="bench", upload=csv_upload(tasks)
        )
        services.batch_launch(actor=owner, batch=batch)
    workers = User.objects.bulk_create(
        User(email=f"w{i}@bench.test", display_name=f"W{i}") for i in range(WORKERS * 2)
    )
    secrets = [f"bench-worker-{i}-{random.getrandbits(64):x}" for i in range(len(workers))]
    ApiToken.objects.bulk_create(
        ApiToken(
            user=w, name="bench", prefix=s[:12], key_hash=hashlib.sha256(s.encode()).hexdigest()
        )
        for w, s in zip(workers, secrets, strict=True)
    )
    return owner, organization, project, workers, secrets


def direct_pairs(project, workers, pairs: int, threads: int):
    """next_task + submit through the services, `threads` at a time."""
    from tolpa.microtasks import services

    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = pairs // threads

    def run(index: int):
        mine = workers[index::threads]
        local = []
        try:
            for step in range(per_thread):
                person = mine[step % len(mine)]
                started = time.perf_counter()
                with transaction.atomic():
                    lease = services.next_task(worker=person, project=project)
                with transaction.atomic():
                    services.submit(worker=person, assignment=lease, answer={"label": "cat"})
                local.append(time.perf_counter() - started)
        finally:
            connections.close_all()
            with lock:
                latencies.extend(local)

    started = time.perf_counter()
    threads_ = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in threads_:
        thread.start()
    for thread in threads_:
        thread.join()
    return time.perf_counter() - started, latencies


def http_pairs(slug: str, secrets: list[str], pairs: int, clients: int, *, empty: bool):
    """Each client plays several workers: POST next, then POST submit (or two empty GETs)."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    per_client = pairs // clients
    barrier = threading.Barrier(clients + 1)

    def call(conn, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()

    def client(index: int):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        mine = secrets[index::clients]
        local, bad = [], []
        barrier.wait()
        for step in range(per_client):
            token = mine[step % len(mine)]
            started = time.perf_counter()
            if empty:
                call(conn, "GET", "/bench/empty/")
                call(conn, "GET", "/bench/empty/")
            else:
                status, body = call(conn, "POST", f"/api/v1/microtasks/{slug}/next", token=token)
                if status != 200:
                    bad.append(status)
                    continue
                assignment = json.loads(body)["assignment"]
                status, _body = call(conn, "POST", f"/api/v1/microtasks/assignments/{assignment}/submit",
                                     body=json.dumps({"answer": {"label": "dog"}}), token=token)  # fmt: skip
                if status != 200:
                    bad.append(status)
            local.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(local)
            failures.extend(bad)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, failures


def import_seconds(owner, organization, rows: int) -> float:
    from tolpa.microtasks import services

    with transaction.atomic():
        project = services.project_create(actor=owner, organization=organization, title="Import",
                                          template="caption", currency="USD", reward=10)  # fmt: skip
    upload = csv_upload(rows)
    started = time.perf_counter()
    with transaction.atomic():
        services.batch_create(actor=owner, project=project, name="import", upload=upload)
    return time.perf_counter() - started


def overlap_check(project) -> tuple[int, int]:
    from tolpa.microtasks.models import Assignment
    from tolpa.microtasks.services import LIVE_ANSWERS

    answers = Assignment.objects.filter(task__batch__project=project, status__in=LIVE_ANSWERS)
    over = answers.values("task").annotate(n=Count("pk")).filter(n__gt=project.overlap).count()
    twice = (
        Assignment.objects.filter(task__batch__project=project)
        .values("task", "worker").annotate(n=Count("pk")).filter(n__gt=1).count()
    )  # fmt: skip
    return over, twice


def row(label: str, pairs: int, seconds: float, latencies: list[float]) -> str:
    return (f"{label:<34}{pairs / seconds:>10.1f}{statistics.median(latencies) * 1000:>10.1f}"
            f"{percentile_ms(latencies, 99):>10.1f}")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    args = parser.parse_args()
    tasks, pairs, import_rows = (1_000, 400, 10_000) if args.quick else (10_000, 3_000, 100_000)
    old = bench_database()
    server = None
    try:
        vendor = connection.vendor
        owner, organization, project, workers, secrets = seed(tasks)
        direct_seconds, direct_lat = direct_pairs(project, workers[:WORKERS], pairs, threads=8)
        connections.close_all()
        server = start_server(bench_database_url(), args.gunicorn_workers)
        empty_seconds, empty_lat, _none = http_pairs(project.campaign.slug, secrets[WORKERS:], pairs,
                                                     args.clients, empty=True)  # fmt: skip
        http_seconds, http_lat, failures = http_pairs(project.campaign.slug, secrets[WORKERS:], pairs,
                                                      args.clients, empty=False)  # fmt: skip
        over, twice = overlap_check(project)
        imported = import_seconds(owner, organization, import_rows)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        connections.close_all()
        teardown_databases(old, verbosity=0)
    print(f"database: {vendor}; {tasks:,} tasks x overlap 3; {WORKERS} workers per path; "
          f"{args.clients} HTTP clients, gunicorn {args.gunicorn_workers} workers")  # fmt: skip
    print(f"{'next-task + submit pairs':<34}{'pairs/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    print(row(f"direct service calls ({pairs:,})", pairs, direct_seconds, direct_lat))
    print(row(f"HTTP API ({len(http_lat):,})", len(http_lat), http_seconds, http_lat))
    print(row("empty Django view, 2 GETs", len(empty_lat), empty_seconds, empty_lat))
    ratio = (len(http_lat) / http_seconds) / (len(empty_lat) / empty_seconds)
    print(f"ratio HTTP pairs / empty-view pairs: {ratio:.3f}")
    print(f"HTTP failures: {len(failures)} {sorted(set(failures))}")
    print(f"tasks over their overlap: {over}; a task answered twice by one worker: {twice}")
    print(
        f"import of a {import_rows:,}-row CSV batch: {imported:.1f} s ({import_rows / imported:,.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
