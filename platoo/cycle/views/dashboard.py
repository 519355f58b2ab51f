"""The hub's cycle dashboard and its CSV."""

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from platoo.knowledge.models import Topic
from platoo.network.models import Organization

from .. import dashboard
from ..access import is_hub


def _board(request: HttpRequest) -> tuple[dashboard.Dashboard, list[Topic], list[Organization]]:
    """The figures for the hub (anyone else is refused), with the topics and organizations to filter by."""
    if not is_hub(request.user):
        raise PermissionDenied
    topics = list(Topic.objects.all())
    organizations = list(Organization.objects.members().order_by("name_th"))
    filters = dashboard.parse_filters(request.GET, topics, organizations)
    return dashboard.cached_build(request.user, filters, topics), topics, organizations


@login_required
@require_GET
def cycle_dashboard(request: HttpRequest) -> HttpResponse:
    """Where the network's critical knowledge stands, how long it waits, and how much of it is trusted."""
    board, topics, organizations = _board(request)
    children, _by_pk = dashboard.topic_tree(topics)
    topic_choices: list[tuple[Topic, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for topic in children.get(parent, []):
            topic_choices.append((topic, "— " * depth))
            walk(topic.pk, depth + 1)

    walk(None, 0)
    context = {
        "board": board,
        "topic_choices": topic_choices,
        "organizations": organizations,
        "quarter_labels": [quarter.label for quarter in board.quarters],
        "cache_minutes": dashboard.CACHE_SECONDS // 60,
        "stage_times_minutes": dashboard.STAGE_TIMES_SECONDS // 60,
    }
    return render(request, "cycle/dashboard.html", context)


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream out one by one."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def cycle_dashboard_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The dashboard's tables as one CSV with sections, UTF-8 with a byte-order mark (so Excel reads Thai),
    every cell safe from formula injection."""
    board, _topics, _organizations = _board(request)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"
        for row in dashboard.csv_sections(board):
            yield writer.writerow([dashboard.safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate(board.now).isoformat()
    response["Content-Disposition"] = f'attachment; filename="platoo-cycle-dashboard-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
