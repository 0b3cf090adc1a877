"""Ledger throughput and verification time. Prints figures; not a test.

    TOLPA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/ledger.py

Creates its own throw-away database `<name>_bench` (dropped at the end), then measures:
transfers per second with 8 client threads on hot accounts (every transfer touches one
escrow) and on spread accounts (disjoint wallets), and the seconds to verify 1,000,000
postings with `ledger_verify`. Use --quick for a small run."""

import argparse
import threading
import time

from django.db import connection, connections, transaction
from django.test.utils import teardown_databases
from harness import bench_database


def _users(n: int, tag: str):
    from tolpa.accounts.models import User

    return User.objects.bulk_create(
        User(email=f"{tag}{i}@bench.test", display_name=f"B{i}") for i in range(n)
    )


def run_clients(clients: int, per_client: int, make_transfer) -> float:
    barrier = threading.Barrier(clients)
    errors = []

    def client(index: int):
        try:
            barrier.wait()
            for step in range(per_client):
                with transaction.atomic():
                    make_transfer(index, step)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return clients * per_client / elapsed


def bench_throughput(clients: int, per_client: int) -> dict[str, float]:
    from tolpa.ledger import services
    from tolpa.ledger.models import TransferKind

    users = _users(clients * 2, "tp")
    wallets = [services.account_for_user(user=u, currency="USD") for u in users]
    external = services.account_external(provider="bench", currency="USD")
    with transaction.atomic():
        for i, wallet in enumerate(wallets):
            services.move(
                source=external,
                destination=wallet,
                amount=10**9,
                key=f"seed-{i}",
                kind=TransferKind.DEPOSIT,
            )
    escrow = services.account_escrow(reference="bench:hot", currency="USD")

    def hot(index, step):
        services.hold(source=wallets[index], escrow=escrow, amount=1, key=f"hot-{index}-{step}")

    def spread(index, step):
        services.move(
            source=wallets[index],
            destination=wallets[clients + index],
            amount=1,
            key=f"spread-{index}-{step}",
            kind=TransferKind.PAYMENT,
        )

    return {
        "hot": run_clients(clients, per_client, hot),
        "spread": run_clients(clients, per_client, spread),
    }


def bench_verify(postings: int) -> tuple[float, int]:
    """Bulk-load postings (pairs of balanced lines), fix balances, then time ledger_verify."""
    from tolpa.ledger import services
    from tolpa.ledger.models import Account, Posting, Transfer
    from tolpa.ledger.verify import ledger_verify

    users = _users(1000, "vf")
    wallets = [services.account_for_user(user=u, currency="USD") for u in users]
    external = services.account_external(provider="bulk", currency="USD")
    batch = 10_000
    totals: dict[int, int] = {}
    for start in range(0, postings // 2, batch):
        count = min(batch, postings // 2 - start)
        transfers = Transfer.objects.bulk_create(
            Transfer(idempotency_key=f"bulk-{start + i}", kind="deposit", fingerprint="x")
            for i in range(count)
        )
        rows = []
        for i, transfer in enumerate(transfers):
            wallet = wallets[(start + i) % len(wallets)]
            rows.append(
                Posting(
                    transfer=transfer, account=external, amount=-7, currency="USD", balance_after=0
                )
            )
            rows.append(
                Posting(
                    transfer=transfer, account=wallet, amount=7, currency="USD", balance_after=0
                )
            )
            totals[wallet.pk] = totals.get(wallet.pk, 0) + 7
        Posting.objects.bulk_create(rows, batch_size=batch)
    for account_id, total in totals.items():
        Account.objects.filter(pk=account_id).update(balance=total)
    Account.objects.filter(pk=external.pk).update(balance=-sum(totals.values()))
    started = time.perf_counter()
    report = ledger_verify()
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"the bulk-loaded ledger does not balance: {report}")
    return seconds, report.postings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run (seconds, not minutes)")
    args = parser.parse_args()
    clients, per_client, postings = (8, 50, 100_000) if args.quick else (8, 250, 1_000_000)
    old_config = bench_database()
    try:
        vendor = connection.vendor
        rates = bench_throughput(clients, per_client)
        seconds, counted = bench_verify(postings)
    finally:
        connections.close_all()
        teardown_databases(old_config, verbosity=0)
    print(
        f"database: {vendor}, {clients} client threads, {clients * per_client} transfers per scenario"
    )
    print(f"{'scenario':<34}{'figure':>14}")
    print(f"{'hot accounts (one escrow)':<34}{rates['hot']:>10.0f} tr/s")
    print(f"{'spread accounts':<34}{rates['spread']:>10.0f} tr/s")
    print(f"{'spread / hot':<34}{rates['spread'] / rates['hot']:>12.2f} x")
    print(f"{f'verify {counted:,} postings':<34}{seconds:>12.2f} s")


if __name__ == "__main__":
    main()
