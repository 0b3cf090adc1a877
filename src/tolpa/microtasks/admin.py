"""Operators read microtask projects here; money moves only through the services, so the
fields that drive it are read-only."""

from django.contrib import admin

from tolpa.microtasks.models import Assignment, Batch, Project, Task, WorkerStat


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "campaign",
        "template",
        "reward",
        "currency",
        "overlap",
        "max_overlap",
        "method",
    ]
    list_filter = ["template", "method", "currency"]
    search_fields = ["campaign__title", "campaign__slug"]


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "project",
        "status",
        "tasks_count",
        "gold_count",
        "budget",
        "launched_at",
    ]
    list_filter = ["status"]
    readonly_fields = ["status", "tasks_count", "gold_count", "budget", "launched_at", "closed_at"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["external_id", "batch", "is_gold", "answers_needed", "accepted", "done"]
    list_filter = ["is_gold", "done"]
    search_fields = ["external_id"]
    readonly_fields = ["accepted", "done"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = [
        "task",
        "worker",
        "status",
        "seconds",
        "flagged_fast",
        "gold_correct",
        "paid_at",
    ]
    list_filter = ["status", "flagged_fast", "gold_correct"]
    search_fields = ["worker__email", "task__external_id"]
    readonly_fields = ["status", "answer", "seconds", "gold_correct", "paid_at", "reviewed_at"]


@admin.register(WorkerStat)
class WorkerStatAdmin(admin.ModelAdmin):
    list_display = [
        "worker",
        "project",
        "answered",
        "gold_answered",
        "gold_correct",
        "earned",
        "blocked",
    ]
    list_filter = ["blocked"]
    search_fields = ["worker__email"]
