"""The network map, at /network/map/ (included before the network profile's /network/)."""

from django.urls import path

from . import views

app_name = "netmap"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("data.json", views.map_data, name="data"),
    path("export.graphml", views.export_graphml, name="graphml"),
    path("nodes.csv", views.export_nodes_csv, name="nodes_csv"),
    path("edges.csv", views.export_edges_csv, name="edges_csv"),
]
