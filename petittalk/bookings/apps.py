from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "petittalk.bookings"
    label = "bookings"
