from django.apps import AppConfig


class TeachersConfig(AppConfig):
    name = "petittalk.teachers"
    label = "teachers"
