"""Operators read contests here; money and stage changes go through the services, so the
fields that drive them are read-only."""

from django.contrib import admin

from tolpa.contests.models import (
    Award,
    BriefFile,
    BriefUpdate,
    Contest,
    Deliverable,
    Entry,
    EntryVersion,
    NdaAcceptance,
    PairVote,
    Poll,
    Prize,
    Vote,
)


class PrizeInline(admin.TabularInline):
    model = Prize
    extra = 0
    readonly_fields = ["place", "amount"]
    can_delete = False


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["campaign", "category", "currency", "stage", "stage_ends_at", "entries_count"]
    list_filter = ["category", "stage", "guaranteed", "blind", "private"]
    search_fields = ["campaign__title", "campaign__slug"]
    readonly_fields = ["stage", "stage_ends_at", "finalists_chosen_at", "entries_count"]
    inlines = [PrizeInline]


class EntryVersionInline(admin.TabularInline):
    model = EntryVersion
    extra = 0
    readonly_fields = ["number", "media_kind", "file", "text", "sha256", "created_at"]
    can_delete = False


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["contest", "number", "author", "status", "rating", "shortlisted", "finalist"]
    list_filter = ["status", "shortlisted", "finalist"]
    search_fields = ["contest__campaign__title", "author__email"]
    readonly_fields = ["number", "originality_declared_at"]
    inlines = [EntryVersionInline]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["contest", "place", "entry", "amount", "status", "by_rule", "paid_at"]
    list_filter = ["status", "by_rule"]
    readonly_fields = [f.name for f in Award._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["contest", "opens_at", "closes_at", "pairwise", "hide_counts", "closed_at"]


@admin.register(Vote, PairVote)
class VoteAdmin(admin.ModelAdmin):
    """Votes are evidence: readable, never edited."""

    list_display = ["__str__", "poll", "created_at"]
    search_fields = ["voter__email"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["name", "award", "size", "sha256", "created_at"]
    readonly_fields = ["award", "file", "name", "sha256", "size"]


@admin.register(BriefUpdate, BriefFile, NdaAcceptance)
class ContestTextAdmin(admin.ModelAdmin):
    list_display = ["__str__", "pk"]
