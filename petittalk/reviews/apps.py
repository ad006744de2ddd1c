from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "petittalk.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # Models can be imported only once the apps are ready.
        from petittalk.reviews import content_versions

        content_versions.connect()
