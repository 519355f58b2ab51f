from django.urls import path

from .views import applications, items, panels, synthesis

app_name = "cycle"

urlpatterns = [
    path("items/<int:pk>/mark/", items.mark, name="mark"),
    path("items/<int:pk>/categorize/", items.categorize, name="categorize"),
    path("items/<int:pk>/move/", items.move, name="move"),
    path("panels/", panels.panel_list, name="panels"),
    path("panels/new/", panels.panel_form, name="panel_new"),
    path("panels/<int:pk>/", panels.panel_detail, name="panel"),
    path("panels/<int:pk>/edit/", panels.panel_form, name="panel_edit"),
    path("queue/", panels.queue, name="queue"),
    path("rounds/<int:pk>/", panels.round_detail, name="round"),
    path("syntheses/", synthesis.synthesis_list, name="syntheses"),
    path("syntheses/new/", synthesis.synthesis_create, name="synthesis_create"),
    path("syntheses/<int:pk>/", synthesis.synthesis_detail, name="synthesis"),
    path("syntheses/<int:pk>/edit/", synthesis.synthesis_edit, name="synthesis_edit"),
    path("applications/new/", applications.application_create, name="application_create"),
    path("applications/of/<int:pk>/", applications.item_applications, name="item_applications"),
    path("flow/", applications.network_flow_page, name="flow"),
    path("flow/<slug:code>/", applications.organization_flow_page, name="organization_flow"),
]
