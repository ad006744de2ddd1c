from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "petittalk.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from petittalk.community import content_versions

        content_versions.connect()
