from django.urls import path, re_path

from .views import calendar, events, fair, planner, registration, report, showcase

app_name = "events"

urlpatterns: list = [
    path("", events.event_list, name="list"),
    path("new/", events.event_create, name="create"),
    path("mine/", events.my_events, name="mine"),
    path("<int:pk>/", events.event_detail, name="detail"),
    path("<int:pk>/edit/", events.event_edit, name="edit"),
    path("<int:pk>/publish/", events.publish, name="publish"),
    path("<int:pk>/cancel/", events.cancel, name="cancel"),
    path("<int:pk>/register/", registration.register, name="register"),
    path("<int:pk>/register/cancel/", registration.cancel_registration, name="cancel_registration"),
    path("<int:pk>/ticket/", registration.ticket, name="ticket"),
    path("<int:pk>/check-in/", registration.check_in_list, name="check_in_list"),
    path("<int:pk>/check-in/person/", registration.check_in, name="check_in"),
    path("<int:pk>/check-in/<int:registration_pk>/undo/", registration.undo_check_in, name="undo_check_in"),
    path("<int:pk>/check-in/t/<str:token>/", registration.check_in_ticket, name="check_in_ticket"),
    path("<int:pk>/review/", registration.review, name="review"),
    path("<int:pk>/aar/", registration.consolidated_aar, name="aar"),
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
    # planner
    path("programme/", planner.programme_list, name="programmes"),
    path("programme/generate/", planner.programme_generate, name="programme_generate"),
    path("programme/<int:year>/", planner.programme, name="programme"),
    path("programme/<int:year>/publish/", planner.programme_publish, name="programme_publish"),
    path("programme/<int:year>/visits/<int:pk>/edit/", planner.visit_edit, name="programme_visit_edit"),
    path("programme/<int:year>/visits/<int:pk>/replan/", planner.visit_replan, name="programme_visit_replan"),
    path("preferences/", planner.preferences_list, name="preferences_list"),
    path("preferences/<slug:code>/<int:year>/", planner.preferences, name="preferences"),
    # report: the event report (page and PDF) with its follow-ups, share-and-show, the annual fair
    path("<int:pk>/report/", report.report_page, name="report"),
    path("<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    path("<int:pk>/report/people/", report.report_people, name="report_people"),
    path("<int:pk>/follow-ups/", report.follow_up_add, name="follow_up_add"),
    path("<int:pk>/follow-ups/<int:follow_up_pk>/done/", report.follow_up_done, name="follow_up_done"),
    path("<int:pk>/showcase/", showcase.showcase_page, name="showcase"),
    path("<int:pk>/showcase/submit/", showcase.submit, name="showcase_submit"),
    path("<int:pk>/showcase/<int:submission_pk>/withdraw/", showcase.withdraw, name="showcase_withdraw"),
    path("<int:pk>/showcase/<int:submission_pk>/decide/", showcase.decide, name="showcase_decide"),
    path("<int:pk>/showcase/<int:submission_pk>/vote/", showcase.vote, name="showcase_vote"),
    path("<int:pk>/results/", showcase.results, name="results"),
    path("fair/", fair.fair_page, name="fair"),
    path("<int:pk>/fair/", fair.fair_event, name="fair_event"),
]
