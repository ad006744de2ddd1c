from django.urls import path

from petittalk.accounts import views

app_name = "accounts"

urlpatterns = [
    path("dashboard/profile/", views.student_profile_edit, name="student_profile"),
    path("invite/<str:uidb64>/<str:token>/", views.invite_accept, name="invite_accept"),
]
