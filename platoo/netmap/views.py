"""The network map page, its data endpoint and its exports. What a viewer sees comes from graph.scope_for."""

import csv
import tempfile
from collections.abc import Iterator
from typing import Any

import networkx as nx
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from platoo.network.models import NetworkLevel, Sector

from . import measures
from .forms import MapFilterForm
from .graph import NODE_TYPES, Filters, full_graph_for, map_json, map_payload, node_payload, to_networkx
from .registry import edge_kinds

TABLE_ROWS = 200
SECTOR_COLOURS: dict[str, str] = {
    Sector.GOVERNMENT: "#1f6fb2",
    Sector.STATE_ENTERPRISE: "#0e7c86",
    Sector.PRIVATE: "#b45309",
    Sector.CIVIL_SOCIETY: "#7c3aed",
    Sector.ACADEMIC: "#be123c",
    Sector.COMMUNITY: "#4d7c0f",
}
TYPE_STYLES = {
    "organization": {"colour": "#1f6fb2", "shape": "ellipse"},
    "community": {"colour": "#d97706", "shape": "diamond"},
    "person": {"colour": "#64748b", "shape": "round-triangle"},
}


def legend() -> dict[str, Any]:
    """Colours, shapes and line styles, shared by the legend beside the map and the script drawing it."""
    return {
        "types": {key: {**style, "label": str(NODE_TYPES[key])} for key, style in TYPE_STYLES.items()},
        "sectors": {key: {"colour": SECTOR_COLOURS[key], "label": str(label)} for key, label in Sector.choices},
        "kinds": {
            key: {"colour": kind.colour, "line": kind.line, "directed": kind.directed, "label": str(kind.label)}
            for key, kind in edge_kinds().items()
        },
        "levels": {str(value): str(label) for value, label in NetworkLevel.choices},
        "strings": {
            "loading": _("Drawing the map…"),
            "failed": _("The map could not be loaded. The table below lists the same nodes."),
            "members_one": ngettext("%(count)s member", "%(count)s members", 1),
            "members_many": ngettext("%(count)s member", "%(count)s members", 2),
            "people_one": ngettext("%(count)s person", "%(count)s people", 1),
            "people_many": ngettext("%(count)s person", "%(count)s people", 2),
            "ties": _("ties"),
            "open": _("Tap again to open the page"),
            "summary": _("%(nodes)s nodes and %(edges)s ties drawn"),
        },
    }


def _filters(request: HttpRequest) -> tuple[MapFilterForm, Filters]:
    form = MapFilterForm(request.GET)
    form.is_valid()
    return form, form.filters()


def _errors(form: MapFilterForm) -> JsonResponse:
    errors = [{"field": name, "message": message} for name, messages in form.errors.items() for message in messages]
    return JsonResponse(
        {"detail": _("The filters have invalid values; see errors for each field."), "errors": errors}, status=400
    )


def _table(nodes: list[dict[str, Any]], style: dict[str, Any]) -> list[dict[str, Any]]:
    """The most connected nodes, with their type and details in words (netmap.js writes the same rows)."""
    rows = []
    for node in sorted(nodes, key=lambda n: (-n["degree"], n["label"]))[:TABLE_ROWS]:
        if node["type"] == "organization":
            details = [style["sectors"][node["sector"]]["label"]]
            if node.get("people") is not None:
                count = node["people"]
                details.append(ngettext("%(count)s person", "%(count)s people", count) % {"count": f"{count:,}"})
        elif node["type"] == "community":
            count = node["members"]
            members = ngettext("%(count)s member", "%(count)s members", count) % {"count": f"{count:,}"}
            details = [style["levels"][str(node["level"])], members]
        else:
            details = []
        rows.append({**node, "type_label": style["types"][node["type"]]["label"], "detail": " · ".join(details)})
    return rows


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    body = map_payload(request.user, filters)
    state = measures.current(request.user)
    style = legend()
    context = {
        "form": form,
        "map": body,
        "rows": _table(body["nodes"], style),
        "table_limit": TABLE_ROWS,
        "query": request.GET.urlencode(),
        "legend": style,
        "measures": state,
        "listing": measures.listing(request.user, state.snapshot) if state.snapshot else None,
        "exact_limit": measures.exact_limit(),
    }
    return render(request, "netmap/map.html", context)


@require_GET
def map_data(request: HttpRequest) -> HttpResponse:
    form = MapFilterForm(request.GET)
    if not form.is_valid():
        return _errors(form)
    response = HttpResponse(map_json(request.user, form.filters()), content_type="application/json")
    response["Cache-Control"] = "private, no-cache"
    return response


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream out one by one."""

    def write(self, value: str) -> str:
        return value


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> HttpResponse | StreamingHttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


NODE_COLUMNS = [
    "id",
    "type",
    "label",
    "url",
    "sector",
    "region",
    "level",
    "members",
    "people",
    "organization",
    "degree",
]


@require_GET
def export_nodes_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form, filters = _filters(request)
    if not form.is_valid():
        return _errors(form)
    graph = full_graph_for(request.user, filters)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(NODE_COLUMNS)  # the byte-order mark makes spreadsheets read Thai as UTF-8
        for node in graph.nodes:
            data = node_payload(graph, node)
            yield writer.writerow(["" if data.get(c) is None else data.get(c) for c in NODE_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    return _attachment(response, "platoo-network-nodes.csv")


@require_GET
def export_edges_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form, filters = _filters(request)
    if not form.is_valid():
        return _errors(form)
    graph = full_graph_for(request.user, filters)
    kinds = edge_kinds()
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(["source", "target", "kind", "label", "level", "weight", "directed"])
        for e in graph.edges:
            kind = kinds[e.kind]
            level = "" if e.level is None else e.level
            yield writer.writerow([e.source, e.target, e.kind, kind.label, level, f"{e.weight:g}", kind.directed])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    return _attachment(response, "platoo-network-edges.csv")


@require_GET
def export_graphml(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form, filters = _filters(request)
    if not form.is_valid():
        return _errors(form)
    g = to_networkx(full_graph_for(request.user, filters))
    g.graph["source"] = "Platoo"
    g.graph["filters"] = request.GET.urlencode()
    # networkx's incremental lxml writer (lxml comes with python-docx; without it networkx falls back to
    # ElementTree): at 20,000 people it takes half the time and a tenth of the memory, spilling to disk.
    file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    nx.write_graphml_lxml(g, file, encoding="utf-8")
    file.seek(0)
    response = FileResponse(file, content_type="application/graphml+xml; charset=utf-8")
    return _attachment(response, "platoo-network-map.graphml")
