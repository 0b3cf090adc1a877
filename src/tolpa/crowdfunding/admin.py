from django.contrib import admin

from tolpa.crowdfunding.models import (
    Fulfilment,
    Pledge,
    Project,
    ProjectUpdate,
    RewardTier,
    SpendingCategory,
    SpendingEntry,
)


class RewardTierInline(admin.TabularInline):
    model = RewardTier
    extra = 0


class SpendingCategoryInline(admin.TabularInline):
    model = SpendingCategory
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "campaign",
        "goal",
        "currency",
        "raised",
        "backers_count",
        "funding_model",
        "outcome",
        "settled_at",
    ]
    list_filter = ["funding_model", "outcome", "currency"]
    search_fields = ["campaign__title", "campaign__slug"]
    readonly_fields = ["raised", "backers_count", "outcome", "settled_at"]
    inlines = [RewardTierInline, SpendingCategoryInline]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    """Pledges move money, so operators read them here; changes go through the services."""

    list_display = ["pk", "project", "backer", "tier", "amount", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["backer__email", "project__campaign__title"]
    readonly_fields = [f.name for f in Pledge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "audience", "created_at"]
    list_filter = ["audience"]
    search_fields = ["title", "body"]


@admin.register(SpendingEntry)
class SpendingEntryAdmin(admin.ModelAdmin):
    list_display = ["description", "category", "amount", "currency", "spent_on"]
    search_fields = ["description"]


@admin.register(Fulfilment)
class FulfilmentAdmin(admin.ModelAdmin):
    list_display = ["pledge", "status", "updated_at"]
    list_filter = ["status"]
