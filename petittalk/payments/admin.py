from django.contrib import admin

from petittalk.payments.models import PaymentEvent


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    """A read-only log of what the gateways told us."""

    list_display = ["gateway", "kind", "event_id", "reference", "outcome", "received_at"]
    list_filter = ["gateway", "kind"]
    search_fields = ["event_id", "reference"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
