from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "petittalk.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        # Models can be imported only once the apps are ready.
        from petittalk.scheduling import content_versions

        content_versions.connect()
