from django.urls import path

from . import views

app_name = "activity"

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="open"),
    path("notifications/read-all/", views.mark_all_read, name="read_all"),
    path("notifications/settings/", views.preferences, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("activity/", views.feed, name="feed"),
    path("activity/following/", views.following, name="following"),
    path("activity/follow/", views.follow, name="follow"),
    path("activity/unfollow/", views.unfollow, name="unfollow"),
]
