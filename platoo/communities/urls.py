from django.urls import path

from . import views

app_name = "communities"

urlpatterns: list = [
    path("", views.community_list, name="list"),
    path("new/", views.community_create, name="create"),
    path("attention/", views.attention, name="attention"),
    path("<str:slug>/", views.community_detail, name="detail"),
    path("<str:slug>/edit/", views.community_edit, name="edit"),
    path("<str:slug>/join/", views.join, name="join"),
    path("<str:slug>/leave/", views.leave, name="leave"),
    path("<str:slug>/invitation/", views.answer_invitation, name="invitation"),
    path("<str:slug>/invite/", views.invite, name="invite"),
    path("<str:slug>/invite/<int:pk>/withdraw/", views.withdraw_email_invitation, name="withdraw_email_invitation"),
    path("<str:slug>/stage/", views.set_stage, name="stage"),
    path("<str:slug>/share/", views.share, name="share"),
    path("<str:slug>/shared/<int:pk>/remove/", views.unshare, name="unshare"),
    path("<str:slug>/members/<int:pk>/", views.manage_member, name="member"),
    path("<str:slug>/steps/<int:number>/", views.step_edit, name="step"),
    path("<str:slug>/meetings/", views.meeting_list, name="meetings"),
    path("<str:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<str:slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<str:slug>/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<str:slug>/meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("<str:slug>/meetings/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<str:slug>/meetings/<int:pk>/check-in/<int:attendance_pk>/undo/", views.undo_check_in, name="undo_check_in"),
    path("<str:slug>/meetings/<int:pk>/cancel/", views.cancel, name="meeting_cancel"),
    path("<str:slug>/discussions/", views.thread_list, name="threads"),
    path("<str:slug>/discussions/new/", views.thread_create, name="thread_create"),
    path("<str:slug>/discussions/<int:pk>/", views.thread_detail, name="thread"),
    path("<str:slug>/discussions/<int:pk>/edit/", views.thread_edit, name="thread_edit"),
    path("<str:slug>/discussions/<int:pk>/reply/", views.reply, name="reply"),
    path("<str:slug>/discussions/<int:pk>/replies/<int:reply_pk>/edit/", views.reply_edit, name="reply_edit"),
    path("<str:slug>/discussions/<int:pk>/replies/<int:reply_pk>/delete/", views.reply_delete, name="reply_delete"),
    path("<str:slug>/discussions/<int:pk>/replies/<int:reply_pk>/accept/", views.accept, name="accept"),
    path(
        "<str:slug>/discussions/<int:pk>/replies/<int:reply_pk>/knowledge/", views.make_knowledge, name="make_knowledge"
    ),
]
