"""Pages of manuals and curricula: the list, a manual with its releases, the draft its brain trust edits,
each release read as HTML (and downloaded as PDF and EPUB), and what changed between releases.

Reads go through actions.manuals.can_read / can_edit; a manual the reader may not read is a 404, so its
existence is not revealed. An item a reader may not read is a placeholder on every page, never its text.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem

from .. import manual_files
from ..actions import manuals as actions
from ..manual_changes import changes_between
from ..manual_forms import ManualForm, ReleaseForm, SectionForm
from ..models import BuildStatus, Manual, ManualKind, Release, Section


def _manual(request: HttpRequest, pk: int) -> Manual:
    """The manual if the reader may read it (its releases); otherwise 404."""
    manual = get_object_or_404(Manual.objects.select_related("panel").prefetch_related("panel__members"), pk=pk)
    if not actions.can_read(request.user, manual):
        raise Http404
    return manual


def _editable(request: HttpRequest, pk: int) -> Manual:
    """The manual if the reader is of its brain trust or the hub; a 404 for everyone else (its draft is
    not theirs to know about)."""
    manual = _manual(request, pk)
    if not actions.can_edit(request.user, manual):
        raise Http404
    return manual


def _release(request: HttpRequest, manual: Manual, number: int) -> Release:
    return get_object_or_404(
        Release.objects.filter(manual=manual).prefetch_related(
            Prefetch("approvers", queryset=User.objects.order_by("pk"))
        ),
        number=number,
    )


def _add_errors(form: Form, exc: ValidationError) -> None:
    for name, errors in exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
        form.add_error(name if name in form.fields else None, errors)


def manual_list(request: HttpRequest) -> HttpResponse:
    manuals = list(
        actions.readable_manuals(request.user)
        .select_related("panel")
        .prefetch_related(Prefetch("releases", queryset=Release.objects.order_by("-number")))
    )
    return render(
        request,
        "cycle/manuals/list.html",
        {"manuals": manuals, "can_create": actions.can_create(request.user), "ManualKind": ManualKind},
    )


@login_required
def manual_create(request: HttpRequest) -> HttpResponse:
    if not actions.can_create(request.user):
        raise PermissionDenied(_("Only a brain trust's experts and the network's hub start manuals."))
    panels = list(actions.panels_for_new_manual(request.user))
    kind = request.GET.get("kind")
    form = ManualForm(
        request.POST or None,
        panels=panels,
        initial={
            "kind": kind if kind in ManualKind.values else ManualKind.MANUAL,
            "visibility": "network",
            "panel": panels[0].pk if len(panels) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            manual = actions.do_create_manual(request.user, form.manual_data())  # type: ignore[arg-type]
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The manual was created; add its chapters."))
            return redirect("cycle:manual_draft", pk=manual.pk)
    return render(request, "cycle/manuals/form.html", {"form": form}, status=400 if form.errors else 200)


def manual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    manual = _manual(request, pk)
    releases = list(manual.releases.order_by("-number"))
    return render(
        request,
        "cycle/manuals/manual.html",
        {"manual": manual, "releases": releases, "can_edit": actions.can_edit(request.user, manual)},
    )


def _draft_context(request: HttpRequest, manual: Manual) -> dict[str, Any]:
    chapters = actions.draft_tree(manual)
    ids = {pk for chapter in chapters for node in (chapter, *chapter.children) for pk in node.item_ids}
    titles = dict(KnowledgeItem.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", "title"))
    content = actions.freeze(manual)
    return {
        "manual": manual,
        "chapters": chapters,
        "titles": titles,
        "total_minutes": actions.total_minutes(chapters),
        "problems": actions.release_problems(manual, content),
        "last_release": manual.releases.order_by("-number").first(),
    }


@login_required
def manual_draft(request: HttpRequest, pk: int) -> HttpResponse:
    manual = _editable(request, pk)
    return render(request, "cycle/manuals/draft.html", _draft_context(request, manual))


@login_required
def manual_edit(request: HttpRequest, pk: int) -> HttpResponse:
    manual = _editable(request, pk)
    initial = {
        "kind": manual.kind,
        "title": manual.title,
        "visibility": manual.visibility,
        "front_matter": manual.front_matter,
        "outcomes": manual.outcomes,
        "version": manual.version,
    }
    form = ManualForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_manual(
                request.user,  # type: ignore[arg-type]
                manual,
                form.manual_data(),
                form.cleaned_data["version"] or 0,
            )
        except actions.StaleDraft as stale:
            messages.error(request, str(stale))
            return _stale_form(request, "cycle/manuals/form.html", form, stale.manual, {"manual": stale.manual})
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("cycle:manual_draft", pk=manual.pk)
    return render(
        request, "cycle/manuals/form.html", {"form": form, "manual": manual}, status=400 if form.errors else 200
    )


def _stale_form(
    request: HttpRequest, template: str, form: Form, manual: Manual, context: dict[str, Any]
) -> HttpResponse:
    """The form again with everything the editor typed, now based on the draft's current version: a second
    save after a look at the draft goes through."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(manual.version)
    form.data = data
    return render(request, template, {**context, "form": form, "stale": True}, status=409)


def _section_form(request: HttpRequest, manual: Manual, section: Section | None) -> SectionForm:
    chapters = [
        (s.pk, s.title)
        for s in manual.sections.filter(parent__isnull=True).order_by("position", "pk")
        if section is None or s.pk != section.pk
    ]
    chosen = list(section.section_items.values_list("item_id", flat=True)) if section else []
    topic_ids = manual.panel.topic.descendant_ids()
    standards = list(
        actions.usable_items(request.user, manual)
        .annotate(near=Case(When(topics__in=topic_ids, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("near", "title", "pk")
        .distinct()
    )
    seen: set[int] = set()
    standards = [item for item in standards if not (item.pk in seen or seen.add(item.pk))]  # type: ignore[func-returns-value]
    standard_ids = {item.pk for item in standards}
    initial: dict[str, Any] = {"version": manual.version}
    if section is not None:
        initial.update(
            title=section.title,
            parent=section.parent_id,
            body=section.body,
            duration_minutes=section.duration_minutes,
            items=[pk for pk in chosen if pk in standard_ids],
            other_items=", ".join(str(pk) for pk in chosen if pk not in standard_ids),
        )
    else:
        parent = request.GET.get("parent", "")
        initial["parent"] = int(parent) if parent.isdigit() else None
    return SectionForm(request.POST or None, initial=initial, chapters=chapters, standards=standards)


def _section_editor(request: HttpRequest, manual: Manual, section: Section | None) -> HttpResponse:
    form = _section_form(request, manual, section)
    context = {"form": form, "manual": manual, "section": section}
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_section(
                request.user,  # type: ignore[arg-type]
                manual,
                section,
                form.section_data(),
                form.cleaned_data["version"],
            )
        except actions.StaleDraft as stale:
            messages.error(request, str(stale))
            return _stale_form(request, "cycle/manuals/section_form.html", form, stale.manual, context)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
            return redirect(f"{manual_draft_url(manual)}#section-{saved.pk}")
    return render(request, "cycle/manuals/section_form.html", context, status=400 if form.errors else 200)


def manual_draft_url(manual: Manual) -> str:
    from django.urls import reverse

    return reverse("cycle:manual_draft", args=[manual.pk])


@login_required
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _section_editor(request, _editable(request, pk), None)


@login_required
def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    manual = _editable(request, pk)
    return _section_editor(request, manual, get_object_or_404(manual.sections, pk=section_pk))


@login_required
@require_POST
def section_delete(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    manual = _editable(request, pk)
    section = get_object_or_404(manual.sections, pk=section_pk)
    try:
        actions.do_delete_section(
            request.user,  # type: ignore[arg-type]
            manual,
            section,
            _int(request.POST.get("version")),
        )
    except actions.StaleDraft as stale:
        messages.error(request, str(stale))
    else:
        messages.success(request, _("“%(title)s” was removed from the draft.") % {"title": section.title})
    return redirect("cycle:manual_draft", pk=manual.pk)


def _int(value: str | None) -> int:
    return int(value) if value and value.strip().lstrip("-").isdigit() and len(value) < 10 else 0


@login_required
@require_POST
def section_order(request: HttpRequest, pk: int) -> HttpResponse:
    """The order of the draft: each section's `position-<id>` (typed, or set by dragging) and, when it was
    dragged into another chapter, `parent-<id>`."""
    manual = _editable(request, pk)
    placements = []
    for key in request.POST:
        value = request.POST.get(key, "")
        if not key.startswith("position-") or not key[9:].isdigit():
            continue
        section_id = int(key[9:])
        parent = request.POST.get(f"parent-{section_id}", "")
        placements.append(actions.Placement(section_id, int(parent) if parent.isdigit() else None, _int(value)))
    try:
        actions.do_reorder_sections(
            request.user,  # type: ignore[arg-type]
            manual,
            placements,
            _int(request.POST.get("version")),
        )
    except actions.StaleDraft:
        messages.error(
            request,
            _(
                "Someone else changed this draft in the meantime, so the new order was not saved. Here is the draft as it is now; order it again."
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The new order was saved."))
    return redirect("cycle:manual_draft", pk=manual.pk)


@login_required
def release_create(request: HttpRequest, pk: int) -> HttpResponse:
    manual = _editable(request, pk)
    members = [(m.user_id, m.user.display_name) for m in manual.panel.members.select_related("user").order_by("pk")]
    last = manual.releases.order_by("-number").first()
    form = ReleaseForm(
        request.POST or None,
        members=members,
        initial={
            "version": manual.version,
            "version_label": f"{(last.number if last else 0) + 1}.0",
            "approvers": [request.user.pk] if request.user.pk in manual.panel.member_ids() else [],
        },
    )
    context = _draft_context(request, manual)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            release = actions.do_release(
                request.user,  # type: ignore[arg-type]
                manual,
                form.cleaned_data["version_label"],
                form.cleaned_data["approvers"],
                form.cleaned_data["notes"],
                base_version=form.cleaned_data["version"],
            )
        except actions.StaleDraft as stale:
            messages.error(
                request,
                _("The draft changed since you opened this page; look at it again before releasing it."),
            )
            context = _draft_context(request, stale.manual)
            return _stale_form(request, "cycle/manuals/release_form.html", form, stale.manual, context)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Release %(number)d (version %(label)s) is out; its PDF and EPUB are being built.")
                % {"number": release.number, "label": release.version_label},
            )
            return redirect(release)
    return render(request, "cycle/manuals/release_form.html", context, status=400 if form.errors else 200)


def release_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    manual = _manual(request, pk)
    release = _release(request, manual, number)
    readable = manual_files.readable_by(request.user, release.content)
    previous = manual.releases.filter(number__lt=number).order_by("-number").first()
    changes = changes_between(previous.content, release.content, readable) if previous else None
    reading, reading_html = manual_files.reading_html(release, readable)
    return render(
        request,
        "cycle/manuals/release.html",
        {
            "manual": manual,
            "release": release,
            "reading": reading,
            "reading_html": reading_html,
            "previous": previous,
            "changes": changes,
            "can_edit": actions.can_edit(request.user, manual),
            "BuildStatus": BuildStatus,
            "links": True,
        },
    )


def release_changes(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    manual = _manual(request, pk)
    release = _release(request, manual, number)
    previous = manual.releases.filter(number__lt=number).order_by("-number").first()
    if previous is None:
        messages.info(request, _("This is the first release; there is nothing before it to compare with."))
        return redirect(release)
    readable = manual_files.readable_by(request.user, release.content) & manual_files.readable_by(
        request.user, previous.content
    )
    return render(
        request,
        "cycle/manuals/changes.html",
        {
            "manual": manual,
            "release": release,
            "previous": previous,
            "changes": changes_between(previous.content, release.content, readable, detailed=True),
        },
    )


def _download(request: HttpRequest, pk: int, number: int, kind: str) -> FileResponse:
    manual = _manual(request, pk)
    release = _release(request, manual, number)
    file = release.pdf if kind == "pdf" else release.epub
    if getattr(release, f"{kind}_status") != BuildStatus.DONE or not file.name:
        raise Http404
    try:
        stream = file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    content_type = "application/pdf" if kind == "pdf" else "application/epub+zip"
    filename = f"{release.content['title']} {release.version_label}.{kind}"
    response = FileResponse(stream, as_attachment=kind == "epub", filename=filename, content_type=content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def release_pdf(request: HttpRequest, pk: int, number: int) -> FileResponse:
    return _download(request, pk, number, "pdf")


def release_epub(request: HttpRequest, pk: int, number: int) -> FileResponse:
    return _download(request, pk, number, "epub")


def release_status(request: HttpRequest, pk: int, number: int) -> JsonResponse:
    """How the release's builds stand, for the page to show the downloads once they are ready."""
    manual = _manual(request, pk)
    release = get_object_or_404(manual.releases.only("pk", "manual_id", "pdf_status", "epub_status"), number=number)
    return JsonResponse({"pdf": release.pdf_status, "epub": release.epub_status})


@login_required
@require_POST
def release_retry(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    manual = _editable(request, pk)
    release = _release(request, manual, number)
    actions.do_retry_build(request.user, release)  # type: ignore[arg-type]
    messages.info(request, _("The files are being built again."))
    return redirect(release)
