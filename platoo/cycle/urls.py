from django.urls import path

from .views import items, panels

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
]
