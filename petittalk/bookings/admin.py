from django.contrib import admin

from petittalk.bookings.models import Booking, CalendarFeed, RefundIntent, SentNotification


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["pk", "teacher", "student", "starts_at", "duration_minutes", "status", "price"]
    list_filter = ["status", "purpose"]
    list_select_related = ["teacher__user", "student"]
    search_fields = ["student__email", "teacher__user__email", "teacher__user__display_name"]
    raw_id_fields = ["teacher", "student", "cancelled_by"]
    date_hierarchy = "starts_at"
    # Status changes go through the lifecycle services (emails, refunds), not this form.
    readonly_fields = ["status", "created_at", "updated_at"]


@admin.register(RefundIntent)
class RefundIntentAdmin(admin.ModelAdmin):
    list_display = ["booking", "amount", "reason", "created_at", "processed_at"]
    list_select_related = ["booking"]
    raw_id_fields = ["booking"]


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    list_display = ["booking", "kind", "sent_at"]
    raw_id_fields = ["booking"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    exclude = ["token"]
