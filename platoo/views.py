"""Project-wide views: the health check and error pages that say what to do."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _error(request: HttpRequest, status: int, title: str, advice: str) -> HttpResponse:
    return render(request, "error.html", {"status": status, "title": title, "advice": advice}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 400, _("The request could not be understood"), _("Check the address or the form and try again.")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    advice = (
        _("This page is not shared with your account. Ask its author or your organization's coordinator for access.")
        if request.user.is_authenticated
        else _("Sign in to see this page; it may be shared with network members only.")
    )
    return _error(request, 403, _("You don't have access to this page"), advice)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 404, _("Page not found"), _("It may have been moved or deleted. Try searching for what you need.")
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong on our side"),
        _("Try again in a moment. If it keeps happening, tell the network's IT support."),
    )
