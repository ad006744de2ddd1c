from django.apps import AppConfig


class BasketConfig(AppConfig):
    name = "petittalk.basket"
    label = "basket"
