from django.apps import AppConfig


class TeachersConfig(AppConfig):
    name = "petittalk.teachers"
    label = "teachers"

    def ready(self) -> None:
        # Models can be imported only once the apps are ready.
        from petittalk.teachers import content_versions

        content_versions.connect()
