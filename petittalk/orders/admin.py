from django.contrib import admin

from petittalk.orders.models import Order, OrderLine, Refund


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    raw_id_fields = ["booking"]
    readonly_fields = ["description", "teacher_name", "starts_at", "price", "discount", "total"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "student",
        "status",
        "total",
        "amount_refunded",
        "gateway",
        "created_at",
        "paid_at",
    ]
    list_filter = ["status", "gateway"]
    list_select_related = ["student"]
    search_fields = ["number", "student__email", "billing_email", "payment_reference"]
    raw_id_fields = ["student"]
    inlines = [OrderLineInline]
    # Money moves only through the payment services (order_mark_paid, refund_line).
    readonly_fields = [
        "status",
        "subtotal",
        "discount",
        "total",
        "amount_refunded",
        "payment_reference",
        "paid_at",
    ]


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["order", "amount", "reason", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "line", "created_by"]
    readonly_fields = ["amount", "status", "idempotency_key", "gateway_reference"]
