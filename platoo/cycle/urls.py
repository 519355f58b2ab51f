from django.urls import path

from .views import applications, synthesis

app_name = "cycle"

urlpatterns: list = [
    path("syntheses/", synthesis.synthesis_list, name="syntheses"),
    path("syntheses/new/", synthesis.synthesis_create, name="synthesis_create"),
    path("syntheses/<int:pk>/", synthesis.synthesis_detail, name="synthesis"),
    path("syntheses/<int:pk>/edit/", synthesis.synthesis_edit, name="synthesis_edit"),
    path("applications/new/", applications.application_create, name="application_create"),
    path("applications/of/<int:pk>/", applications.item_applications, name="item_applications"),
    path("flow/", applications.network_flow_page, name="flow"),
    path("flow/<slug:code>/", applications.organization_flow_page, name="organization_flow"),
]
