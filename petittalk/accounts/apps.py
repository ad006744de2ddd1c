from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "petittalk.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Models can be imported only once the apps are ready.
        from petittalk.accounts import content_versions

        content_versions.connect()
