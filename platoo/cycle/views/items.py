"""The cycle on a knowledge item's page: its stage and timeline, and the moves the reader may make."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem

from ..access import is_expert, is_hub, roles_of
from ..actions import StaleMove, allowed_moves, counted_reviews, do_categorize, do_mark_critical, do_move
from ..forms import CategoriesForm, MoveForm
from ..models import MAIN_LINE, MOVES, CriticalKnowledge, Role, Stage

_KEPT_REASON = "cycle-kept-reason"  # the session key of a refused move's reason, shown again once


def _kept_reason(request: HttpRequest, item: KnowledgeItem) -> dict[str, str]:
    kept = request.session.get(_KEPT_REASON) if hasattr(request, "session") else None
    if not kept or kept.get("item") != item.pk:
        return {}
    del request.session[_KEPT_REASON]
    return {"move": kept.get("move", ""), "reason": kept.get("reason", "")}


def _item(request: HttpRequest, pk: int) -> KnowledgeItem:
    """The item if the reader may read it (404 otherwise: its existence is not revealed)."""
    return get_object_or_404(KnowledgeItem.objects.visible_to(request.user).prefetch_related("authors"), pk=pk)


def _critical(request: HttpRequest, pk: int) -> CriticalKnowledge:
    item = _item(request, pk)
    return get_object_or_404(CriticalKnowledge.objects.select_related("panel", "topic", "owner"), item=item)


def _errors(exc: ValidationError) -> list[str]:
    return [message for messages_ in getattr(exc, "message_dict", {"": exc.messages}).values() for message in messages_]


def item_section(request: HttpRequest, item: KnowledgeItem) -> SafeString | None:
    """The cycle block of the item page (knowledge.extensions): nothing for an item outside the cycle unless
    the reader may mark it critical."""
    user = request.user
    critical = (
        CriticalKnowledge.objects.select_related("panel", "topic", "owner", "superseded_by")
        .prefetch_related("panel__members")
        .filter(item=item)
        .first()
    )
    if critical is None:
        may_mark = user.is_authenticated and (item.is_author(user) or is_hub(user) or is_expert(user))
        if not may_mark:
            return None
        return render_to_string("cycle/_item_section.html", {"item": item, "critical": None}, request=request)
    critical.item = item
    roles = roles_of(user, critical)
    may_categorize = bool(
        (roles | ({Role.PANEL} if is_expert(user) else set())) & MOVES["categorize"].roles
        and critical.stage in (Stage.CAPTURED, Stage.CATEGORIZED, Stage.RETURNED)
    )
    open_round = critical.rounds.filter(closed_at__isnull=True).first()
    context = {
        "item": item,
        "critical": critical,
        "timeline": critical.transitions.select_related("actor"),
        "main_line": [(stage, Stage(stage).label) for stage in MAIN_LINE],
        "reached": set(critical.transitions.values_list("to_stage", flat=True)),
        "moves": [MOVES[name] for name in allowed_moves(user, critical)],
        "categories_form": CategoriesForm(
            initial={
                "topic": critical.topic_id,
                "knowledge_type": critical.knowledge_type,
                "audience": critical.audience,
                "source": critical.source,
                "owner": critical.owner_id,
                "priority": critical.priority,
                "version": critical.version,
            }
        )
        if may_categorize
        else None,
        "open_round": open_round,
        "open_round_reviews": len(counted_reviews(open_round)) if open_round else 0,
        "needs_reverification": critical.needs_reverification(),
        "roles": roles,
        "kept": _kept_reason(request, item),
        "may_synthesize": critical.is_verified and bool(roles & {Role.HUB, Role.PANEL} or is_expert(user)),
    }
    return render_to_string("cycle/_item_section.html", context, request=request)


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    actor: User = request.user  # type: ignore[assignment]
    try:
        do_mark_critical(actor, item, reason=request.POST.get("reason", ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You cannot mark this knowledge as critical."))
    else:
        messages.success(request, _("Marked as critical knowledge: it starts the cycle. Fill in its categories next."))
    return redirect(item.get_absolute_url() + "#cycle")


@login_required
@require_POST
def categorize(request: HttpRequest, pk: int) -> HttpResponse:
    critical = _critical(request, pk)
    form = CategoriesForm(request.POST)
    actor: User = request.user  # type: ignore[assignment]
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect(critical.item.get_absolute_url() + "#cycle")
    try:
        critical = do_categorize(actor, critical, form.categories(), form.cleaned_data["version"])
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except StaleMove as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for error in _errors(exc):
            messages.error(request, error)
    else:
        if critical.stage == Stage.CAPTURED:
            messages.info(
                request,
                _("Saved. Still to fill in before it moves on: %(fields)s.")
                % {"fields": ", ".join(critical.missing_categories())},
            )
        else:
            messages.success(request, _("The categories were saved."))
    return redirect(critical.item.get_absolute_url() + "#cycle")


def _refused(request: HttpRequest, form: MoveForm, critical: CriticalKnowledge, errors: list[str]) -> HttpResponse:
    """Back to the item with the reasons; what was typed waits in the same box (once)."""
    for error in errors:
        messages.error(request, error)
    request.session[_KEPT_REASON] = {
        "item": critical.item_id,
        "move": form.cleaned_data["move"],
        "reason": form.cleaned_data["reason"],
    }
    return redirect(critical.item.get_absolute_url() + "#cycle")


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    critical = _critical(request, pk)
    form = MoveForm(request.POST)
    actor: User = request.user  # type: ignore[assignment]
    if not form.is_valid():
        messages.error(request, _("The move could not be read; please try again."))
        return redirect(critical.item.get_absolute_url() + "#cycle")
    replacement = None
    if number := form.cleaned_data["superseded_by"]:
        replacement = KnowledgeItem.objects.visible_to(actor).filter(pk=number).first()
        if replacement is None:
            return _refused(
                request, form, critical, [_("There is no item %(number)d that you can read.") % {"number": number}]
            )
    try:
        critical = do_move(
            actor,
            critical,
            form.cleaned_data["move"],
            base_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            superseded_by=replacement,
        )
    except (PermissionDenied, StaleMove, ValidationError) as exc:
        return _refused(request, form, critical, _errors(exc) if isinstance(exc, ValidationError) else [str(exc)])
    messages.success(request, _("Moved: it is now “%(stage)s”.") % {"stage": critical.get_stage_display()})
    return redirect(critical.item.get_absolute_url() + "#cycle")
