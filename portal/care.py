"""Care mode (關懷版 / 長者模式) for older and low-vision readers.

The national age-friendly web design rules expect a government site to offer a version with
larger text, high contrast, larger click targets and a simpler layout. Here it is a choice the
reader makes with a button on every public page, kept in a cookie (no account needed). The
page's HTML only marks the mode (``<html class="care">``) and adds one stylesheet for screens;
printed pages are the same in both modes. Cached pages are kept per mode (``portal.page_cache``).
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.switches import from_own_pages

COOKIE = "gongkai_care"
#: A year: the choice outlives the browser session, as the language choice does.
MAX_AGE = 365 * 24 * 60 * 60


def is_on(request) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


def context(request) -> dict:
    """Template context processor: ``care_mode`` for base.html."""
    return {"care_mode": is_on(request)}


@from_own_pages
@require_POST
def switch(request):
    """Turn care mode on (``on=1``) or off, and go back to the page the reader was on."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("on") == "1":
        response.set_cookie(
            COOKIE, "1", max_age=MAX_AGE, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE, httponly=True
        )
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
