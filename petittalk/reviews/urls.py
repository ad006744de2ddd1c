from django.urls import path

from petittalk.reviews import views

app_name = "reviews"
urlpatterns = [
    path("lessons/<int:booking_id>/", views.review_lesson, name="lesson"),
    path("mine/", views.teacher_reviews, name="teacher_reviews"),
    path("<int:review_id>/reply/", views.review_reply, name="reply"),
]
