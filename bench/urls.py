"""The site's URLs plus the bench's yardstick: a trivial Django view through the same
middleware (``bench/wsgi.py`` serves these; the project's own URLconf is untouched)."""

from django.http import HttpResponse
from django.urls import include, path

from portal.urls import handler400, handler500  # the error pages production serves


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/trivial", trivial), path("", include("portal.urls"))]
__all__ = ["handler400", "handler500", "urlpatterns"]
