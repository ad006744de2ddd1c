from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "petittalk.core"
    label = "core"
