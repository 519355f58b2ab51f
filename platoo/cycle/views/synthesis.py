"""Syntheses: choosing verified sources, writing the statements that rest on them, reading one with its
provenance graph. Every item shown goes through KnowledgeItem.objects.visible_to; a source the reader may
not read is "a source you cannot read", never its title."""

import secrets
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platoo.accounts.models import User
from platoo.knowledge.actions import EditConflict
from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.lib.visibility import Visibility

from ..actions import (
    MIN_SOURCES,
    ClaimData,
    SynthesisData,
    applicable_problem,
    can_edit_synthesis,
    can_synthesize,
    do_create_synthesis,
    do_update_synthesis,
)
from ..models import (
    VERIFIED_STAGES,
    Application,
    ClaimKind,
    CriticalKnowledge,
    Manual,
    SectionItem,
    Stage,
    Synthesis,
    SynthesisSource,
)

MAX_CANDIDATES = 200
MIN_ROWS, MORE_ROWS, MAX_ROWS = 5, 5, 60
VISIBILITIES = [(v.value, v.label) for v in (Visibility.NETWORK, Visibility.PUBLIC, Visibility.ORGANIZATION)]


class SynthesisForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=250)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label=gettext_lazy("Conditions for success, in general (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    failures = forms.CharField(
        label=gettext_lazy("Where it did not work, in general (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(label=gettext_lazy("Who can read it"), choices=VISIBILITIES)
    add_sources = forms.CharField(
        label=gettext_lazy("Add sources by their item numbers"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Item numbers separated by commas, such as 12, 40."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


@dataclass
class ClaimRow:
    number: int
    kind: str = ClaimKind.PRINCIPLE
    text: str = ""
    source_ids: list[int] = field(default_factory=list)


def _ids(values: list[str]) -> list[int]:
    found: list[int] = []
    for value in values:
        for part in value.replace("#", " ").replace(",", " ").split():
            if part.isdigit() and len(part) <= 12:
                found.append(int(part))
    return list(dict.fromkeys(found))


def _rows_from_post(post: QueryDict) -> list[ClaimRow]:
    count = min(int(post.get("rows", "0") or 0) if (post.get("rows") or "").isdigit() else 0, MAX_ROWS)
    rows = []
    for n in range(count):
        rows.append(
            ClaimRow(
                n + 1,
                post.get(f"claim-{n}-kind", ClaimKind.PRINCIPLE),
                post.get(f"claim-{n}-text", "")[:4000],
                _ids(post.getlist(f"claim-{n}-sources")),
            )
        )
    return rows


def _padded(rows: list[ClaimRow], extra: int = 0) -> list[ClaimRow]:
    filled = [r for r in rows if r.text.strip() or r.source_ids]
    total = min(max(MIN_ROWS, len(filled) + 2) + extra, MAX_ROWS)
    rows = filled + [ClaimRow(0) for _n in range(total - len(filled))]
    for number, row in enumerate(rows, start=1):
        row.number = number
    return rows


def _candidates(user: Any, request: HttpRequest) -> tuple[list[KnowledgeItem], Topic | None, str]:
    """Verified critical knowledge the writer may read, to choose the sources from."""
    topic = Topic.objects.filter(slug=request.GET.get("topic", "")).first()
    query = (request.GET.get("q") or "").strip()[:200]
    items = KnowledgeItem.objects.visible_to(user).filter(critical__stage__in=VERIFIED_STAGES)
    if topic is not None:
        items = items.filter(critical__topic_id__in=topic.descendant_ids())
    if query:
        items = items.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    chosen = (
        items.select_related("organization", "critical", "critical__topic")
        .order_by("-critical__verified_at", "-pk")
        .distinct()
    )
    return list(chosen[:MAX_CANDIDATES]), topic, query


def _source_items(user: Any, ids: list[int]) -> list[KnowledgeItem]:
    """The chosen sources the writer may read, in the order chosen, with where they stand in the cycle."""
    found = KnowledgeItem.objects.visible_to(user).filter(pk__in=ids).select_related("critical").in_bulk()
    return [found[pk] for pk in ids if pk in found]


def _data(form: SynthesisForm, source_ids: list[int], rows: list[ClaimRow]) -> SynthesisData:
    return SynthesisData(
        title=form.cleaned_data["title"],
        summary=form.cleaned_data["summary"],
        conditions=form.cleaned_data["conditions"],
        failures=form.cleaned_data["failures"],
        visibility=form.cleaned_data["visibility"],
        source_ids=source_ids,
        claims=[ClaimData(row.text, row.source_ids, row.kind) for row in rows],
    )


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages_ in exc.message_dict.values() for message in messages_]
    return list(exc.messages)


def _editor(request: HttpRequest, synthesis: Synthesis | None) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        post = request.POST.copy()  # what the page shows again, with the fields it updates
        form = SynthesisForm(post)
        source_ids = _ids(request.POST.getlist("source"))
        rows = _rows_from_post(request.POST)
        if form.is_valid():
            source_ids = list(dict.fromkeys([*source_ids, *_ids([form.cleaned_data["add_sources"]])]))
        if form.is_valid() and "more" not in request.POST and "refresh" not in request.POST:
            token = form.cleaned_data["form_token"] or ""
            try:
                if synthesis is None:
                    done = Synthesis.objects.filter(item__created_by=user, item__creation_key=token).first()
                    if token and done is not None:
                        messages.info(request, _("This form was already sent; here is the synthesis it saved."))
                        return redirect(done)
                    created = do_create_synthesis(user, _data(form, source_ids, rows), idempotency_key=token)
                    messages.success(
                        request,
                        _("The synthesis is saved, and in the cycle as captured; its sources are now synthesized."),
                    )
                    return redirect(created)
                do_update_synthesis(
                    user, synthesis, _data(form, source_ids, rows), base_version=form.cleaned_data["version"] or 0
                )
                messages.success(request, _("Your changes were saved."))
                return redirect(synthesis)
            except EditConflict as conflict:
                errors.append(
                    _(
                        "Someone else saved this synthesis while you were editing it (it is now version %(version)d). "
                        "Nothing you typed is lost: compare with the synthesis page, then save again."
                    )
                    % {"version": conflict.item.version}
                )
                post["version"] = str(conflict.item.version)
            except ValidationError as exc:
                errors.extend(_errors(exc))
            status = 400
        elif not form.is_valid():
            status = 400
        if form.is_valid():
            post["add_sources"] = ""
        rows = _padded(rows, MORE_ROWS if "more" in request.POST else 0)
    elif synthesis is not None:
        item = synthesis.item
        source_ids = list(synthesis.sources.values_list("item_id", flat=True))
        source_rows = {row.pk: row.item_id for row in synthesis.sources.all()}
        claim_rows = [
            ClaimRow(0, claim.kind, claim.text, [source_rows[s.pk] for s in claim.sources.all()])
            for claim in sorted(
                synthesis.claims.prefetch_related("sources"),
                key=lambda claim: (ClaimKind.values.index(claim.kind), claim.position, claim.pk),
            )
        ]
        form = SynthesisForm(
            initial={
                "title": item.title,
                "summary": item.summary,
                "conditions": synthesis.conditions,
                "failures": synthesis.failures,
                "visibility": item.visibility,
                "version": item.version,
            }
        )
        rows = _padded(claim_rows)
    else:
        source_ids = _ids(request.GET.getlist("source"))
        if len(source_ids) < MIN_SOURCES:
            return _choose(request, source_ids)
        form = SynthesisForm(initial={"visibility": Visibility.NETWORK, "form_token": secrets.token_urlsafe(24)})
        rows = _padded([])
    sources = _source_items(user, source_ids)
    kept = set(synthesis.sources.values_list("item_id", flat=True)) if synthesis is not None else set()
    hidden_sources = [pk for pk in source_ids if pk not in {s.pk for s in sources} and pk in kept]
    context = {
        "form": form,
        "synthesis": synthesis,
        "sources": sources,
        "hidden_sources": hidden_sources,
        "rows": rows,
        "kinds": ClaimKind.choices,
        "errors": errors,
        "VERIFIED_STAGES": VERIFIED_STAGES,
    }
    return render(request, "cycle/synthesis_form.html", context, status=status)


def _choose(request: HttpRequest, chosen: list[int]) -> HttpResponse:
    candidates, topic, query = _candidates(request.user, request)
    context = {
        "candidates": candidates,
        "chosen": set(chosen),
        "topic": topic,
        "query": query,
        "topics": Topic.objects.filter(critical=True).order_by("position", "name_th"),
        "min_sources": MIN_SOURCES,
        "max_candidates": MAX_CANDIDATES,
        "too_few": bool(request.GET.getlist("source")) or "chosen" in request.GET,
    }
    return render(request, "cycle/synthesis_choose.html", context)


@login_required
def synthesis_create(request: HttpRequest) -> HttpResponse:
    if not can_synthesize(request.user):
        raise PermissionDenied(_("Only the members of an expert panel and the hub write syntheses."))
    return _editor(request, None)


def _readable_synthesis(request: HttpRequest, pk: int) -> Synthesis:
    readable = KnowledgeItem.objects.visible_to(request.user)
    return get_object_or_404(
        Synthesis.objects.select_related("item", "item__organization", "created_by").filter(item__in=readable), pk=pk
    )


@login_required
def synthesis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = _readable_synthesis(request, pk)
    if not can_edit_synthesis(request.user, synthesis):
        raise PermissionDenied(_("Only the authors of a synthesis can change it."))
    return _editor(request, synthesis)


@dataclass
class SourceView:
    number: int
    item: KnowledgeItem | None  # None: the reader may not read it
    stage: str = ""


@dataclass
class Node:
    label: str
    url: str
    kind: str  # source, hidden, synthesis, manual, application, citing
    x: float = 0.0
    y: float = 0.0
    note: str = ""

    @property
    def width(self) -> int:
        return NODE_W - 40 if self.kind == "synthesis" else NODE_W

    @property
    def text_x(self) -> float:
        return self.x + 8

    @property
    def text_y(self) -> float:
        return self.y + 19

    @property
    def fill(self) -> str:
        return FILLS.get(self.kind, "#eef2f6")


@dataclass
class Graph:
    width: int
    height: int
    nodes: list[Node]
    edges: list[str]  # SVG paths


GRAPH_WIDTH, NODE_W, NODE_H, ROW = 860, 240, 30, 40
FILLS = {
    "synthesis": "#0f6e5a",
    "hidden": "#e5e7eb",
    "application": "#fde7d9",
    "manual": "#e8e1f5",
    "citing": "#dcefe9",
}


def provenance_graph(title: str, sources: list[SourceView], right: list[Node]) -> Graph:
    """Sources on the left, the synthesis in the middle, what uses it on the right; drawn as inline SVG."""
    left = [
        Node(
            f"[{s.number}] {s.item.title}" if s.item else f"[{s.number}] " + _("a source you cannot read"),
            s.item.get_absolute_url() if s.item else "",
            "source" if s.item else "hidden",
        )
        for s in sources
    ]
    rows = max(len(left), len(right), 1)
    height = rows * ROW + 20
    for n, node in enumerate(left):
        node.x, node.y = 0, 10 + n * ROW + (rows - len(left)) * ROW / 2
    for n, node in enumerate(right):
        node.x, node.y = GRAPH_WIDTH - NODE_W, 10 + n * ROW + (rows - len(right)) * ROW / 2
    centre = Node(title, "", "synthesis", (GRAPH_WIDTH - NODE_W) / 2 + 20, (height - NODE_H) / 2)
    edges = []
    for node in left:
        x0, y0, x1, y1 = node.x + NODE_W, node.y + NODE_H / 2, centre.x, centre.y + NODE_H / 2
        edges.append(f"M{x0:.0f},{y0:.0f} C{(x0 + x1) / 2:.0f},{y0:.0f} {(x0 + x1) / 2:.0f},{y1:.0f} {x1:.0f},{y1:.0f}")
    for node in right:
        x0, y0, x1, y1 = centre.x + NODE_W - 40, centre.y + NODE_H / 2, node.x, node.y + NODE_H / 2
        edges.append(f"M{x0:.0f},{y0:.0f} C{(x0 + x1) / 2:.0f},{y0:.0f} {(x0 + x1) / 2:.0f},{y1:.0f} {x1:.0f},{y1:.0f}")
    for node in [*left, *right, centre]:
        node.label = node.label if len(node.label) <= 36 else node.label[:35] + "…"
    return Graph(GRAPH_WIDTH, int(height), [*left, centre, *right], edges)


def _url(obj: Any) -> str:
    try:
        return str(obj.get_absolute_url())
    except NoReverseMatch:  # the manuals' pages live in another part of the cycle
        return ""


def synthesis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = _readable_synthesis(request, pk)
    user = request.user
    readable = KnowledgeItem.objects.visible_to(user)
    rows = list(synthesis.sources.select_related("item", "item__critical", "item__organization"))
    visible = set(readable.filter(pk__in=[r.item_id for r in rows]).values_list("pk", flat=True))
    sources = [
        SourceView(
            n,
            row.item if row.item_id in visible else None,
            row.item.critical.stage if row.item_id in visible and hasattr(row.item, "critical") else "",
        )
        for n, row in enumerate(rows, start=1)
    ]
    by_row = {row.pk: view for row, view in zip(rows, sources, strict=True)}
    claims = list(synthesis.claims.prefetch_related(Prefetch("sources", queryset=SynthesisSource.objects.order_by())))
    grouped = [
        (
            kind,
            label,
            {"principle": "", "condition": synthesis.conditions, "failure": synthesis.failures}[kind],
            [
                (claim, sorted((by_row[s.pk] for s in claim.sources.all()), key=lambda v: v.number))
                for claim in claims
                if claim.kind == kind
            ],
        )
        for kind, label in ClaimKind.choices
    ]
    # What uses the synthesis: manuals whose sections use it, the organizations that applied it, and the
    # syntheses that draw on it (those the reader may read).
    manual_rows = Manual.objects.filter(
        pk__in=SectionItem.objects.filter(item_id=synthesis.pk).values("section__manual_id"),
        visibility__in=[Visibility.PUBLIC, Visibility.NETWORK] if user.is_authenticated else [Visibility.PUBLIC],
    ).order_by("title")
    applied = list(
        Application.objects.filter(item_id=synthesis.pk)
        .values("organization_id", "organization__name_th", "organization__name_en", "organization__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "organization__name_th")[:20]
    )
    citing = list(
        Synthesis.objects.filter(sources__item_id=synthesis.pk, item__in=readable)
        .select_related("item")
        .order_by("created_at")
    )
    right = [Node(manual.title, _url(manual), "manual", note=_("manual")) for manual in manual_rows]
    right += [
        Node(
            row["organization__name_th"],
            reverse("network:organization", args=[row["organization__code"]]),
            "application",
            note=_("applied %(count)d×") % {"count": row["n"]},
        )
        for row in applied
    ]
    right += [Node(other.item.title, other.get_absolute_url(), "citing", note=_("synthesis")) for other in citing]
    critical = CriticalKnowledge.objects.filter(item_id=synthesis.pk).first()
    context = {
        "synthesis": synthesis,
        "item": synthesis.item,
        "sources": sources,
        "grouped": grouped,
        "graph": provenance_graph(synthesis.item.title, sources, right),
        "manuals": [(m, _url(m)) for m in manual_rows],
        "applied": applied,
        "citing": citing,
        "critical": critical,
        "can_edit": can_edit_synthesis(user, synthesis),
        "can_apply": user.is_authenticated and not applicable_problem(user, synthesis.item),
        "authors": list(synthesis.item.authors.all()),
    }
    return render(request, "cycle/synthesis_detail.html", context)


def synthesis_list(request: HttpRequest) -> HttpResponse:
    readable = KnowledgeItem.objects.visible_to(request.user)
    syntheses = (
        Synthesis.objects.filter(item__in=readable)
        .select_related("item", "item__critical")
        .annotate(source_count=Count("sources", distinct=True), claim_count=Count("claims", distinct=True))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(syntheses, 30).get_page(request.GET.get("page"))
    context = {"page": page, "can_synthesize": can_synthesize(request.user), "Stage": Stage}
    return render(request, "cycle/synthesis_list.html", context)
