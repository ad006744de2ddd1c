from django.contrib import admin

from petittalk.scheduling.models import AvailabilityRule, TimeOff


@admin.register(AvailabilityRule)
class AvailabilityRuleAdmin(admin.ModelAdmin):
    list_display = ["teacher", "weekday", "start_label", "end_label"]
    list_filter = ["weekday"]
    list_select_related = ["teacher__user"]
    raw_id_fields = ["teacher"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["teacher", "starts_at", "ends_at", "note"]
    list_select_related = ["teacher__user"]
    raw_id_fields = ["teacher"]
