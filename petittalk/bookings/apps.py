from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "petittalk.bookings"
    label = "bookings"

    def ready(self) -> None:
        # Models can be imported only once the apps are ready.
        from petittalk.bookings import content_versions

        content_versions.connect()
