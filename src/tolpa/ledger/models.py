"""Double-entry ledger. A transfer is a balanced set of postings; postings are
append-only and the cached balance on an account always equals the sum of its postings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolpa.accounts.models import Organization


class AccountKind(models.TextChoices):
    USER_WALLET = "user", _("User wallet")
    ORG_WALLET = "org", _("Brand wallet")
    ESCROW = "escrow", _("Escrow")
    FEE_INCOME = "fee", _("Platform fee income")
    EXTERNAL = "external", _("Outside world (payment provider)")


NON_NEGATIVE_KINDS = (
    AccountKind.USER_WALLET,
    AccountKind.ORG_WALLET,
    AccountKind.ESCROW,
    AccountKind.FEE_INCOME,
)


class Account(models.Model):
    """One balance in one currency. `code` names it uniquely, e.g. `user:12:USD`,
    `escrow:campaign:7:USD`, `external:stripe:EUR`."""

    code = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=AccountKind.choices, db_index=True)
    currency = models.CharField(max_length=3)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )
    reference = models.CharField(max_length=80, blank=True)
    balance = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="external") | models.Q(balance__gte=0),
                name="ledger_account_non_negative",
            ),
        ]

    def __str__(self):
        return self.code


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("postings are append-only")

    def delete(self):
        raise TypeError("postings are append-only")


class TransferKind(models.TextChoices):
    DEPOSIT = "deposit", _("Top-up")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    HOLD = "hold", _("Held in escrow")
    RELEASE = "release", _("Released from escrow")
    REFUND = "refund", _("Refund")
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Reversal")


class Transfer(models.Model):
    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=TransferKind.choices, db_index=True)
    fingerprint = models.CharField(max_length=64)
    memo = models.CharField(max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.idempotency_key}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("transfers are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("transfers are immutable")


class Posting(models.Model):
    """One line of a transfer: a signed amount on one account (positive adds to its balance)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    balance_after = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_posting_non_zero"),
        ]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self):
        return f"{self.account.code} {self.amount:+d} {self.currency}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("postings are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("postings are append-only")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Deposit(models.Model):
    """A top-up through a payment provider; credited exactly once when it succeeds."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="deposits")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    request_key = models.CharField(max_length=100, blank=True)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=20)
    method = models.CharField(max_length=20, blank=True)
    provider_reference = models.CharField(max_length=120, blank=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    failure_reason = models.CharField(max_length=200, blank=True)
    confirm_after = models.DateTimeField(null=True, blank=True)
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="ledger_deposit_positive"
            ),
            models.UniqueConstraint(
                fields=["requested_by", "request_key"],
                condition=~models.Q(request_key=""),
                name="ledger_deposit_request_key_unique",
            ),
        ]

    def __str__(self):
        return f"deposit {self.pk} {self.amount} {self.currency} {self.status}"


class Withdrawal(models.Model):
    """A payout: the amount is held in a payout escrow until the provider pays or fails."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="withdrawals")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    request_key = models.CharField(max_length=100, blank=True)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=20)
    destination = models.CharField(max_length=120)
    provider_reference = models.CharField(max_length=120, blank=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    failure_reason = models.CharField(max_length=200, blank=True)
    confirm_after = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="ledger_withdrawal_positive"
            ),
            models.UniqueConstraint(
                fields=["requested_by", "request_key"],
                condition=~models.Q(request_key=""),
                name="ledger_withdrawal_request_key_unique",
            ),
        ]

    def __str__(self):
        return f"withdrawal {self.pk} {self.amount} {self.currency} {self.status}"


class WebhookEvent(models.Model):
    """Every provider event processed, so a repeated delivery does nothing."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=120)
    event_type = models.CharField(max_length=80)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="ledger_webhook_event_unique"
            )
        ]

    def __str__(self):
        return f"{self.provider}:{self.event_id}"
