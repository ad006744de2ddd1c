from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "petittalk.scheduling"
    label = "scheduling"
