from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "petittalk.staff"
    label = "staff"
