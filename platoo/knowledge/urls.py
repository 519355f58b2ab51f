from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("knowledge/", views.item_list, name="list"),
    path("knowledge/new/", views.item_create, name="create"),
    path("knowledge/preview/", views.preview, name="preview"),
    path("knowledge/similar/", views.similar, name="similar"),
    path("knowledge/<int:pk>/", views.item_detail, name="detail"),
    path("knowledge/<int:pk>/edit/", views.item_edit, name="edit"),
    path("knowledge/<int:pk>/delete/", views.delete, name="delete"),
    path("knowledge/<int:pk>/comments/", views.add_comment, name="comment"),
    path("knowledge/<int:pk>/history/", views.history, name="history"),
    path("knowledge/<int:pk>/history/compare/", views.compare, name="compare"),
    path("knowledge/<int:pk>/history/<int:number>/restore/", views.restore, name="restore"),
    path("knowledge/<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("knowledge/<int:pk>/files/<int:attachment_pk>/remove/", views.remove_attachment, name="remove_attachment"),
]
