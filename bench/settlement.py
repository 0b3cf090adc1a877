"""Settle a crowdfunding campaign with many pledges: seconds, and the ratio to the floor
(inserting the same refund postings in bulk). Prints figures; not a test.

    TOLPA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/settlement.py

Uses a throw-away database `<name>_bench`. --quick runs 10,000 pledges instead of 100,000."""

import argparse
import time
from datetime import timedelta

from django.db import connection, connections, transaction
from django.test.utils import teardown_databases
from django.utils import timezone
from harness import bench_database

AMOUNT = 1_000


def seed(pledges: int):
    """A live campaign whose escrow holds `pledges` pledges, written in bulk."""
    from tolpa.accounts.models import User
    from tolpa.accounts.services import organization_create
    from tolpa.crowdfunding import services
    from tolpa.crowdfunding.models import Pledge
    from tolpa.ledger.models import Account, AccountKind, Posting, Transfer

    owner = User.objects.create(email="owner@bench.test", display_name="Owner")
    organization = organization_create(owner=owner, name="Bench brand")
    with transaction.atomic():
        project = services.project_create(actor=owner, organization=organization, title="Bench", goal=10**12,
                                          currency="USD", duration_days=30)  # fmt: skip
        services.project_launch(actor=owner, project=project)
    users = User.objects.bulk_create(
        (User(email=f"b{i}@bench.test", display_name=f"B{i}") for i in range(pledges)),
        batch_size=5000,
    )
    wallets = Account.objects.bulk_create(
        (
            Account(code=f"user:{u.pk}:USD", kind=AccountKind.USER_WALLET, currency="USD", user=u)
            for u in users
        ),
        batch_size=5000,
    )
    escrow = Account.objects.create(code=f"escrow:{project.escrow_reference}:USD", kind=AccountKind.ESCROW,
                                    currency="USD", reference=project.escrow_reference, balance=AMOUNT * pledges)  # fmt: skip
    external = Account.objects.create(code="external:bulk:USD", kind=AccountKind.EXTERNAL, currency="USD",
                                      balance=-AMOUNT * pledges)  # fmt: skip
    transfers = Transfer.objects.bulk_create(
        (
            Transfer(idempotency_key=f"seed-{i}", kind="hold", fingerprint="seed")
            for i in range(pledges)
        ),
        batch_size=5000,
    )
    Posting.objects.bulk_create(
        (p for t in transfers for p in (
            Posting(transfer=t, account=external, amount=-AMOUNT, currency="USD", balance_after=0),
            Posting(transfer=t, account=escrow, amount=AMOUNT, currency="USD", balance_after=0),
        )),
        batch_size=10_000,
    )  # fmt: skip
    Pledge.objects.bulk_create(
        (Pledge(project=project, backer=u, amount=AMOUNT) for u in users), batch_size=5000
    )
    project.raised, project.backers_count = AMOUNT * pledges, pledges
    project.save(update_fields=["raised", "backers_count"])
    return project, wallets


def floor_seconds(wallets) -> float:
    """Insert one refund posting per pledge plus the transfers, in bulk, inside a rolled-back transaction."""
    from tolpa.ledger.models import Posting, Transfer

    started = time.perf_counter()
    with transaction.atomic():
        transfers = Transfer.objects.bulk_create(
            Transfer(idempotency_key=f"floor-{i}", kind="refund", fingerprint="x")
            for i in range(len(wallets) // 1000 + 1)
        )
        Posting.objects.bulk_create(
            (Posting(transfer=transfers[i // 1000], account=w, amount=AMOUNT, currency="USD", balance_after=AMOUNT)
             for i, w in enumerate(wallets)),
            batch_size=10_000,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    pledges = 10_000 if args.quick else 100_000
    old = bench_database()
    try:
        from tolpa.campaigns.models import Campaign
        from tolpa.crowdfunding import services
        from tolpa.ledger.verify import ledger_verify

        vendor = connection.vendor
        project, wallets = seed(pledges)
        floor = floor_seconds(wallets)
        now = timezone.now()
        Campaign.objects.filter(pk=project.campaign_id).update(
            starts_at=now - timedelta(days=31), ends_at=now
        )
        started = time.perf_counter()
        services.project_settle(project_id=project.pk)
        seconds = time.perf_counter() - started
        report = ledger_verify()
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)
    print(
        f"database: {vendor}; {pledges:,} pledges of {AMOUNT} minor units; goal missed, so every pledge is refunded"
    )
    print(f"{'settlement (refund all, batches of 1000)':<44}{seconds:>9.2f} s")
    print(f"{'floor: bulk insert of the same postings':<44}{floor:>9.2f} s")
    print(f"{'ratio settlement / floor':<44}{seconds / floor:>9.1f} x")
    print(f"{'pledges settled per second':<44}{pledges / seconds:>9.0f}")
    print(f"ledger verifies after settlement: {report.ok}")


if __name__ == "__main__":
    main()
