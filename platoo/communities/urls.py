from django.urls import path

from . import views

app_name = "communities"

urlpatterns: list = [
    path("", views.community_list, name="list"),
    path("new/", views.community_create, name="create"),
    path("<str:slug>/", views.community_detail, name="detail"),
    path("<str:slug>/edit/", views.community_edit, name="edit"),
    path("<str:slug>/join/", views.join, name="join"),
    path("<str:slug>/leave/", views.leave, name="leave"),
    path("<str:slug>/invitation/", views.answer_invitation, name="invitation"),
    path("<str:slug>/invite/", views.invite, name="invite"),
    path("<str:slug>/stage/", views.set_stage, name="stage"),
    path("<str:slug>/share/", views.share, name="share"),
    path("<str:slug>/members/<int:pk>/", views.manage_member, name="member"),
    path("<str:slug>/steps/<int:number>/", views.step_edit, name="step"),
]
