"""The search page: one box, results with filters, counts per type and paging."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from platoo.knowledge.models import Kind, Topic
from platoo.network.models import Organization

from .query import MAX_QUERY_LENGTH, search

PAGE_SIZE = 20
FILTERS = ("kind", "topic", "tag", "org", "year")
TYPE_NAMES = {
    "knowledge": _("Knowledge"),
    "person": _("People"),
    "community": _("Communities of practice"),
    "thread": _("Discussions"),
    "meeting": _("Meetings"),
    "event": _("Events"),
}


def results(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    params = {name: request.GET[name] for name in FILTERS if request.GET.get(name)}
    chosen_type = request.GET.get("type", "")
    page = request.GET.get("page", "1")
    page_number = int(page) if page.isdigit() and 0 < int(page) < 1000 else 1
    found = None
    if q.strip():
        found = search(
            request.user,
            q,
            params=params,
            types=[chosen_type] if chosen_type else None,
            offset=(page_number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
    total = found.total if found else 0
    context = {
        "q": q,
        "found": found,
        "shortened": found is not None and len(" ".join(q.split())) > MAX_QUERY_LENGTH,
        "params": params,
        "chosen_type": chosen_type,
        "type_counts": [(label, TYPE_NAMES.get(label, label), n) for label, n in found.counts.items()] if found else [],
        "filtering": bool(params),
        "page": page_number,
        "first_number": (page_number - 1) * PAGE_SIZE + 1,
        "previous_page": page_number - 1 if page_number > 1 else None,
        "next_page": page_number + 1 if page_number * PAGE_SIZE < total else None,
        "kinds": Kind.choices,
        "topics": Topic.objects.all(),
        "organizations": Organization.objects.members().order_by("name_th").only("code", "name_th", "name_en"),
    }
    return render(request, "search/results.html", context)
