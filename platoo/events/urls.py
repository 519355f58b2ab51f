from django.urls import path

from .views import events, registration

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
    path("programme/<int:year>/", events.programme, name="programme"),
]
