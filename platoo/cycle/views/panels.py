"""Expert panels: their pages, a member's review queue, a review round with its reviews and verdict."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.knowledge.diff import Describer
from platoo.knowledge.models import KnowledgeItem, Revision

from ..access import is_hub
from ..actions import counted_reviews, do_decide, do_review, do_save_panel, majority, queue_for, review_problem
from ..forms import PanelForm, ReviewForm, VerdictForm
from ..models import Outcome, Panel, PanelMember, Recommendation, Review, ReviewRound
from ..trust import trust_by_panel


def panel_list(request: HttpRequest) -> HttpResponse:
    panels = list(
        Panel.objects.select_related("topic")
        .annotate(experts=Count("members", distinct=True))
        .prefetch_related(Prefetch("members", queryset=PanelMember.objects.select_related("user")))
    )
    trust = trust_by_panel(panels)
    rows = [(panel, trust[panel.pk]) for panel in panels]
    return render(request, "cycle/panels.html", {"rows": rows, "is_hub": is_hub(request.user)})


def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_object_or_404(
        Panel.objects.select_related("topic").prefetch_related(
            Prefetch("members", queryset=PanelMember.objects.select_related("user__organization"))
        ),
        pk=pk,
    )
    visible = KnowledgeItem.objects.visible_to(request.user)
    open_rounds = (
        ReviewRound.objects.filter(panel=panel, closed_at__isnull=True, critical__item__in=visible)
        .select_related("critical__item")
        .annotate(review_count=Count("reviews", filter=Q(reviews__item_version=F("item_version")), distinct=True))
        .order_by("opened_at")
    )
    due = panel.items.due().filter(item__in=visible).select_related("item").order_by("reverify_due")[:50]
    context = {
        "panel": panel,
        "open_rounds": open_rounds,
        "due": due,
        "trust": trust_by_panel([panel])[panel.pk],
        "now": timezone.now(),
        "is_hub": is_hub(request.user),
        "below_minimum": len(panel.members.all()) < settings.CYCLE_PANEL_MIN_EXPERTS,
    }
    return render(request, "cycle/panel.html", context)


def _panel_initial(panel: Panel) -> dict[str, Any]:
    members = list(panel.members.select_related("user"))
    return {
        "name": panel.name,
        "topic": panel.topic_id,
        "description": panel.description,
        "members": ", ".join(m.user.username for m in members),
        "chair": next((m.user.username for m in members if m.is_chair), ""),
        "quorum": panel.quorum,
        "reverify_months": panel.reverify_months,
    }


@login_required
def panel_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not is_hub(request.user):
        raise PermissionDenied
    panel = get_object_or_404(Panel, pk=pk) if pk else None
    actor: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        form = PanelForm(request.POST)
        if form.is_valid():
            try:
                panel = do_save_panel(actor, panel, form.panel_data())
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("The panel was saved."))
                return redirect(panel)
    else:
        form = PanelForm(initial=_panel_initial(panel) if panel else {"quorum": 3, "reverify_months": 12})
    return render(request, "cycle/panel_form.html", {"form": form, "panel": panel}, status=400 if form.errors else 200)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    rounds = queue_for(actor)
    mine = set(Review.objects.filter(reviewer=actor, round__in=rounds).values_list("round_id", "item_version"))
    rows = [(r, (r.pk, r.item_version) in mine) for r in rounds]
    return render(request, "cycle/queue.html", {"rows": rows, "now": timezone.now()})


def _round_for(request: HttpRequest, pk: int) -> ReviewRound:
    """A round is read by its panel, the hub and the item's authors, if they may read the item."""
    review_round = get_object_or_404(
        ReviewRound.objects.select_related("critical__item", "panel", "decided_by").prefetch_related(
            "panel__members", "critical__item__authors"
        ),
        pk=pk,
        critical__item__in=KnowledgeItem.objects.visible_to(request.user),
    )
    user = request.user
    if not (review_round.panel.is_member(user) or is_hub(user) or review_round.critical.item.is_author(user)):
        raise Http404
    return review_round


def _changes(review_round: ReviewRound) -> list[Any]:
    """What changed since the panel last verified it (a re-review after an edit)."""
    if review_round.base_version is None or review_round.base_version == review_round.item_version:
        return []
    revisions = {
        r.number: r
        for r in Revision.objects.filter(
            item_id=review_round.critical_id, number__in=[review_round.base_version, review_round.item_version]
        )
    }
    old, new = revisions.get(review_round.base_version), revisions.get(review_round.item_version)
    if old is None or new is None:
        return []
    return Describer(old.data, new.data).changes(old.data, new.data)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = _round_for(request, pk)
    actor: User = request.user  # type: ignore[assignment]
    own = review_round.reviews.filter(reviewer=actor, item_version=review_round.item_version).first()
    review_form = ReviewForm(
        request.POST if request.method == "POST" and "review" in request.POST else None,
        initial=_review_initial(own) if own else None,
    )
    verdict_form = VerdictForm(request.POST if request.method == "POST" and "verdict" in request.POST else None)
    if request.method == "POST" and "review" in request.POST and review_form.is_valid():
        try:
            do_review(actor, review_round, review_form.review_data())
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                review_form.add_error(name if name in review_form.fields else None, errors)
        else:
            messages.success(request, _("Your review was saved. Thank you."))
            return redirect("cycle:round", pk=review_round.pk)
    if request.method == "POST" and "verdict" in request.POST and verdict_form.is_valid():
        try:
            critical = do_decide(
                actor, review_round, verdict_form.cleaned_data["outcome"], verdict_form.cleaned_data["note"]
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            for name, errors in getattr(exc, "message_dict", {"": exc.messages}).items():
                verdict_form.add_error(name if name in verdict_form.fields else None, errors)
        else:
            messages.success(
                request, _("The verdict was recorded: “%(stage)s”.") % {"stage": critical.get_stage_display()}
            )
            return redirect("cycle:round", pk=review_round.pk)
    counted = counted_reviews(review_round)
    panel = review_round.panel
    decides = panel.is_chair(actor) or is_hub(actor)
    item = review_round.critical.item
    context = {
        "round": review_round,
        "item": item,
        "critical": review_round.critical,
        "reviews": counted if (panel.is_member(actor) or is_hub(actor) or not review_round.is_open) else [],
        "stale_reviews": review_round.reviews.exclude(item_version=review_round.item_version).count(),
        "reviews_count": len(counted),
        "majority": Recommendation(majority(counted)).label if majority(counted) else "",
        "changes": _changes(review_round),
        "review_problem": review_problem(actor, review_round),
        "review_form": review_form,
        "verdict_form": verdict_form if decides and review_round.is_open and not item.is_author(actor) else None,
        "Outcome": Outcome,
        "now": timezone.now(),
        "others": ReviewRound.objects.filter(critical=review_round.critical).exclude(pk=review_round.pk),
    }
    status = 400 if (review_form.errors or verdict_form.errors) else 200
    return render(request, "cycle/round.html", context, status=status)


def _review_initial(review: Review) -> dict[str, Any]:
    return {
        "accuracy": review.accuracy,
        "applicability": review.applicability,
        "evidence": review.evidence,
        "risks": review.risks,
        "comments": review.comments,
        "recommendation": review.recommendation,
    }
