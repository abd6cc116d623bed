"""Root URLs (DESIGN §4). Stable: printed posters and QR codes point at them.

Apps are named by string only.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import care, search, switches, views


portal_patterns = (
    [
        path("", views.home_page, name="home"),
        path("departments/", views.department_list, name="department-list"),
        path("departments/<slug:code>/", views.department_detail, name="department-detail"),
        path("search/", search.search_page, name="search"),
        path("care-mode/", care.switch, name="care-mode"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("healthz", views.healthz, name="healthz"),
    # Django's language switch (django.conf.urls.i18n), posted without a token (portal.switches).
    path("i18n/setlang/", switches.language, name="set_language"),
    path("disclosures/", include("disclosures.urls")),
    path("approvals/", include("approvals.urls")),
    path("feeds/", include("disclosures.feeds")),
    path("api/", include("portal.api_urls")),
    path("supervision/", include("supervision.urls")),
    path("admin/", admin.site.urls),
]

# Translated error pages (templates/400.html …); the 400 view never reads the form again.
handler400 = "portal.bad_requests.bad_request"
# The database away (stopped, restarting) is a 503 "try again shortly", not a 500 (portal.outages).
handler500 = "portal.outages.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
