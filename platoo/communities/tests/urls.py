"""The site's URLs, with stand-ins for the meeting and discussion pages until they exist.

Meeting.get_absolute_url and Thread.get_absolute_url name "communities:meeting" and
"communities:thread"; the pages themselves are built on another branch. Tests of search and of the
people directory need those addresses, so this adds a stand-in for each route the communities app does
not define yet (none, once it does) in front of the site's URLs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from platoo import urls as site
from platoo.communities import urls as communities


def stand_in(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return HttpResponse(status=204)


STAND_INS = {"meeting": "<str:slug>/meetings/<int:pk>/", "thread": "<str:slug>/discussions/<int:pk>/"}
defined = {pattern.name for pattern in communities.urlpatterns}
missing = [path(route, stand_in, name=name) for name, route in STAND_INS.items() if name not in defined]

urlpatterns = [
    path("communities/", include(([*communities.urlpatterns, *missing], "communities"))),
    *site.urlpatterns,
]
handler404 = site.handler404
