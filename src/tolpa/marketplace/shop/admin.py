"""Operators read the shop here; money, moderation and rights move only through the services
(and the moderation page), so the fields that drive them are read-only."""

from django.contrib import admin

from tolpa.marketplace.shop.models import Order, Purchase, RightsTransfer, ShopText


@admin.register(ShopText)
class ShopTextAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "status", "price", "currency", "uniqueness", "created_at"]
    list_filter = ["status", "category", "language", "currency"]
    search_fields = ["title", "author__email"]
    raw_id_fields = ["author", "similar_to", "moderated_by"]
    readonly_fields = ["status", "price", "currency", "body", "preview", "words", "characters",
                       "sha256", "uniqueness", "similar_to", "moderated_by", "moderated_at"]  # fmt: skip


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ["text", "buyer", "price", "fee", "currency", "created_at"]
    raw_id_fields = ["text", "buyer"]
    readonly_fields = ["text", "buyer", "price", "fee", "currency"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["topic", "organization", "status", "price", "currency", "author", "deadline"]
    list_filter = ["status", "currency"]
    search_fields = ["topic", "organization__name"]
    raw_id_fields = ["organization", "created_by", "author", "text"]
    readonly_fields = ["status", "price", "currency", "fee", "author", "text", "taken_at",
                       "delivered_at", "closed_at"]  # fmt: skip


@admin.register(RightsTransfer)
class RightsTransferAdmin(admin.ModelAdmin):
    list_display = ["title", "seller", "buyer", "organization", "price", "currency", "created_at"]
    search_fields = ["title", "sha256", "code"]
    readonly_fields = ["code", "text", "purchase", "order", "seller", "buyer", "organization",
                       "title", "sha256", "price", "currency"]  # fmt: skip
