from django.urls import path

from .views import events

app_name = "events"

urlpatterns: list = [
    path("", events.event_list, name="list"),
    path("<int:pk>/", events.event_detail, name="detail"),
    path("programme/<int:year>/", events.programme, name="programme"),
]
