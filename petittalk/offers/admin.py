import datetime as dt

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.utils import timezone

from petittalk.core import timefmt
from petittalk.offers.models import Offer, OfferRedemption


def _when(moment: dt.datetime | None) -> str:
    # Through timefmt, which shows a date stored before dates were bounded (the year 9999)
    # instead of failing to convert it and breaking the whole list.
    if moment is None:
        return "-"
    return timefmt.format_datetime(moment, timezone.get_current_timezone_name())


class StoredSplitDateTime(AdminSplitDateTime):
    def decompress(self, value):
        try:
            return super().decompress(value)
        except OverflowError:
            # Stored before dates were bounded: shown in UTC, so the page opens to fix it.
            value = value.astimezone(dt.UTC)
            return [value.date(), value.time()]


class BoundedSplitDateTimeField(forms.SplitDateTimeField):
    def compress(self, data_list):
        moment = super().compress(data_list)
        if moment is not None and not timefmt.within_date_range(moment):
            raise forms.ValidationError(timefmt.DATE_OUT_OF_RANGE)
        return moment


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "value", "code", "starts", "ends", "is_active"]
    list_filter = ["kind", "is_active", "is_featured", "stackable"]
    search_fields = ["name", "code"]
    filter_horizontal = ["teachers"]
    formfield_overrides = {
        models.DateTimeField: {
            "form_class": BoundedSplitDateTimeField,
            "widget": StoredSplitDateTime,
        }
    }

    @admin.display(description="Starts", ordering="valid_from")
    def starts(self, offer: Offer) -> str:
        return _when(offer.valid_from)

    @admin.display(description="Ends", ordering="valid_until")
    def ends(self, offer: Offer) -> str:
        return _when(offer.valid_until)


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
