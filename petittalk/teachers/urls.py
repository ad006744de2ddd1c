from django.urls import path

from petittalk.teachers import views

app_name = "teachers"

urlpatterns = [
    path("teachers/", views.directory, name="directory"),
    path("teachers/<slug:slug>/", views.detail, name="detail"),
    path("dashboard/teacher/profile/", views.profile_edit, name="profile_edit"),
]
