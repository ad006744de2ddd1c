from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "petittalk.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"
