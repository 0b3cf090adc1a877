"""Operators read challenges and ideas here; votes, merges and statuses change only through
the services, so the fields that drive them are read-only."""

from django.contrib import admin

from tolpa.ideas.models import Challenge, Criterion, Idea, Merge, Reviewer, StatusChange


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["campaign", "audience", "submission_ends_at", "review_ends_at"]
    list_filter = ["audience"]
    search_fields = ["campaign__title", "campaign__slug"]
    readonly_fields = ["campaign", "next_number", "ideas_changed_at"]
    inlines = [CriterionInline]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["status", "answer", "actor", "created_at"]
    can_delete = False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "challenge", "number", "author", "status", "votes_count"]
    list_filter = ["status"]
    search_fields = ["title", "author__email"]
    readonly_fields = ["challenge", "number", "author", "status", "votes_count", "merged_into"]
    inlines = [StatusChangeInline]


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["user", "challenge", "added_at"]
    readonly_fields = ["challenge", "user"]


@admin.register(Merge)
class MergeAdmin(admin.ModelAdmin):
    list_display = ["source", "target", "merged_by", "merged_at", "unmerged_by", "unmerged_at"]
    readonly_fields = [f.name for f in Merge._meta.fields]
