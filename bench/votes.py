"""A burst of public-vote requests on one contest poll through the HTTP API, against an
empty Django view served by the same server in the same run. Prints figures; not a test.

    TOLPA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/votes.py

Creates a throw-away database `<name>_bench`, seeds a launched contest with a poll of 8
entries and 10,000 voter accounts with API tokens, starts gunicorn on 127.0.0.1, then sends
40,000 vote requests (every account four times, shuffled) from client threads. One vote per
account may count: the figures check that exactly 10,000 were accepted, that every accepted
vote is stored (none lost) and that no account has two (none doubled). --quick: 1,000
accounts and 4,000 requests."""

import argparse
import hashlib
import http.client
import json
import random
import statistics
import threading
import time

from django.db import connection, connections, transaction
from django.test.utils import teardown_databases
from harness import PORT, bench_database, bench_database_url, percentile_ms, start_server

ENTRIES = 8


def seed(voters: int) -> tuple[str, list[str]]:
    """A live contest with a poll, and `voters` accounts with one API token each."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from tolpa.accounts.models import ApiToken, User
    from tolpa.accounts.services import organization_create
    from tolpa.contests import services, votes
    from tolpa.ledger import services as ledger
    from tolpa.ledger.models import TransferKind

    old = timezone.now() - timedelta(days=30)
    owner = User.objects.create(email="owner@bench.test", display_name="Owner", date_joined=old)
    organization = organization_create(owner=owner, name="Bench brand")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'
    with transaction.atomic():
        wallet = ledger.account_for_organization(organization=organization, currency="USD")
        ledger.move(source=ledger.account_external(provider="sandbox", currency="USD"), destination=wallet,
                    amount=100_000, key="bench-deposit", kind=TransferKind.DEPOSIT)  # fmt: skip
        contest = services.contest_create(actor=owner, organization=organization, title="Bench logo",
                                          category="logo", currency="USD", prizes=[50_000])  # fmt: skip
        contest = services.contest_launch(actor=owner, contest=contest)
        for i in range(ENTRIES):
            author = User.objects.create(
                email=f"d{i}@bench.test", display_name=f"D{i}", date_joined=old
            )
            services.entry_submit(actor=author, contest=contest, declared_original=True,
                                  upload=SimpleUploadedFile(f"e{i}.svg", svg))  # fmt: skip
        votes.poll_open(actor=owner, contest=contest, days=3, hide_counts=True)
    users = User.objects.bulk_create(
        (
            User(email=f"v{i}@bench.test", display_name=f"V{i}", date_joined=old)
            for i in range(voters)
        ),
        batch_size=5000,
    )
    secrets = [f"bench-token-{i}-{random.getrandbits(64):x}" for i in range(voters)]
    ApiToken.objects.bulk_create(
        (
            ApiToken(
                user=u, name="bench", prefix=s[:12], key_hash=hashlib.sha256(s.encode()).hexdigest()
            )
            for u, s in zip(users, secrets, strict=True)
        ),
        batch_size=5000,
    )
    return contest.campaign.slug, secrets


def burst(requests: list[tuple[str, str, bytes | None, dict]], clients: int):
    """Send every request from `clients` keep-alive connections; latencies and statuses."""
    latencies: list[float] = []
    statuses: list[tuple[int, int]] = []
    lock = threading.Lock()
    chunks = [requests[i::clients] for i in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def client(chunk):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        local_lat, local_status = [], []
        barrier.wait()
        for index, (method, path, body, headers) in chunk:
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            local_lat.append(time.perf_counter() - started)
            local_status.append((index, response.status))
        conn.close()
        with lock:
            latencies.extend(local_lat)
            statuses.extend(local_status)

    threads = [threading.Thread(target=client, args=(list(c),)) for c in chunks]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, statuses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    voters = 1_000 if args.quick else 10_000
    tries = 4
    old = bench_database()
    server = None
    try:
        from tolpa.contests.models import Vote

        vendor = connection.vendor
        slug, secrets = seed(voters)
        bench_url = bench_database_url()
        connections.close_all()
        server = start_server(bench_url, args.workers)
        empty = [(i, ("GET", "/bench/empty/", None, {})) for i in range(voters * tries)]
        empty_seconds, empty_lat, _ = burst(empty, args.clients)
        rng = random.Random(7)
        order = [v for v in range(voters) for _ in range(tries)]
        rng.shuffle(order)
        votes = [
            (i, ("POST", f"/api/v1/contests/{slug}/votes", json.dumps({"entry": rng.randint(1, ENTRIES)}).encode(),
                 {"Authorization": f"Bearer {secrets[v]}", "Content-Type": "application/json"}))
            for i, v in enumerate(order)
        ]  # fmt: skip
        vote_seconds, vote_lat, statuses = burst(votes, args.clients)
        accepted_voters = {order[i] for i, status in statuses if status == 201}
        by_status: dict[int, int] = {}
        for _i, status in statuses:
            by_status[status] = by_status.get(status, 0) + 1
        stored = Vote.objects.count()
        doubled = stored - Vote.objects.values("voter").distinct().count()
        stored_voters = set(Vote.objects.values_list("voter__email", flat=True))
        accepted_emails = {f"v{v}@bench.test" for v in accepted_voters}
        lost = len(accepted_emails - stored_voters)
        unacknowledged = len(stored_voters - accepted_emails)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        connections.close_all()
        teardown_databases(old, verbosity=0)
    requests = voters * tries
    print(f"database: {vendor}; {requests:,} vote requests from {voters:,} accounts (each {tries} times), "
          f"{args.clients} client threads, gunicorn {args.workers} workers")  # fmt: skip
    print(f"{'':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'empty Django view':<28}{requests / empty_seconds:>10.0f}{statistics.median(empty_lat) * 1000:>10.1f}{percentile_ms(empty_lat, 99):>10.1f}")  # fmt: skip
    print(f"{'vote endpoint':<28}{requests / vote_seconds:>10.0f}{statistics.median(vote_lat) * 1000:>10.1f}{percentile_ms(vote_lat, 99):>10.1f}")  # fmt: skip
    print(
        f"ratio vote / empty throughput: {(requests / vote_seconds) / (requests / empty_seconds):.2f}"
    )
    print(f"responses by status: {dict(sorted(by_status.items()))}")
    print(f"accepted {len(accepted_voters):,} (expected {voters:,}); stored {stored:,}; lost {lost}; "
          f"doubled {doubled}; stored without a 201 {unacknowledged}")  # fmt: skip


if __name__ == "__main__":
    main()
