from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "petittalk.dashboards"
    label = "dashboards"
