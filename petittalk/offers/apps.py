from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "petittalk.offers"
    label = "offers"
    verbose_name = "Offers"

    def ready(self) -> None:
        # Models can be imported only once the apps are ready.
        from petittalk.offers import content_versions

        content_versions.connect()
