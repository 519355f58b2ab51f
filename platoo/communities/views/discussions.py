"""Discussion pages: threads, replies, mentions, accepted answers and replies made into knowledge."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.lib.markdown import render_with_mentions

from .. import actions
from ..forms import ReplyForm, ThreadForm
from ..models import Reply, Thread
from .base import add_errors, attempt, fail, get_community, get_readable_community, get_thread, user_of

THREADS_PAGE_SIZE = 30
REPLIES_PAGE_SIZE = 100


@login_required
def thread_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_readable_community(request, slug)
    threads = Thread.objects.filter(community=community).select_related("author").order_by("-last_activity_at", "-pk")
    if request.GET.get("filter") == "questions":
        threads = threads.filter(is_question=True)
    elif request.GET.get("filter") == "unanswered":
        threads = threads.filter(is_question=True, accepted_reply__isnull=True)
    page = Paginator(threads, THREADS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "page": page,
        "chosen": request.GET.get("filter", ""),
        "can_post": actions.can_post(community, user_of(request)),
    }
    return render(request, "communities/thread_list.html", context)


@login_required
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community(request, slug)
    if not actions.can_post(community, user_of(request)):
        raise PermissionDenied(_("Join the community to take part in its discussions."))
    form = ThreadForm(request.POST or None, initial={"form_token": secrets.token_urlsafe(24)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            thread = actions.do_start_thread(
                user_of(request), community, d["title"], d["body"], d["is_question"], d["form_token"]
            )
            return redirect(thread)
        except ValidationError as error:
            add_errors(form, error)
    context = {"community": community, "form": form, "thread": None}
    return render(request, "communities/thread_form.html", context, status=400 if form.errors else 200)


@login_required
def thread_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    thread = get_thread(request, slug, pk)
    initial = {"title": thread.title, "body": thread.body, "is_question": thread.is_question}
    form = ThreadForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_edit_thread(user_of(request), thread, d["title"], d["body"], d["is_question"])
            messages.success(request, _("Saved."))
            return redirect(thread)
        except ValidationError as error:
            add_errors(form, error)
    context = {"community": thread.community, "form": form, "thread": thread}
    return render(request, "communities/thread_form.html", context, status=400 if form.errors else 200)


def _profile_urls(*posts: Thread | Reply) -> dict[str, str]:
    return {person.username: person.get_absolute_url() for post in posts for person in post.mentioned.all()}


@login_required
def thread_detail(request: HttpRequest, slug: str, pk: int, form: ReplyForm | None = None) -> HttpResponse:
    thread = get_object_or_404(
        Thread.objects.visible_to(request.user)
        .select_related("community", "author__organization")
        .prefetch_related("mentioned"),
        community__slug=slug,
        pk=pk,
    )
    replies = (
        Reply.objects.filter(thread=thread)
        .select_related("author__organization", "knowledge_item")
        .prefetch_related("mentioned")
        .order_by("created_at", "pk")
    )
    page = Paginator(replies, REPLIES_PAGE_SIZE).get_page(request.GET.get("page"))
    user = user_of(request)
    community = thread.community
    mine = actions.membership_of(community, user)
    facilitating = user.is_authenticated and actions.can_facilitate(community, user, mine)
    admin = user.is_authenticated and actions.is_admin(community, user, mine)
    thread.rendered = render_with_mentions(thread.body, _profile_urls(thread))
    posts = list(page.object_list)
    for reply in posts:
        reply.rendered = render_with_mentions(reply.body, _profile_urls(reply))  # type: ignore[attr-defined]
        reply.can_edit = user.pk == reply.author_id or admin  # type: ignore[attr-defined]
        reply.can_make_knowledge = user.is_authenticated and (  # type: ignore[attr-defined]
            facilitating or user.pk in (reply.author_id, thread.author_id)
        )
    accepted = next((r for r in posts if r.pk == thread.accepted_reply_id), None)
    context = {
        "community": community,
        "thread": thread,
        "page": page,
        "replies": posts,
        "accepted": accepted,
        "can_post": actions.can_post(community, user, mine),
        "can_edit_thread": user.is_authenticated and (user.pk == thread.author_id or admin),
        "can_accept": thread.is_question and user.is_authenticated and (user.pk == thread.author_id or admin),
        "form": form or ReplyForm(initial={"form_token": secrets.token_urlsafe(24)}),
    }
    return render(request, "communities/thread_detail.html", context, status=400 if form else 200)


@login_required
@require_POST
def reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    thread = get_thread(request, slug, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            posted = actions.do_reply(
                user_of(request), thread, form.cleaned_data["body"], form.cleaned_data["form_token"]
            )
            return redirect(posted.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as error:
            fail(request, error)
            return redirect(thread)
    return thread_detail(request, slug, pk, form)


def _reply(request: HttpRequest, slug: str, pk: int, reply_pk: int) -> Reply:
    thread = get_thread(request, slug, pk)
    return get_object_or_404(Reply.objects.select_related("thread__community", "author"), thread=thread, pk=reply_pk)


@login_required
def reply_edit(request: HttpRequest, slug: str, pk: int, reply_pk: int) -> HttpResponse:
    post = _reply(request, slug, pk, reply_pk)
    form = ReplyForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_reply(user_of(request), post, form.cleaned_data["body"])
            messages.success(request, _("Saved."))
            return redirect(post.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as error:
            fail(request, error)
            return redirect(post.get_absolute_url())
    context = {"community": post.thread.community, "thread": post.thread, "reply": post, "form": form}
    return render(request, "communities/reply_form.html", context)


@login_required
@require_POST
def reply_delete(request: HttpRequest, slug: str, pk: int, reply_pk: int) -> HttpResponse:
    post = _reply(request, slug, pk, reply_pk)
    attempt(request, lambda: actions.do_delete_reply(user_of(request), post), _("The reply was deleted."))
    return redirect(post.thread)


@login_required
@require_POST
def accept(request: HttpRequest, slug: str, pk: int, reply_pk: int) -> HttpResponse:
    post = _reply(request, slug, pk, reply_pk)
    undo = request.POST.get("undo") == "1"
    done = _("The accepted answer is no longer marked.") if undo else _("Answer accepted.")
    attempt(request, lambda: actions.do_accept_answer(user_of(request), post.thread, None if undo else post), done)
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def make_knowledge(request: HttpRequest, slug: str, pk: int, reply_pk: int) -> HttpResponse:
    post = _reply(request, slug, pk, reply_pk)
    try:
        item, created = actions.do_make_knowledge(user_of(request), post)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
        return redirect(post.get_absolute_url())
    if not created:
        messages.info(request, _("This reply is already a knowledge item."))
    elif item.visibility == "private":
        messages.success(
            request,
            _(
                "Saved as a knowledge item, as a private draft because the community is not public: "
                "edit it to choose who may read it, and add topics."
            ),
        )
    else:
        messages.success(request, _("Saved as a knowledge item for the network. Edit it to add a summary and topics."))
    return redirect(item)
