from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("apply/", views.apply, name="apply"),
    path("links/", views.links, name="links"),
    path("links/<int:pk>/remove/", views.link_remove, name="link_remove"),
    path("<slug:code>/", views.organization_detail, name="organization"),
    path("<slug:code>/decide/", views.decide, name="decide"),
    path("<slug:code>/membership/", views.change_membership, name="membership"),
    path("<slug:code>/units/add/", views.unit_edit, name="unit_add"),
    path("<slug:code>/units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("<slug:code>/units/<int:pk>/remove/", views.unit_remove, name="unit_remove"),
]
