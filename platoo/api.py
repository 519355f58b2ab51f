"""API v1: one NinjaAPI; each app contributes a router from its api.py."""

from ninja import NinjaAPI

api = NinjaAPI(title="Platoo API", version="1", urls_namespace="api-v1")
