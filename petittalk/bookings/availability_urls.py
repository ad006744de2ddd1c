"""Mounted at `dashboard/teacher/availability/` in config/urls.py."""

from django.urls import path

from petittalk.bookings import availability_views as views

app_name = "scheduling"

urlpatterns = [
    path("", views.availability, name="availability"),
    path("rules/add/", views.availability_rule_add, name="availability_rule_add"),
    path("rules/<int:pk>/delete/", views.availability_rule_delete, name="availability_rule_delete"),
    path("rules/copy/", views.availability_copy_day, name="availability_copy_day"),
    path("time-off/add/", views.time_off_add, name="time_off_add"),
    path("time-off/<int:pk>/delete/", views.time_off_delete, name="time_off_delete"),
    path("settings/", views.booking_settings, name="booking_settings"),
]
