"""Pages for notifications, the activity feed, following, and email preferences.

A person only ever sees their own notifications (actions.notifications_for); the feed shows only
what its reader's audiences cover (actions.feed_queryset). The unsubscribe page works without
signing in: its signed link names the person.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from platoo.accounts.models import User

from . import actions, registry
from .delivery import person_from_token
from .forms import FollowForm, PreferenceForm
from .models import Follow

NOTIFICATIONS_PER_PAGE = 30
FEED_PER_PAGE = 30


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _safe_next(request: HttpRequest, candidate: str, fallback: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else fallback


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = actions.notifications_for(request.user).select_related("actor").order_by("-created_at", "-pk")
    page = Paginator(rows, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    unread = sum(1 for n in page if n.read_at is None)
    return render(request, "activity/notifications.html", {"page": page, "unread_on_page": unread})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go where it points (only ever within this site)."""
    notification = get_object_or_404(actions.notifications_for(request.user), pk=pk)
    actions.do_mark_read(_user(request), notification)
    return redirect(_safe_next(request, notification.url, "activity:notifications"))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = actions.do_mark_all_read(_user(request))
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("activity:notifications")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference = actions.preferences_for(_user(request))
    initial = {"email_mode": preference.email_mode, "language": preference.language}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_preferences(
                _user(request), email_mode=form.cleaned_data["email_mode"], language=form.cleaned_data["language"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for text in errors:
                    form.add_error(field if field in form.fields else None, text)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("activity:settings")
    return render(request, "activity/settings.html", {"form": form})


@csrf_exempt  # mail clients post the one-click form (RFC 8058) without a CSRF token; the signed link is the check
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST switches email off."""
    person = person_from_token(token)
    if person is None:
        context = {"status": 400, "invalid": True}
        return render(request, "activity/unsubscribe.html", context, status=400)
    if request.method == "POST":
        actions.do_unsubscribe(token)
        return render(request, "activity/unsubscribe.html", {"person": person, "done": True})
    return render(request, "activity/unsubscribe.html", {"person": person, "token": token})


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    page = Paginator(actions.feed_queryset(request.user), FEED_PER_PAGE).get_page(request.GET.get("page"))
    following = Follow.objects.filter(user=_user(request)).exists() if not page.object_list else True
    return render(request, "activity/feed.html", {"page": page, "following_anything": following})


@login_required
def following(request: HttpRequest) -> HttpResponse:
    follows = list(Follow.objects.filter(user=_user(request)).order_by("-created_at", "-pk"))
    resolved = registry.resolve(request.user, [f.key for f in follows])
    rows = [(f, resolved.get(f.key)) for f in follows]
    return render(request, "activity/following.html", {"rows": rows})


def _follow_form(request: HttpRequest) -> tuple[str, str]:
    form = FollowForm(request.POST)
    if not form.is_valid():
        return "", ""
    return form.cleaned_data["key"].strip(), form.cleaned_data["next"]


def _nothing_to_follow(request: HttpRequest, text: str) -> HttpResponse:
    advice = _("It may have been removed, or it is not shared with you.")
    return render(request, "error.html", {"status": 404, "title": text, "advice": advice}, status=404)


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    key, next_url = _follow_form(request)
    try:
        _follow, created = actions.do_follow(_user(request), key)
    except ValidationError as error:
        if error.code == "self":
            messages.error(request, error.messages[0])
            return redirect(_safe_next(request, next_url, "activity:following"))
        return _nothing_to_follow(request, error.messages[0])
    followed = registry.resolve(request.user, [key])[key]
    if created:
        messages.success(request, _("You now follow %(name)s.") % {"name": followed.title})
    return redirect(_safe_next(request, next_url, followed.url))


@login_required
@require_POST
def unfollow(request: HttpRequest) -> HttpResponse:
    key, next_url = _follow_form(request)
    actions.do_unfollow(_user(request), key)
    followed = registry.resolve(request.user, [key]).get(key)
    if followed is not None:
        messages.success(request, _("You no longer follow %(name)s.") % {"name": followed.title})
    else:
        messages.success(request, _("Unfollowed."))
    return redirect(_safe_next(request, next_url, "activity:following"))
