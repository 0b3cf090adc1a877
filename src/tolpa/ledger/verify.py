"""Recompute every balance from postings and report drift. Read-only; three aggregate queries."""

import logging
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from tolpa.ledger.models import Account, Posting

logger = logging.getLogger(__name__)


@dataclass
class VerifyReport:
    accounts: int = 0
    postings: int = 0
    drifted_accounts: list[tuple[str, int, int]] = field(default_factory=list)
    unbalanced_transfers: list[int] = field(default_factory=list)
    currency_totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            not self.drifted_accounts
            and not self.unbalanced_transfers
            and not any(self.currency_totals.values())
        )


def ledger_verify() -> VerifyReport:
    report = VerifyReport()
    sums = dict(Posting.objects.order_by().values_list("account").annotate(total=Sum("amount")))
    for account_id, code, cached in Account.objects.order_by().values_list("pk", "code", "balance"):
        report.accounts += 1
        derived = sums.get(account_id, 0)
        if derived != cached:
            report.drifted_accounts.append((code, cached, derived))
    report.unbalanced_transfers = list(
        Posting.objects.order_by()
        .values("transfer", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("transfer", flat=True)
    )
    for currency, total, count in (
        Posting.objects.order_by()
        .values_list("currency")
        .annotate(total=Sum("amount"), n=Count("id"))
    ):
        report.currency_totals[currency] = total
        report.postings += count
    if not report.ok:
        logger.error("ledger drift: %s", report)
    return report
