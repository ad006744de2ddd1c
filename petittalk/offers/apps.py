from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "petittalk.offers"
    label = "offers"
    verbose_name = "Offers"
