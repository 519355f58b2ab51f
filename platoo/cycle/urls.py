from django.urls import path

from .views import dashboard

app_name = "cycle"

urlpatterns: list = [
    path("dashboard/", dashboard.cycle_dashboard, name="dashboard"),
    path("dashboard/export.csv", dashboard.cycle_dashboard_csv, name="dashboard_csv"),
]
