from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "petittalk.orders"
    label = "orders"

    def ready(self) -> None:
        # Models can be imported only once the apps are ready.
        from petittalk.orders import content_versions

        content_versions.connect()
