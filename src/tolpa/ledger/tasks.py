"""Ledger jobs: settle sandbox payments whose delay passed; verify balances against postings."""

from celery import shared_task

from tolpa.ledger.payments import sandbox_settle_due
from tolpa.ledger.verify import ledger_verify


@shared_task(name="ledger.sandbox_settle")
def sandbox_settle() -> int:
    return sandbox_settle_due()


@shared_task(name="ledger.verify")
def verify_ledger() -> int:
    """Returns the number of problems found (0 when the books balance); problems are logged."""
    report = ledger_verify()
    return len(report.drifted_accounts) + len(report.unbalanced_transfers)
