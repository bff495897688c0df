"""Middleware for every response: signed-in pages are never stored by a browser or a proxy, and sessions end after a
working day without a request. Only Django here (core imports none of the apps above it)."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

SEEN_KEY = "_taavon_seen"


class PrivateResponsesMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user: their pages and downloads (lists,
    exports with national codes, documents) stay out of the browser's disk cache and any shared cache. Static files
    are left alone (whitenoise answers them before this middleware runs). Pages for anonymous users are not
    marked here; the login page is marked by Django's LoginView itself (never_cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(settings.STATIC_URL):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
        return response


class IdleSessionMiddleware:
    """A signed-in session lives SESSION_COOKIE_AGE (8 hours) after its last request. Its expiry (in the database
    and on the cookie) moves forward when it is used, at most once per TAAVON_SESSION_REFRESH_SECONDS: the effect of
    SESSION_SAVE_EVERY_REQUEST without a session write on every request (on SQLite a write waits behind a running
    import's transaction)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return response
        now = int(time.time())
        seen = session.get(SEEN_KEY)
        if not isinstance(seen, int) or now - seen >= settings.TAAVON_SESSION_REFRESH_SECONDS:
            session[SEEN_KEY] = (
                now  # modified: SessionMiddleware saves it with a new expiry and sends the cookie
            )
        return response


class LanguageMiddleware:
    """The interface's language: the signed-in user's choice (their `language`), else the browser's (the language
    cookie the switch sets), else Persian — never the browser's Accept-Language (many Persian speakers' browsers
    ask for English). URLs carry no language prefix, so printed cards, QR codes and links in letters work in either
    language. An unknown code, in the user's record or a cookie, is Persian without an error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


def known_language(code) -> str | None:
    code = code if isinstance(code, str) else ""
    return code if code in dict(settings.LANGUAGES) else None


def chosen_language(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        mine = known_language(getattr(user, "language", ""))
        if mine:
            return mine
    return known_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE
