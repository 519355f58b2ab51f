from django.urls import path

app_name = "cycle"

urlpatterns: list = []
