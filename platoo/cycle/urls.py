from django.urls import path

from .views import applications, items, manuals, panels, synthesis

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
    # Manuals and curricula (views/manuals.py).
    path("manuals/", manuals.manual_list, name="manuals"),
    path("manuals/new/", manuals.manual_create, name="manual_new"),
    path("manuals/<int:pk>/", manuals.manual_detail, name="manual"),
    path("manuals/<int:pk>/draft/", manuals.manual_draft, name="manual_draft"),
    path("manuals/<int:pk>/edit/", manuals.manual_edit, name="manual_edit"),
    path("manuals/<int:pk>/sections/new/", manuals.section_create, name="section_new"),
    path("manuals/<int:pk>/sections/<int:section_pk>/edit/", manuals.section_edit, name="section_edit"),
    path("manuals/<int:pk>/sections/<int:section_pk>/delete/", manuals.section_delete, name="section_delete"),
    path("manuals/<int:pk>/order/", manuals.section_order, name="section_order"),
    path("manuals/<int:pk>/release/", manuals.release_create, name="release_new"),
    path("manuals/<int:pk>/releases/<int:number>/", manuals.release_detail, name="release"),
    path("manuals/<int:pk>/releases/<int:number>/changes/", manuals.release_changes, name="release_changes"),
    path("manuals/<int:pk>/releases/<int:number>/pdf/", manuals.release_pdf, name="release_pdf"),
    path("manuals/<int:pk>/releases/<int:number>/epub/", manuals.release_epub, name="release_epub"),
    path("manuals/<int:pk>/releases/<int:number>/retry/", manuals.release_retry, name="release_retry"),
    path("manuals/<int:pk>/releases/<int:number>/status/", manuals.release_status, name="release_status"),
    path("syntheses/", synthesis.synthesis_list, name="syntheses"),
    path("syntheses/new/", synthesis.synthesis_create, name="synthesis_create"),
    path("syntheses/<int:pk>/", synthesis.synthesis_detail, name="synthesis"),
    path("syntheses/<int:pk>/edit/", synthesis.synthesis_edit, name="synthesis_edit"),
    path("applications/new/", applications.application_create, name="application_create"),
    path("applications/of/<int:pk>/", applications.item_applications, name="item_applications"),
    path("flow/", applications.network_flow_page, name="flow"),
    path("flow/<slug:code>/", applications.organization_flow_page, name="organization_flow"),
]
