from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "petittalk.reviews"
    label = "reviews"
    verbose_name = "Reviews"
