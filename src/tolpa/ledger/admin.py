"""Operators read the ledger here; postings and transfers cannot be edited or deleted."""

from django.contrib import admin

from tolpa.ledger.models import Account, Deposit, Posting, Transfer, WebhookEvent, Withdrawal


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    can_delete = False
    fields = ["account", "amount", "currency", "balance_after", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "currency", "balance", "user", "organization", "created_at"]
    list_filter = ["kind", "currency"]
    search_fields = ["code", "user__email", "organization__name", "reference"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "idempotency_key", "memo", "reverses", "created_at"]
    list_filter = ["kind"]
    search_fields = ["idempotency_key", "memo"]
    inlines = [PostingInline]
    date_hierarchy = "created_at"


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "transfer",
        "account",
        "amount",
        "currency",
        "balance_after",
        "created_at",
    ]
    list_filter = ["currency", "transfer__kind"]
    search_fields = ["account__code", "transfer__idempotency_key"]
    list_select_related = ["transfer", "account"]


@admin.register(Deposit)
class DepositAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "account",
        "amount",
        "currency",
        "provider",
        "method",
        "status",
        "created_at",
    ]
    list_filter = ["provider", "status", "currency"]
    search_fields = ["provider_reference", "account__code", "requested_by__email"]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "account",
        "amount",
        "currency",
        "provider",
        "destination",
        "status",
        "created_at",
    ]
    list_filter = ["provider", "status", "currency"]
    search_fields = ["provider_reference", "account__code", "destination"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["provider", "event_id", "event_type", "received_at"]
    list_filter = ["provider", "event_type"]
    search_fields = ["event_id"]
