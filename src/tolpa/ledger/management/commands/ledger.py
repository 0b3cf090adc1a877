"""`tolpa ledger verify`: recompute every balance from postings and report drift."""

import time

from django.core.management.base import BaseCommand, CommandError

from tolpa.ledger.verify import ledger_verify


class Command(BaseCommand):
    help = "Ledger maintenance. `verify` recomputes balances from postings and reports drift."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = ledger_verify()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{report.accounts} accounts, {report.postings} postings checked in {seconds:.2f}s"
        )
        for currency, total in sorted(report.currency_totals.items()):
            self.stdout.write(f"  {currency}: postings sum to {total}")
        for code, cached, derived in report.drifted_accounts:
            self.stdout.write(
                self.style.ERROR(f"  drift on {code}: cached {cached}, postings {derived}")
            )
        for transfer_id in report.unbalanced_transfers:
            self.stdout.write(self.style.ERROR(f"  transfer {transfer_id} does not balance"))
        if not report.ok:
            raise CommandError("the ledger does not balance")
        self.stdout.write(self.style.SUCCESS("The ledger balances."))
