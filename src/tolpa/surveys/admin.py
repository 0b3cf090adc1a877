"""Operators read surveys here; money and codes move only through the services, so the fields
that drive them are read-only."""

from django.contrib import admin

from tolpa.surveys.models import DiscountCode, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    readonly_fields = ["position", "kind", "prompt", "required", "choices", "scale_max"]
    can_delete = False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["campaign", "status", "reward_mode", "reward", "currency", "responses_count",
                    "max_responses"]  # fmt: skip
    list_filter = ["status", "reward_mode", "currency"]
    search_fields = ["campaign__title", "campaign__slug"]
    inlines = [QuestionInline]
    readonly_fields = ["status", "currency", "reward_mode", "reward", "max_responses", "award",
                       "responses_count", "budget", "launched_at", "closed_at", "awarded_at"]  # fmt: skip


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "respondent", "created_at", "rewarded_at", "awarded"]
    list_filter = ["awarded"]
    raw_id_fields = ["survey", "respondent"]
    readonly_fields = ["answers", "rewarded_at", "awarded"]


@admin.register(DiscountCode)
class DiscountCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "survey", "response", "assigned_at"]
    search_fields = ["code"]
    raw_id_fields = ["survey", "response"]
    readonly_fields = ["response", "assigned_at"]
