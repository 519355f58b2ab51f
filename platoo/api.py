"""API v1: one NinjaAPI; each app contributes a router from its api.py.

The OpenAPI document is at /api/v1/openapi.json and the interactive docs at /api/v1/docs.
"""

from ninja import NinjaAPI

from platoo.accounts.api import router as accounts_router
from platoo.activity.api import router as activity_router
from platoo.communities.api import router as communities_router
from platoo.cycle.api import router as cycle_router
from platoo.cycle.api_flow import router as cycle_flow_router
from platoo.events.api import router as events_router
from platoo.knowledge.api import router as knowledge_router
from platoo.lib.api import ANYONE, add_error_handlers
from platoo.netmap.api import router as netmap_router
from platoo.network.api import router as network_router
from platoo.search.api import router as search_router

api = NinjaAPI(
    title="Platoo API",
    version="1",
    description=(
        "The knowledge repository of a Thai KM network, for scripts and other systems.\n\n"
        "Authenticate with a personal API token (made on your account's token page) sent as "
        "`Authorization: Bearer <token>`, or use the docs while signed in (writes then need the CSRF token, "
        "which these docs send for you). Without credentials you read public items only. "
        "You see exactly what the pages show you: an item not shared with you is a 404.\n\n"
        "Errors have a `detail`; invalid values answer 422 with `errors`, a list of `{field, message}`. "
        "Lists are paged with `limit` (at most 100) and `offset` and give the total `count`. "
        "Dates are ISO 8601 in UTC."
    ),
    urls_namespace="api-v1",
    auth=ANYONE,
)
add_error_handlers(api)
api.add_router("/knowledge", knowledge_router)
api.add_router("/organizations", network_router)
api.add_router("", accounts_router)
api.add_router("/search", search_router)
api.add_router("/communities", communities_router)
api.add_router("/events", events_router)
api.add_router("", activity_router)
api.add_router("/network", netmap_router)
api.add_router("/cycle", cycle_router)
api.add_router("/cycle", cycle_flow_router)
