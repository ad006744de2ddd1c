from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "petittalk.accounts"
    label = "accounts"
