"""The only place money moves. Every function runs inside the caller's transaction,
locks the accounts it touches in primary-key order and writes one balanced transfer."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tolpa.accounts.models import Organization, User
from tolpa.errors import ConflictError, InvalidInput
from tolpa.ledger.models import (
    NON_NEGATIVE_KINDS,
    Account,
    AccountKind,
    Posting,
    Transfer,
    TransferKind,
)
from tolpa.ledger.money import MAX_AMOUNT, validate_amount, validate_currency


class InsufficientFundsError(ConflictError):
    code = "insufficient_funds"


class IdempotencyConflictError(ConflictError):
    code = "idempotency_conflict"


@dataclass(frozen=True)
class Line:
    account: Account
    amount: int


# Accounts -------------------------------------------------------------------------------


def _account(code: str, **fields) -> Account:
    account, _created = Account.objects.get_or_create(code=code, defaults=fields)
    return account


def account_for_user(*, user: User, currency: str) -> Account:
    currency = validate_currency(currency)
    return _account(
        f"user:{user.pk}:{currency}", kind=AccountKind.USER_WALLET, currency=currency, user=user
    )


def accounts_for_users(*, user_ids: Iterable[int], currency: str) -> dict[int, Account]:
    """Wallets of many users in two queries (settlement batches refund thousands at once)."""
    currency = validate_currency(currency)
    codes = {f"user:{pk}:{currency}": pk for pk in set(user_ids)}
    wallets = {account.user_id: account for account in Account.objects.filter(code__in=codes)}
    missing = [code for code, pk in codes.items() if pk not in wallets]
    if missing:
        Account.objects.bulk_create(
            (
                Account(
                    code=code, kind=AccountKind.USER_WALLET, currency=currency, user_id=codes[code]
                )
                for code in missing
            ),
            ignore_conflicts=True,
        )
        wallets.update((a.user_id, a) for a in Account.objects.filter(code__in=missing))
    return wallets


def account_for_organization(*, organization: Organization, currency: str) -> Account:
    currency = validate_currency(currency)
    return _account(
        f"org:{organization.pk}:{currency}", kind=AccountKind.ORG_WALLET, currency=currency,
        organization=organization,
    )  # fmt: skip


def account_escrow(*, reference: str, currency: str) -> Account:
    """An escrow per campaign, contract or payout, e.g. reference `campaign:12`."""
    currency = validate_currency(currency)
    return _account(
        f"escrow:{reference}:{currency}",
        kind=AccountKind.ESCROW,
        currency=currency,
        reference=reference,
    )


def account_fee_income(*, currency: str) -> Account:
    currency = validate_currency(currency)
    return _account(f"fee:{currency}", kind=AccountKind.FEE_INCOME, currency=currency)


def account_external(*, provider: str, currency: str) -> Account:
    currency = validate_currency(currency)
    return _account(
        f"external:{provider}:{currency}",
        kind=AccountKind.EXTERNAL,
        currency=currency,
        reference=provider,
    )


def accounts_lock(*, account_ids: Iterable[int]) -> dict[int, Account]:
    """Lock accounts in primary-key order so two transfers never deadlock."""
    ids = sorted(set(account_ids))
    return {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


# Transfers ------------------------------------------------------------------------------


def _fingerprint(kind: str, lines: Sequence[Line], reverses_id: int | None) -> str:
    content = {
        "kind": kind,
        "lines": sorted((line.account.code, line.amount) for line in lines),
        "reverses": reverses_id,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _validate_lines(lines: Sequence[Line]) -> None:
    if len(lines) < 2:
        raise InvalidInput(_("A transfer needs at least two postings."))
    if len({line.account.pk for line in lines}) != len(lines):
        raise InvalidInput(_("An account appears twice in one transfer."))
    totals: dict[str, int] = defaultdict(int)
    for line in lines:
        if isinstance(line.amount, bool) or not isinstance(line.amount, int):
            raise InvalidInput(fields={"amount": [_("Amounts are whole minor units.")]})
        if line.amount == 0 or abs(line.amount) > MAX_AMOUNT:
            raise InvalidInput(fields={"amount": [_("An amount is zero or out of range.")]})
        totals[line.account.currency] += line.amount
    if any(totals.values()):
        raise InvalidInput(_("A transfer must balance in each currency."))
    if len(totals) != 1:
        raise InvalidInput(_("Transfers between currencies are refused."))


def _existing(key: str, fingerprint: str) -> Transfer | None:
    transfer = Transfer.objects.filter(idempotency_key=key).first()
    if transfer is not None and transfer.fingerprint != fingerprint:
        raise IdempotencyConflictError(
            _("This idempotency key was already used for a different transfer.")
        )
    return transfer


def _balances_write(balances: dict[int, int]) -> None:
    """All new balances of a transfer in one UPDATE ... FROM (VALUES ...). Hand-written because
    the ORM's Case/When spelling costs ~0.3 ms per account to compile: a 1,000-line settlement
    batch spent more time building SQL than running it (bench/settlement.py)."""
    table = connection.ops.quote_name(Account._meta.db_table)
    rows = ", ".join(["(CAST(%s AS BIGINT), CAST(%s AS BIGINT))"] * len(balances))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET balance = v.column2 FROM (VALUES {rows}) AS v "  # noqa: S608
            f"WHERE {table}.id = v.column1",
            [value for pair in balances.items() for value in pair],
        )


def transfer_create(
    *, key: str, kind: str, lines: Sequence[Line], memo: str = "", reverses: Transfer | None = None
) -> Transfer:
    """Write one balanced transfer exactly once per key. The same key with the same content
    returns the first transfer; with other content it is refused (409)."""
    if not key or len(key) > 200:
        raise InvalidInput(
            fields={"key": [_("An idempotency key of 1 to 200 characters is required.")]}
        )
    if kind not in TransferKind.values:
        raise InvalidInput(fields={"kind": [_("Unknown transfer kind.")]})
    _validate_lines(lines)
    fingerprint = _fingerprint(kind, lines, reverses.pk if reverses else None)
    locked = accounts_lock(account_ids=[line.account.pk for line in lines])
    existing = _existing(key, fingerprint)
    if existing is not None:
        return existing
    new_balances = {}
    for line in lines:
        account = locked[line.account.pk]
        balance = account.balance + line.amount
        if balance < 0 and account.kind in NON_NEGATIVE_KINDS:
            raise InsufficientFundsError(
                _("Not enough money on %(account)s.") % {"account": account.get_kind_display()}
            )
        new_balances[account.pk] = balance
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                idempotency_key=key,
                kind=kind,
                fingerprint=fingerprint,
                memo=memo[:300],
                reverses=reverses,
            )
            Posting.objects.bulk_create(
                Posting(
                    transfer=transfer, account_id=line.account.pk, amount=line.amount,
                    currency=line.account.currency, balance_after=new_balances[line.account.pk],
                )
                for line in lines
            )  # fmt: skip
            _balances_write(new_balances)
    except IntegrityError:
        existing = _existing(key, fingerprint)
        if existing is None:
            raise
        return existing
    for line in lines:
        line.account.balance = new_balances[line.account.pk]
    return transfer


def transfer_reverse(*, transfer: Transfer, key: str, memo: str = "") -> Transfer:
    """Undo a transfer with a new, opposite one; the original is never edited."""
    if hasattr(transfer, "reversed_by"):
        existing = transfer.reversed_by
        if existing.idempotency_key == key:
            return existing
        raise ConflictError(_("This transfer was already reversed."))
    lines = [Line(p.account, -p.amount) for p in transfer.postings.select_related("account")]
    return transfer_create(
        key=key, kind=TransferKind.REVERSAL, lines=lines, memo=memo or f"reversal of {transfer.pk}",
        reverses=transfer,
    )  # fmt: skip


def move(
    *, source: Account, destination: Account, amount: int, key: str, kind: str, memo: str = ""
) -> Transfer:
    """A plain two-line transfer of a positive amount."""
    validate_amount(amount)
    return transfer_create(
        key=key, kind=kind, lines=[Line(source, -amount), Line(destination, amount)], memo=memo
    )


# Escrow -------------------------------------------------------------------------------


def fee_for(*, campaign_kind: str, amount: int) -> int:
    """The platform fee in minor units, rounded down in the payee's favour."""
    basis_points = settings.TOLPA_FEE_BASIS_POINTS.get(campaign_kind, 0)
    return amount * basis_points // 10_000


def hold(*, source: Account, escrow: Account, amount: int, key: str, memo: str = "") -> Transfer:
    if escrow.kind != AccountKind.ESCROW:
        raise InvalidInput(_("Money can only be held in an escrow account."))
    return move(
        source=source, destination=escrow, amount=amount, key=key, kind=TransferKind.HOLD, memo=memo
    )


def release(
    *,
    escrow: Account,
    payee: Account,
    amount: int,
    key: str,
    campaign_kind: str = "",
    memo: str = "",
) -> Transfer:
    """Pay `amount` out of escrow: the payee gets it less the fee for `campaign_kind`."""
    if escrow.kind != AccountKind.ESCROW:
        raise InvalidInput(_("Only escrow accounts release money."))
    validate_amount(amount)
    fee = fee_for(campaign_kind=campaign_kind, amount=amount)
    lines = [Line(escrow, -amount), Line(payee, amount - fee)]
    if fee:
        lines.append(Line(account_fee_income(currency=escrow.currency), fee))
    return transfer_create(key=key, kind=TransferKind.RELEASE, lines=lines, memo=memo)


def release_plus_fee(
    *, escrow: Account, payee: Account, amount: int, key: str, campaign_kind: str, memo: str = ""
) -> Transfer:
    """Pay `amount` out of escrow in full and the platform fee on top of it (the brand funded
    both), for kinds where the worker's reward is a promised net figure."""
    if escrow.kind != AccountKind.ESCROW:
        raise InvalidInput(_("Only escrow accounts release money."))
    validate_amount(amount)
    fee = fee_for(campaign_kind=campaign_kind, amount=amount)
    lines = [Line(escrow, -(amount + fee)), Line(payee, amount)]
    if fee:
        lines.append(Line(account_fee_income(currency=escrow.currency), fee))
    return transfer_create(key=key, kind=TransferKind.RELEASE, lines=lines, memo=memo)


def escrow_return_rest(
    *, escrow: Account, payer: Account, key: str, memo: str = ""
) -> Transfer | None:
    """Give whatever an escrow still holds back to the one payer who funded it (an unused
    budget); None when it is empty."""
    locked = accounts_lock(account_ids=[escrow.pk])[escrow.pk]
    existing = Transfer.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if not locked.balance:
        return None
    return move(source=locked, destination=payer, amount=locked.balance, key=key,
                kind=TransferKind.REFUND, memo=memo)  # fmt: skip


def escrow_contributions(*, escrow: Account) -> dict[int, int]:
    """What each payer still has in this escrow: their holds less what was refunded to them."""
    held = (
        Posting.objects.filter(transfer__kind=TransferKind.HOLD, transfer__postings__account=escrow)
        .exclude(account=escrow)
        .values("account")
        .annotate(total=Sum("amount"))
    )
    refunded = (
        Posting.objects.filter(
            transfer__kind=TransferKind.REFUND, transfer__postings__account=escrow
        )
        .exclude(account=escrow)
        .values("account")
        .annotate(total=Sum("amount"))
    )
    owed = {row["account"]: -row["total"] for row in held}
    for row in refunded:
        owed[row["account"]] = owed.get(row["account"], 0) - row["total"]
    return {account_id: amount for account_id, amount in owed.items() if amount > 0}


def refund(
    *,
    escrow: Account,
    key: str,
    payer: Account | None = None,
    amount: int | None = None,
    memo: str = "",
) -> Transfer | None:
    """Return held money to the payers who put it in (all of them, or one). None if nothing is owed."""
    if escrow.kind != AccountKind.ESCROW:
        raise InvalidInput(_("Only escrow accounts refund money."))
    accounts_lock(account_ids=[escrow.pk])
    existing = Transfer.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    owed = escrow_contributions(escrow=escrow)
    if payer is not None:
        available = owed.get(payer.pk, 0)
        amount = available if amount is None else validate_amount(amount)
        if amount > available:
            raise ConflictError(_("This payer has less than that in escrow."))
        owed = {payer.pk: amount} if amount else {}
    if not owed:
        return None
    accounts = Account.objects.in_bulk(owed.keys())
    lines = [Line(accounts[account_id], amount) for account_id, amount in sorted(owed.items())]
    lines.append(Line(escrow, -sum(owed.values())))
    return transfer_create(key=key, kind=TransferKind.REFUND, lines=lines, memo=memo)


def refund_many(
    *, escrow: Account, payouts: Sequence[tuple[Account, int]], key: str, memo: str = ""
) -> Transfer:
    """Return known amounts from one escrow to many payers in one transfer (settlement
    batches); the escrow's non-negative rule still caps the total."""
    if escrow.kind != AccountKind.ESCROW:
        raise InvalidInput(_("Only escrow accounts refund money."))
    lines = [Line(account, validate_amount(amount)) for account, amount in payouts]
    lines.append(Line(escrow, -sum(amount for _account, amount in payouts)))
    return transfer_create(key=key, kind=TransferKind.REFUND, lines=lines, memo=memo)
