"""Pages of the knowledge repository. Every read of items goes through KnowledgeItem.objects.visible_to."""

import secrets
import time
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.accounts.models import User
from platoo.lib.dates import format_date
from platoo.lib.markdown import render_markdown
from platoo.network.models import Organization

from .actions import (
    EditConflict,
    do_add_attachment,
    do_add_comment,
    do_create_item,
    do_delete_item,
    do_remove_attachment,
    do_restore_revision,
    do_update_item,
    record_view,
    snapshot,
)
from .diff import COMPARED_KEYS, Describer
from .extensions import attach_badges, sections_of
from .filters import ItemFilter
from .forms import (
    TAG_SEPARATORS,
    CommentForm,
    ItemForm,
    TopicNode,
    indented,
    set_form_value,
    snapshot_initial,
    topic_tree,
)
from .models import (
    KIND_FIELDS,
    Attachment,
    Comment,
    Kind,
    KnowledgeItem,
    RelationKind,
    Revision,
    TextStatus,
    Topic,
    field_label,
)
from .provenance import Capture, links_of, open_capture
from .similar import Draft, Findings, Match, examine

PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 50
SORTS = {"newest": ("-created_at", "-pk"), "views": ("-view_count", "-created_at", "-pk")}


def _visible(request: HttpRequest) -> QuerySet[KnowledgeItem]:
    return KnowledgeItem.objects.visible_to(request.user)


def _listed(queryset: QuerySet[KnowledgeItem]) -> QuerySet[KnowledgeItem]:
    """What an item card shows, fetched in two queries however many cards."""
    return queryset.select_related("organization").prefetch_related("authors")


def _get_item(request: HttpRequest, pk: int) -> KnowledgeItem:
    """The item if this user may read it; otherwise 404, so its existence is not revealed."""
    return get_object_or_404(_visible(request).prefetch_related("authors"), pk=pk)


def _get_editable(request: HttpRequest, pk: int) -> KnowledgeItem:
    item = _get_item(request, pk)
    if not item.can_edit(request.user):
        raise PermissionDenied
    return item


def _topics_with_counts(visible: QuerySet[KnowledgeItem]) -> list[TopicNode]:
    """The taxonomy with, on each topic, how many visible items it or its sub-topics hold (one query)."""
    nodes = topic_tree(Topic.objects.all())
    if not nodes:
        return nodes
    counts = visible.aggregate(
        **{f"t{node.topic.pk}": Count("pk", distinct=True, filter=Q(topics__in=node.subtree_ids())) for node in nodes}
    )
    for node in nodes:
        node.count = counts[f"t{node.topic.pk}"]
    return nodes


def home(request: HttpRequest) -> HttpResponse:
    visible = _visible(request)
    recent = list(_listed(visible.order_by("-created_at", "-pk"))[:8])
    most_read = list(_listed(visible.filter(view_count__gt=0).order_by(*SORTS["views"]))[:5])
    attach_badges([*recent, *most_read])  # one query for both lists
    context = {
        "recent": recent,
        "most_read": most_read,
        "topics": _topics_with_counts(visible),
        "kinds": Kind.choices,
    }
    return render(request, "knowledge/home.html", context)


def item_list(request: HttpRequest) -> HttpResponse:
    filters = ItemFilter.from_params(request.GET)
    year_text = (request.GET.get("year") or "").strip()
    if year_text and filters.year is None:
        messages.warning(
            request,
            _("“%(year)s” is not a year we understand; type four digits, e.g. 2569 (พ.ศ.) or 2026 (ค.ศ.).")
            % {"year": year_text[:20]},
        )
    topic_nodes = topic_tree(Topic.objects.all())
    topic = next((node.topic for node in topic_nodes if filters.topic and node.topic.slug == filters.topic), None)
    if filters.topic and topic is None:
        messages.warning(
            request, _("There is no topic “%(topic)s”; showing nothing for it.") % {"topic": filters.topic}
        )
    sort = request.GET.get("sort", "newest")
    sort = sort if sort in SORTS else "newest"
    items = _listed(filters.apply(_visible(request)).order_by(*SORTS[sort]))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_badges(page.object_list)
    context = {
        "page": page,
        "filters": filters,
        "sort": sort,
        "kinds": Kind.choices,
        "topic_options": [(node.topic.slug, indented(node)) for node in topic_nodes],
        "topic": topic,  # the filtered topic, which can be followed
        "organizations": Organization.objects.members().only("code", "name_th", "name_en"),
    }
    return render(request, "knowledge/list.html", context)


def _detail_context(request: HttpRequest, item: KnowledgeItem, comment_form: CommentForm | None) -> dict[str, Any]:
    return {
        "item": item,
        "kind_fields": [(label, text) for label, text in item.kind_fields() if text],
        "can_edit": item.can_edit(request.user),
        "can_delete": item.can_delete(request.user),
        "comment_form": comment_form or CommentForm(),
        "TextStatus": TextStatus,
        "links": links_of(request.user, item),
        "badges": attach_badges([item])[0].badges,  # type: ignore[attr-defined]
        "sections": sections_of(request, item),
    }


def _get_for_detail(request: HttpRequest, pk: int) -> KnowledgeItem:
    queryset = (
        _visible(request)
        .select_related("organization")
        .prefetch_related(
            "authors",
            "topics",
            "tags",
            "attachments",
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_for_detail(request, pk)
    record_view(item, request.user)
    return render(request, "knowledge/detail.html", _detail_context(request, item, None))


@login_required
@require_POST
def add_comment(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_for_detail(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            do_add_comment(request.user, item, form.cleaned_data["body"])  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error("body", exc.messages)
        else:
            messages.success(request, _("Your comment was posted."))
            return redirect(item.get_absolute_url() + "#comments")
    return render(request, "knowledge/detail.html", _detail_context(request, item, form), status=400)


def _add_attachments(request: HttpRequest, item: KnowledgeItem, files: list[Any]) -> None:
    """Attach uploads (already checked by the form) and tell the user about any unreadable text."""
    for upload in files:
        try:
            attachment = do_add_attachment(request.user, item, upload)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            continue
        if attachment.text_status == TextStatus.FAILED:
            messages.warning(
                request,
                _(
                    "“%(name)s” was attached, but its text could not be read (the file may be damaged or "
                    "password-protected), so search will not find words inside it."
                )
                % {"name": attachment.original_name},
            )
        elif attachment.text_status == TextStatus.PENDING:
            messages.info(
                request,
                _("“%(name)s” was attached; its text is being read for search in the background.")
                % {"name": attachment.original_name},
            )


def _apply_merge_choices(request: HttpRequest, item: KnowledgeItem) -> QueryDict:
    """The submitted merge: the editor's values, with 'take theirs' fields replaced by the saved version's."""
    data = request.POST.copy()
    try:
        number = int(data.get("version", ""))
    except ValueError:
        return data
    theirs = item.revisions.filter(number=number).first()
    if theirs is not None:
        for key in COMPARED_KEYS:
            if data.get(f"choose_{key}") == "theirs":
                set_form_value(data, key, theirs.data)
    return data


def _merge_screen(request: HttpRequest, item: KnowledgeItem, form: ItemForm, conflict: EditConflict) -> HttpResponse:
    theirs = snapshot(item) if conflict.theirs is None else conflict.theirs.data
    mine = form.as_snapshot(request.user)  # type: ignore[arg-type]
    rows = Describer(theirs, mine).changes(theirs, mine)
    # The merge form carries everything the editor typed; its version is now the one it merges with.
    data = cast(QueryDict, form.data).copy()
    data["version"] = str(item.version)
    carried = ItemForm(data, organization_id=item.organization_id)
    return render(
        request,
        "knowledge/merge.html",
        {"item": item, "rows": rows, "form": carried, "theirs": conflict.theirs},
        status=409,
    )


def _capture(request: HttpRequest) -> Capture | None:
    """The source a new item is captured from (?from=meeting:12), if the writer may capture from it."""
    key = request.POST.get("source") if request.method == "POST" else request.GET.get("from")
    if not key:
        return None
    capture = open_capture(request.user, key)
    if capture is None:
        messages.warning(request, _("You cannot capture knowledge from there; this will be a new item of its own."))
    return capture


def _draft(form: ItemForm, exclude: int | None = None) -> Draft:
    data = form.cleaned_data
    return Draft(
        title=data["title"],
        summary=data["summary"],
        body=data["body"],
        extra={name: data.get(name) or "" for name in KIND_FIELDS[data["kind"]]},
        topic_ids=data["topics"],
        tag_names=data["tags"],
        exclude=exclude,
    )


def _sent_before(request: HttpRequest, form: ItemForm) -> bool:
    token = form.cleaned_data["form_token"]
    actor: User = request.user  # type: ignore[assignment]
    return bool(token) and KnowledgeItem.objects.filter(created_by=actor, creation_key=token).exists()


def _duplicate_target(request: HttpRequest, raw: str) -> KnowledgeItem:
    """The existing item a duplicate choice names: one the writer may read, else 404."""
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    return _get_item(request, int(raw))


def _merged_text(request: HttpRequest, draft: Draft, kind: str) -> str:
    """The draft as a clearly marked new section for the end of an existing item's body (Markdown)."""
    user: User = request.user  # type: ignore[assignment]
    heading = _("Added from a new draft by %(name)s, %(date)s") % {
        "name": user.display_name,
        "date": format_date(timezone.now()),
    }
    parts = [f"## {heading}", f"**{draft.title}**"]
    parts += [draft.summary] if draft.summary.strip() else []
    parts += [draft.body] if draft.body.strip() else []
    for name in KIND_FIELDS.get(kind, []):
        if (value := draft.extra.get(name, "")).strip():
            parts += [f"### {field_label(name)}", value]
    return "\n\n".join(part.strip() for part in parts)


def _merge_into(request: HttpRequest, form: ItemForm, target: KnowledgeItem) -> HttpResponse:
    """Open the existing item's editor with the draft appended; or, for those who may not edit it, its
    page with the draft in the comment form. Nothing is saved until they save it themselves."""
    text = _merged_text(request, _draft(form), form.cleaned_data["kind"])
    if form.cleaned_data["attachments"]:
        messages.warning(request, _("Choose the files again: browsers do not keep them after an error."))
    if not target.can_edit(request.user):
        target = _get_for_detail(request, target.pk)
        limit = CommentForm.base_fields["body"].max_length or 5000  # type: ignore[attr-defined]
        if len(text) > limit:
            messages.warning(
                request,
                _("A comment holds %(limit)d characters; your text was cut to fit. Copy the rest before leaving.")
                % {"limit": limit},
            )
        messages.info(
            request,
            _("You cannot edit “%(title)s”; your text is in the comment form below, ready to post.")
            % {"title": target.title},
        )
        comment_form = CommentForm(initial={"body": text[:limit]})
        return render(request, "knowledge/detail.html", _detail_context(request, target, comment_form))
    initial = {**snapshot_initial(snapshot(target)), "version": target.version}
    initial["body"] = f"{target.body.rstrip()}\n\n---\n\n{text}\n" if target.body.strip() else f"{text}\n"
    initial["topics"] = sorted({*initial.get("topics", []), *form.cleaned_data["topics"]})
    tags = [name.strip() for name in initial.get("tags", "").split(",") if name.strip()]
    initial["tags"] = ", ".join(dict.fromkeys([*tags, *form.cleaned_data["tags"]]))
    initial["message"] = _("Merged in a new draft")
    messages.info(
        request,
        _("Your text was added at the end of “%(title)s” as a new section. Check it, then save.")
        % {"title": target.title},
    )
    merged = ItemForm(initial=initial, organization_id=target.organization_id)
    context = {"form": merged, "item": target, "preview": None, "max_upload_mb": settings.MAX_UPLOAD_MB}
    return render(request, "knowledge/form.html", context)


def _editor(request: HttpRequest, item: KnowledgeItem | None) -> HttpResponse:
    preview = None
    duplicates: list[tuple[Match, bool]] = []
    capture = _capture(request) if item is None else None
    if request.method == "POST":
        data = _apply_merge_choices(request, item) if item and "merge" in request.POST else request.POST
        form = ItemForm(data, request.FILES, organization_id=item.organization_id if item else None)
        if form.is_valid() and "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        elif form.is_valid():
            link: tuple[KnowledgeItem, str] | None = None
            if item is None and not _sent_before(request, form):
                # Before a new item is saved: what the repository already holds that may tell the same.
                choice, _sep, rest = request.POST.get("duplicate", "").partition(":")
                target_pk, _sep, kind = rest.partition(":")
                if choice == "merge":
                    return _merge_into(request, form, _duplicate_target(request, target_pk))
                if choice == "link":
                    link = (_duplicate_target(request, target_pk), kind or RelationKind.RELATED)
                elif choice != "new":
                    matches = examine(request.user, _draft(form)).matches
                    duplicates = [(match, match.item.can_edit(request.user)) for match in matches]
                    if duplicates and form.cleaned_data["attachments"]:
                        messages.warning(
                            request, _("Choose the files again: browsers do not keep them after an error.")
                        )
            if not duplicates:
                response = _save(request, item, form, capture, link)
                if response is not None:
                    return response
    elif item is None:
        user: User = request.user  # type: ignore[assignment]
        initial = {
            "kind": request.GET.get("kind") if request.GET.get("kind") in Kind.values else Kind.STORY,
            "visibility": "network",
            "license": "cc-by-4.0",
            "organization": user.organization_id,
            "authors": [user.pk],
            "form_token": secrets.token_urlsafe(24),
        }
        if capture is not None:
            initial.update(capture.initial, source=capture.key)
        form = ItemForm(initial=initial)
    else:
        form = ItemForm(
            initial={**snapshot_initial(snapshot(item)), "version": item.version}, organization_id=item.organization_id
        )
    context = {
        "form": form,
        "item": item,
        "preview": preview,
        "max_upload_mb": settings.MAX_UPLOAD_MB,
        "capture": capture,
        "duplicates": duplicates,
    }
    return render(request, "knowledge/form.html", context, status=400 if form.errors else 200)


def _save(
    request: HttpRequest,
    item: KnowledgeItem | None,
    form: ItemForm,
    capture: Capture | None = None,
    link: tuple[KnowledgeItem, str] | None = None,
) -> HttpResponse | None:
    """Save a valid form; None when the form got errors from the action and must be shown again.

    `link`: an existing item a new one is linked to, and how (a RelationKind), in the same transaction.
    """
    actor: User = request.user  # type: ignore[assignment]
    files = form.cleaned_data["attachments"]
    token = form.cleaned_data["form_token"]
    try:
        if item is None:
            if token and (done := KnowledgeItem.objects.filter(created_by=actor, creation_key=token).first()):
                messages.info(request, _("This form was already sent; here is the item it saved."))
                return redirect(done)
            item = do_create_item(
                actor,
                form.item_data(),
                form.cleaned_data["message"],
                idempotency_key=token,
                capture=capture,
                links=[link] if link else (),
            )
            messages.success(request, _("Saved. Thank you for sharing what you know."))
        else:
            version = form.cleaned_data["version"] or 0
            item = do_update_item(actor, item, form.item_data(), version, form.cleaned_data["message"])
            messages.success(request, _("Your changes were saved."))
    except EditConflict as conflict:
        _add_attachments(request, conflict.item, files)
        messages.error(
            request,
            _(
                "Someone else saved this item while you were editing it. Nothing you typed is lost: "
                "choose, field by field, which version to keep, then save again."
            ),
        )
        return _merge_screen(request, conflict.item, form, conflict)
    except ValidationError as exc:
        for name, errors in exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
            form.add_error(name if name in form.fields else None, errors)
        return None
    _add_attachments(request, item, files)
    return redirect(item)


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, _get_editable(request, pk))


SIMILAR_RATE = 40  # look-ups per person per minute: the editor asks at most every second or so while typing


def _over_rate(user: Any) -> bool:
    key = f"knowledge-similar:{user.pk}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=90):
        return False
    try:
        return cache.incr(key) > SIMILAR_RATE
    except ValueError:  # expired between the two calls
        return False


def findings_json(findings: Findings) -> dict[str, Any]:
    """The finder's answer as the editor's script reads it (every text is set with textContent)."""
    return {
        "message": findings.message,
        "duplicates": [
            {
                "id": match.item.pk,
                "title": match.item.title,
                "url": match.item.get_absolute_url(),
                "score": match.score,
                "label": match.label,
                "label_display": match.label_display,
            }
            for match in findings.matches
        ],
        "topics": [{"id": s.topic.pk, "name": s.name, "why": s.why} for s in findings.topics if s.topic is not None],
        "tags": [{"name": s.name, "why": s.why} for s in findings.tags],
    }


@login_required
@require_POST
def similar(request: HttpRequest) -> HttpResponse:
    """Possible duplicates of the draft being typed, and topics and tags to suggest (JSON)."""
    if _over_rate(request.user):
        return JsonResponse({"detail": _("Too many look-ups; wait a moment.")}, status=429)
    post = request.POST
    data: dict[str, Any] = {name: post.get(name, "") for name in ("kind", "title", "summary", "body")}
    data |= {name: post.get(name, "") for names in KIND_FIELDS.values() for name in names}
    data["topics"] = post.getlist("topics")
    data["tags"] = [t for t in TAG_SEPARATORS.split(post.get("tags", "")) if t.strip()]
    raw = post.get("item", "")
    draft = Draft.from_data(data, exclude=int(raw) if raw.isdigit() and len(raw) < 19 else None)
    return JsonResponse(findings_json(examine(request.user, draft)))


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_markdown(request.POST.get("body", "")), content_type="text/html; charset=utf-8")


def history(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    revisions = item.revisions.select_related("author").only(
        "number", "created_at", "message", "author__username", "author__name_th", "author__name_en"
    )
    page = Paginator(revisions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "knowledge/history.html", {"item": item, "page": page, "can_edit": item.can_edit(request.user)}
    )


def _revision_number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    a, b = _revision_number(request.GET.get("a")), _revision_number(request.GET.get("b"))
    if b is None:
        b = item.version
    if a is None:
        a = max(b - 1, 1)
    a, b = min(a, b), max(a, b)
    revisions = {r.number: r for r in item.revisions.filter(number__in=[a, b]).select_related("author")}
    if a not in revisions or b not in revisions:
        messages.warning(request, _("Those revisions do not exist; pick two from the list."))
        return redirect("knowledge:history", pk=item.pk)
    old, new = revisions[a], revisions[b]
    rows = Describer(old.data, new.data).changes(old.data, new.data)
    return render(request, "knowledge/compare.html", {"item": item, "old": old, "new": new, "rows": rows})


@login_required
@require_POST
def restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    item = _get_editable(request, pk)
    revision: Revision = get_object_or_404(item.revisions, number=number)
    try:
        do_restore_revision(request.user, item, revision)  # type: ignore[arg-type]
    except EditConflict:
        messages.error(request, _("Someone saved the item a moment ago; look at the history and try again."))
        return redirect("knowledge:history", pk=item.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("knowledge:history", pk=item.pk)
    messages.success(request, _("Revision %(number)d was restored as a new revision.") % {"number": number})
    return redirect(item)


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    if not item.can_delete(request.user):
        raise PermissionDenied
    if request.method == "POST":
        title = item.title
        try:
            do_delete_item(request.user, item)  # type: ignore[arg-type]
        except ValidationError as exc:
            return render(request, "knowledge/confirm_delete.html", {"item": item, "refused": exc.messages}, status=409)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": title})
        return redirect("knowledge:list")
    return render(request, "knowledge/confirm_delete.html", {"item": item})


def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    item = _get_item(request, pk)
    file: Attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    try:
        stream = file.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    return FileResponse(
        stream, as_attachment=not file.is_image, filename=file.original_name, content_type=file.content_type
    )


@login_required
@require_POST
def remove_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    item = _get_editable(request, pk)
    file: Attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    do_remove_attachment(request.user, file)  # type: ignore[arg-type]
    messages.success(request, _("“%(name)s” was removed.") % {"name": file.original_name})
    return redirect(item)
