from django.contrib import admin

from tolpa.campaigns.models import Campaign, Tag


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "organization",
        "status",
        "starts_at",
        "ends_at",
        "participants_count",
    ]
    list_filter = ["kind", "status", "language"]
    search_fields = ["title", "slug", "summary", "organization__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags"]
    date_hierarchy = "ends_at"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
