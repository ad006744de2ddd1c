from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "petittalk.pages"
    label = "pages"
