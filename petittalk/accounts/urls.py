from django.urls import path

from petittalk.accounts import views

app_name = "accounts"

urlpatterns = [
    path("dashboard/student/", views.student_home, name="student_home"),
    path("dashboard/profile/", views.student_profile_edit, name="student_profile"),
    path("dashboard/settings/", views.account_settings, name="settings"),
    path("invite/<str:uidb64>/<str:token>/", views.invite_accept, name="invite_accept"),
]
