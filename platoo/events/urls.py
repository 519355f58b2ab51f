from django.urls import path, re_path

from .views import calendar, events

app_name = "events"

urlpatterns: list = [
    path("", events.event_list, name="list"),
    path("<int:pk>/", events.event_detail, name="detail"),
    path("programme/<int:year>/", events.programme, name="programme"),
    # calendar (a feed's token: its secret, a nonce and its HMAC, 32 hex characters each; calendars.py)
    path("<int:pk>/calendar.ics", calendar.event_ics, name="event_ics"),
    path("calendar/", calendar.calendars_page, name="calendars"),
    path("calendar/reset/", calendar.reset_feeds, name="calendar_reset"),
    path("calendar/import/", calendar.import_events, name="calendar_import"),
    path("calendar/public.ics", calendar.feed, {"scope": "network"}, name="calendar_public_network"),
    path(
        "calendar/organization/<slug:key>.ics",
        calendar.feed,
        {"scope": "organization"},
        name="calendar_public_organization",
    ),
    path("calendar/community/<str:key>.ics", calendar.feed, {"scope": "community"}, name="calendar_public_community"),
    re_path(r"^calendar/(?P<token>[0-9a-f]{64})/me\.ics$", calendar.feed, {"scope": "person"}, name="calendar_person"),
    re_path(
        r"^calendar/(?P<token>[0-9a-f]{64})/network\.ics$", calendar.feed, {"scope": "network"}, name="calendar_network"
    ),
    re_path(
        r"^calendar/(?P<token>[0-9a-f]{64})/organization/(?P<key>[-a-zA-Z0-9_]+)\.ics$",
        calendar.feed,
        {"scope": "organization"},
        name="calendar_organization",
    ),
    re_path(
        r"^calendar/(?P<token>[0-9a-f]{64})/community/(?P<key>[^/]+)\.ics$",
        calendar.feed,
        {"scope": "community"},
        name="calendar_community",
    ),
]
