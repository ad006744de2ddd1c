from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "petittalk.payments"
    label = "payments"
