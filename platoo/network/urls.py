from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<slug:code>/", views.organization_detail, name="organization"),
]
