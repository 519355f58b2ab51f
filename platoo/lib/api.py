"""What every API v1 endpoint shares: who is asking, paging, and error bodies that name the field.

Errors always have a "detail"; a 422 also lists {"field", "message"} pairs, whether the problem was
found by the request schema (pydantic) or by an action (Django's ValidationError).
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import pydantic
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import AfterValidator

from platoo.accounts.models import ApiToken, User

MAX_PAGE_SIZE = 100
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Every date leaves the API as ISO 8601 in UTC ("2026-11-23T10:00:00Z"), whatever time zone is active.
UtcDateTime = Annotated[datetime, AfterValidator(lambda value: value.astimezone(UTC))]


class InvalidToken(AuthenticationError):
    """A bearer token was sent but matches no live token: refused, never read as anonymous."""


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token (accounts.ApiToken)."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token.strip())).first()
        if found is None or not found.user.is_active:
            raise InvalidToken(message=_("This API token is not valid: it may be mistyped or revoked."))
        now = timezone.now()
        # At most one write a minute per token, so busy scripts don't turn every read into a write.
        if found.last_used_at is None or now - found.last_used_at >= TOKEN_TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's Django session, so the interactive docs work for people who are signed in.

    Unsafe methods need the CSRF token. It is checked here, for signed-in sessions only, so that an
    anonymous write is told to authenticate (401) rather than about CSRF.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "CSRF check failed: send the X-CSRFToken header with the value of the csrftoken cookie, "
                    "or use an API token instead of the browser session."
                ),
            )
        return user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """Last in line on read endpoints: no credentials means the public view."""
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth()
SIGNED_IN: list[Any] = [token_auth, session_auth]
ANYONE: list[Any] = [token_auth, session_auth, anonymous]
# Shown on operations anonymous readers may call: OpenAPI's "no credentials" alternative.
ANONYMOUS_ALLOWED: dict[str, Any] = {"security": [{}]}


def requester(request: HttpRequest) -> User | AnonymousUser:
    """The person behind the request, as the auth chain decided it."""
    auth = request.auth  # type: ignore[attr-defined]
    assert isinstance(auth, User | AnonymousUser)
    return auth


def signed_in(request: HttpRequest) -> User:
    user = requester(request)
    assert isinstance(user, User)
    return user


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    field: str | None = Field(
        description="The field at fault, dotted for nested values (tags.2); null for the request as a whole"
    )
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldError]


class PageIn(Schema):
    limit: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"How many results, at most {MAX_PAGE_SIZE}")
    offset: int = Field(0, ge=0, description="How many results to skip")


class PageOut(Schema):
    count: int = Field(description="How many results in all, across every page")
    limit: int
    offset: int


def paginate(queryset: QuerySet[Any], page: PageIn) -> dict[str, Any]:
    count = queryset.count()
    items = list(queryset[page.offset : page.offset + page.limit]) if page.offset < count else []
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}


def _field_name(loc: Sequence[int | str]) -> str | None:
    # ("body", "<parameter>", "tags", 2) → "tags.2"; ("query", "limit") → "limit".
    path = loc[2:] if loc and loc[0] == "body" else loc[1:]
    return ".".join(str(part) for part in path) or None


def _unprocessable(request: HttpRequest, api: NinjaAPI, errors: list[dict[str, Any]]) -> HttpResponse:
    body = {"detail": _("The request has invalid values; see errors for each field."), "errors": errors}
    return api.create_response(request, body, status=422)


def add_error_handlers(api: NinjaAPI) -> None:
    """Install the handlers that give every error the shapes above."""

    @api.exception_handler(NinjaValidationError)
    def schema_errors(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": _field_name(e["loc"]), "message": e["msg"]} for e in exc.errors]
        return _unprocessable(request, api, errors)

    @api.exception_handler(pydantic.ValidationError)
    def merged_errors(request: HttpRequest, exc: pydantic.ValidationError) -> HttpResponse:
        # Raised when an endpoint validates data it assembled itself (a PATCH merged onto the item).
        errors = [{"field": ".".join(map(str, e["loc"])) or None, "message": e["msg"]} for e in exc.errors()]
        return _unprocessable(request, api, errors)

    @api.exception_handler(DjangoValidationError)
    def action_errors(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            pairs = [
                (None if name == NON_FIELD_ERRORS else name, m) for name, ms in exc.message_dict.items() for m in ms
            ]
        else:
            pairs = [(None, m) for m in exc.messages]
        return _unprocessable(request, api, [{"field": field, "message": message} for field, message in pairs])

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = (
            str(exc)
            if isinstance(exc, InvalidToken)
            else _("Sign in, or send an API token in the header “Authorization: Bearer <token>”.")
        )
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = str(exc)
        if isinstance(exc.__cause__, RequestDataTooBig):
            detail = _("The request body is too large.")
        elif isinstance(exc.__cause__, ValueError):
            detail = _("The request body is not valid JSON: %(error)s") % {"error": exc.__cause__}
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": _("You may not change this.")}, status=403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found, or not shared with you.")}, status=404)


def error_responses(*statuses: int) -> dict[int, Any]:
    """The error bodies an operation can answer with, for its OpenAPI document."""
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in statuses}
