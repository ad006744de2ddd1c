"""The teachers app's own pages; config/urls.py adds the public teacher page and the teacher's
home (views of higher layers) to the same `teachers` namespace."""

from django.urls import path

from petittalk.teachers import views

app_name = "teachers"

urlpatterns = [
    path("teachers/", views.directory, name="directory"),
    path("dashboard/teacher/profile/", views.profile_edit, name="profile_edit"),
]
