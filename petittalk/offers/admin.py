from django.contrib import admin

from petittalk.offers.models import Offer, OfferRedemption


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "value", "code", "valid_from", "valid_until", "is_active"]
    list_filter = ["kind", "is_active", "is_featured", "stackable"]
    search_fields = ["name", "code"]
    filter_horizontal = ["teachers"]


@admin.register(OfferRedemption)
class OfferRedemptionAdmin(admin.ModelAdmin):
    """Uses are written only by the offer services (reserve, confirm, release); the admin shows
    them."""

    list_display = ["offer", "student", "order_id", "status", "held_until", "created_at"]
    list_filter = ["status"]
    list_select_related = ["offer", "student"]
    search_fields = ["offer__name", "offer__code", "student__email"]
    raw_id_fields = ["offer", "student"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
