from django.urls import path

from petittalk.community import views

app_name = "community"

urlpatterns = [
    path("testimonials/", views.testimonial_list, name="testimonial_list"),
    path("testimonials/new/", views.testimonial_new, name="testimonial_new"),
    path("contact/", views.contact, name="contact"),
    path("offers/", views.offer_list, name="offer_list"),
]
