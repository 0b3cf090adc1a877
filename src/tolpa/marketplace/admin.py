"""Operators read tenders, proposals and contracts here. Money moves only through the
services (disputes are decided on the dispute desk, /tenders/disputes/), so every field that
drives a payment is read-only."""

from django.contrib import admin

from tolpa.marketplace.models import (
    Contract,
    Delivery,
    Dispute,
    Milestone,
    Proposal,
    ProposalMessage,
    Review,
    Tender,
    TenderAttachment,
)


class AttachmentInline(admin.TabularInline):
    model = TenderAttachment
    extra = 0
    readonly_fields = ["file", "kind", "name", "size"]
    can_delete = False


@admin.register(Tender)
class TenderAdmin(admin.ModelAdmin):
    list_display = ["campaign", "currency", "budget_min", "budget_max", "proposals_count"]
    list_filter = ["currency"]
    search_fields = ["campaign__title", "campaign__slug"]
    readonly_fields = ["campaign", "currency", "budget_min", "budget_max", "proposals_count"]
    inlines = [AttachmentInline]


class MessageInline(admin.TabularInline):
    model = ProposalMessage
    extra = 0
    readonly_fields = ["author", "from_brand", "body", "created_at"]
    can_delete = False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["tender", "freelancer", "price", "days", "status", "shortlisted", "created_at"]
    list_filter = ["status", "shortlisted"]
    search_fields = ["tender__campaign__title", "freelancer__email"]
    raw_id_fields = ["tender", "freelancer"]
    readonly_fields = ["status", "price"]
    inlines = [MessageInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["position", "title", "amount", "due_date", "status", "paid_amount", "fee_amount",
              "refunded_amount"]  # fmt: skip
    readonly_fields = fields
    can_delete = False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["pk", "tender", "organization", "freelancer", "price", "currency", "status"]
    list_filter = ["status", "currency"]
    search_fields = ["tender__campaign__title", "freelancer__email", "organization__name"]
    raw_id_fields = ["proposal", "tender", "organization", "freelancer"]
    readonly_fields = ["price", "currency", "status", "completed_at"]
    inlines = [MilestoneInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["milestone", "created_at", "answer", "answered_at"]
    list_filter = ["answer"]
    raw_id_fields = ["milestone"]
    readonly_fields = ["answer", "answered_at"]


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["milestone", "by_brand", "opened_at", "decision", "decided_at"]
    list_filter = ["decision", "by_brand"]
    raw_id_fields = ["milestone", "opened_by", "decided_by"]
    readonly_fields = ["previous_status", "decision", "freelancer_amount", "brand_amount",
                       "decided_by", "decided_at"]  # fmt: skip


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["contract", "side", "author", "rating", "created_at"]
    list_filter = ["side", "rating"]
    raw_id_fields = ["contract", "author"]
