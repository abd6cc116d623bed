"""``/api/v1/`` (every endpoint registered with ``portal.api``), the OpenAPI schema and its docs.

Included by ``portal.urls``; the apps' endpoints are registered in their
``AppConfig.ready()``, which has run before any URL is resolved.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from portal import api

router = DefaultRouter()
router.include_format_suffixes = False  # ?format=csv instead
for endpoint in api.endpoints():
    router.register(endpoint.prefix, endpoint.viewset, basename=endpoint.basename)

urlpatterns = [
    path("v1/steps/<str:model>/<str:pk>/", api.StepsView.as_view(), name="api-steps"),
    path("v1/", include((router.urls, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (docs/?script), so the
    # page needs no inline script under the Content-Security-Policy. GET only: its HTML
    # renderer has no template for OPTIONS' metadata (a 500 otherwise).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", http_method_names=["get", "head"]),
         name="api-docs"),
]
