from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai unless the person chose otherwise with the language switch (its cookie).

    Django's own middleware follows the browser's Accept-Language, and most browsers in
    Thailand announce English; Platoo is Thai first, so only an explicit choice counts. For the
    API a script's Accept-Language is such a choice.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            chosen = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
