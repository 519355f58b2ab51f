from django.urls import path

from .views import events, planner

app_name = "events"

urlpatterns: list = [
    path("", events.event_list, name="list"),
    path("<int:pk>/", events.event_detail, name="detail"),
    # planner
    path("programme/", planner.programme_list, name="programmes"),
    path("programme/generate/", planner.programme_generate, name="programme_generate"),
    path("programme/<int:year>/", planner.programme, name="programme"),
    path("programme/<int:year>/publish/", planner.programme_publish, name="programme_publish"),
    path("programme/<int:year>/visits/<int:pk>/edit/", planner.visit_edit, name="programme_visit_edit"),
    path("programme/<int:year>/visits/<int:pk>/replan/", planner.visit_replan, name="programme_visit_replan"),
    path("preferences/", planner.preferences_list, name="preferences_list"),
    path("preferences/<slug:code>/<int:year>/", planner.preferences, name="preferences"),
]
