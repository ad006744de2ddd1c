from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "petittalk.orders"
    label = "orders"
