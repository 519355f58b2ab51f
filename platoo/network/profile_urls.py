"""The network's own profile, at /network/."""

from django.urls import path

from . import views

app_name = "network_profile"

urlpatterns = [
    path("", views.network_profile, name="profile"),
    path("edit/", views.network_profile_edit, name="edit"),
]
