"""The two switches on every public page, language and care mode: forms that post without
a CSRF token, so that a cached public page holds no reader's token and sets no cookie.

A token on every page cost a third of a cached page's time (a fresh secret and its mask,
64 random characters, for every reader without the cookie: issue 15), and the cookie that
came with it keeps any shared cache (a county's reverse proxy) from keeping the page.
What a token would guard here is small: a forged post can only switch a reader's language
or care mode. And browsers say where a post comes from: a post a browser marks as sent
from another site (``Sec-Fetch-Site``, else ``Origin``) is refused with the 403 page.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language


def from_own_pages(view):
    """Accept the view's posts without a CSRF token unless a browser says they come from
    another site."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _sent_from_own_page(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _sent_from_own_page(request) -> bool:
    fetched_from = request.headers.get("Sec-Fetch-Site")  # every current browser sends it
    if fetched_from is not None:
        return fetched_from in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:  # not a browser, or one too old to say: nobody else's cookie to abuse
        return True
    own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


#: Django's ``set_language`` (the language cookie, then back to ``next``), from our own pages.
language = from_own_pages(set_language)
