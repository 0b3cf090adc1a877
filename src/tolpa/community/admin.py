"""Operators read discussion here. Nothing is added, changed or deleted from the admin:
moderation goes through the services so that every decision lands in the public log."""

from django.contrib import admin

from tolpa.community.models import (
    Appeal,
    Comment,
    CommentReport,
    CommentRevision,
    ModerationAction,
    Notification,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RevisionInline(ReadOnlyMixin, admin.TabularInline):
    model = CommentRevision
    extra = 0
    fields = ["body", "written_at", "replaced_at"]
    readonly_fields = fields


class ActionInline(ReadOnlyMixin, admin.TabularInline):
    model = ModerationAction
    extra = 0
    fields = ["action", "actor", "reason", "created_at"]
    readonly_fields = fields


@admin.register(Comment)
class CommentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "pk",
        "campaign",
        "author",
        "is_brand",
        "is_hidden",
        "pending_reports",
        "created_at",
    ]
    list_filter = ["is_hidden", "is_brand"]
    search_fields = ["body", "author__email", "campaign__title"]
    list_select_related = ["campaign", "author"]
    inlines = [RevisionInline, ActionInline]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "campaign", "comment", "action", "actor", "reason"]
    list_filter = ["action"]
    list_select_related = ["campaign", "comment", "actor"]


@admin.register(CommentReport)
class CommentReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "comment", "reporter", "reason"]
    list_select_related = ["comment", "reporter"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "comment", "status", "decided_by", "decided_at"]
    list_filter = ["status"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "count", "read_at"]
    list_filter = ["kind"]
