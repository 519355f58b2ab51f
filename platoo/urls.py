from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from platoo import views
from platoo.api import api
from platoo.knowledge import views as knowledge_views

urlpatterns = [
    path("", knowledge_views.home, name="home"),
    path("", include("platoo.knowledge.urls")),
    path("accounts/", include("platoo.accounts.urls")),
    path("people/", include("platoo.accounts.people_urls")),
    path("organizations/", include("platoo.network.urls")),
    path("network/map/", include("platoo.netmap.urls")),  # before network/, which would take the path
    path("network/", include("platoo.network.profile_urls")),
    path("communities/", include("platoo.communities.urls")),
    path("events/", include("platoo.events.urls")),
    path("cycle/", include("platoo.cycle.urls")),
    path("search/", include("platoo.search.urls")),
    path("", include("platoo.activity.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Public images (avatars, logos) straight from storage. Attachments are never served here:
    # they go through knowledge's permission-checked download view.
    *[
        path(
            f"{settings.MEDIA_URL.strip('/')}/{folder}/<path:path>",
            serve,
            {"document_root": Path(settings.MEDIA_ROOT) / folder},
        )
        for folder in ("avatars", "logos")
    ],
]

handler400 = "platoo.views.bad_request"
handler403 = "platoo.views.permission_denied"
handler404 = "platoo.views.page_not_found"
handler500 = "platoo.views.server_error"
