"""The people directory at /people/; each person's page is accounts:profile."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.people_list, name="list"),
]
