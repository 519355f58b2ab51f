from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from platoo.knowledge.models import KnowledgeItem
from platoo.lib.provinces import PROVINCE_CHOICES, REGION_CHOICES, region_of
from platoo.network.models import Organization

from .actions import do_issue_token, do_revoke_token, do_sign_up, do_update_profile, find_open_invitation
from .evidence import TopicCount, by_topic, evidence_for, shown_topics, topic_choices
from .filters import MAX_MATCHES, PeopleFilter
from .forms import ProfileForm, SignupForm, TokenForm
from .models import ApiToken, Expertise, KMRole, User
from .roles import RoleHeld, roles_of

PEOPLE_PER_PAGE = 24
SHOWN_TOPICS = 5  # topics a directory card shows
EVIDENCE_PER_TOPIC = 10  # pieces of evidence the profile lists under each topic (the API lists them all)
ITEMS_PER_PAGE = 20
NEW_TOKEN_SESSION_KEY = "accounts:new_api_token"  # noqa: S105 - a session key, not a secret


def _signup_refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "accounts/signup_refused.html", {"reason": reason}, status=403)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    token = request.GET.get("invite", "").strip()
    invitation = find_open_invitation(token) if token else None
    if token and invitation is None:
        return _signup_refused(
            request, _("This invitation link is not valid or has already been used. Ask for a new invitation.")
        )
    if settings.SIGNUP_MODE == "invite" and invitation is None:
        return _signup_refused(
            request,
            _("Joining is by invitation. Ask your organization's KM coordinator or the network's staff to invite you."),
        )
    form = SignupForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = do_sign_up(form.signup_data(), invitation)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user)
            messages.success(
                request, _("Welcome to %(site)s! Tell the network about yourself.") % {"site": settings.SITE_NAME}
            )
            return redirect("accounts:profile_edit")
    return render(request, "accounts/signup.html", {"form": form, "invitation": invitation})


@login_required
def profile(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(
        User.objects.select_related("organization").prefetch_related("expertise"), username=username, is_active=True
    )
    items = (
        KnowledgeItem.objects.visible_to(request.user)
        .filter(authors=person)
        .select_related("organization")
        .order_by("-created_at")
    )
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    evidence = evidence_for([person.pk], request.user)[person.pk]
    context = {
        "person": person,
        "page": page,
        "roles": roles_of([person.pk], request.user)[person.pk],
        "evidence_count": len(evidence),
        "evidence_groups": [
            (topic, pieces[:EVIDENCE_PER_TOPIC], len(pieces), max(0, len(pieces) - EVIDENCE_PER_TOPIC))
            for topic, pieces in by_topic(evidence)
        ],
    }
    return render(request, "accounts/profile.html", context)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=user,
        can_change_organization=user.is_staff,
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_update_profile(user, user, form.profile_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(user.get_absolute_url())
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = do_issue_token(user, form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Shown once on the next page, then forgotten: a reload cannot issue a second token.
            request.session[NEW_TOKEN_SESSION_KEY] = {"name": token.name, "raw": raw}
            return redirect("accounts:tokens")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    context = {"form": form, "tokens": user.api_tokens.order_by("-created_at"), "new_token": new_token}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    do_revoke_token(user, token)
    messages.success(
        request, _("The token “%(name)s” is revoked; scripts using it will stop working.") % {"name": token.name}
    )
    return redirect("accounts:tokens")


@dataclass(frozen=True)
class PersonCard:
    """One person as the directory lists them."""

    person: User
    roles: list[RoleHeld]
    shown: list[TopicCount]  # the topics their work shows, the most evidenced first


def directory_people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("organization").prefetch_related("expertise")


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    filters = PeopleFilter.from_params(request.GET)
    found = filters.apply(request.user, directory_people())  # type: ignore[arg-type]
    page = Paginator(found.people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    people = list(page.object_list)
    ids = [person.pk for person in people]
    # The page's evidence and roles in a few queries, whatever its size.
    evidence = evidence_for(ids, request.user)
    roles = roles_of(ids, request.user)
    cards = [PersonCard(p, roles[p.pk], shown_topics(evidence[p.pk])[:SHOWN_TOPICS]) for p in people]

    organizations = list(Organization.objects.members().only("code", "name_th", "name_en", "province"))
    used_provinces = {o.province for o in organizations if o.province}
    used_regions = {region_of(province) for province in used_provinces}
    context = {
        "filters": filters,
        "found": found,
        "page": page,
        "cards": cards,
        "organizations": organizations,
        "provinces": [(value, label) for value, label in PROVINCE_CHOICES if value in used_provinces],
        "regions": [(value, label) for value, label in REGION_CHOICES if value in used_regions],
        "roles": KMRole.choices,
        "topics": topic_choices(),
        "expertise_names": Expertise.objects.filter(people__is_active=True).distinct().values_list("name", flat=True),
        "max_matches": MAX_MATCHES,
    }
    return render(request, "accounts/people_list.html", context)
