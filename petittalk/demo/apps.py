from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Everything that exists only for the demo: drawn portraits, intro videos, `seed_demo` and
    `demo_logins`. It sits above every other app, so nothing else may import from it."""

    name = "petittalk.demo"
    label = "demo"
