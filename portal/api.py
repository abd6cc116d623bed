"""The read-only open-data API (``/api/v1/``, docs/api.md): what every endpoint shares,
the registry apps add their endpoints to, and the core's own endpoint (departments).

``portal`` imports no app: an app registers its viewsets in ``AppConfig.ready()`` with
:func:`register`, and ``portal.api_urls`` routes every registered one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import partial

from django.apps import apps as django_apps
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, pagination, permissions, renderers, serializers, views, viewsets
from rest_framework.response import Response

from portal import workflow
from portal.models import Department
from portal.page_cache import cache_public_page
from portal.paging import Pages
from portal.permissions import scope
from portal.spreadsheets import escape_formula

# --- The registry ----------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    prefix: str
    viewset: type
    basename: str


_endpoints: dict[str, Endpoint] = {}


def register(prefix: str, viewset: type, basename: str | None = None) -> None:
    """Route ``viewset`` at ``/api/v1/<prefix>/`` (read-only: a ReadOnlyModelViewSet)."""
    _endpoints[prefix] = Endpoint(prefix, viewset, basename or prefix)


def endpoints() -> list[Endpoint]:
    return sorted(_endpoints.values(), key=lambda e: e.prefix)


# --- What every endpoint shares ----------------------------------------------------------


class Pagination(pagination.PageNumberPagination):
    """``?page=<n>&page_size=<m>`` (at most 500 rows a page), read by ``portal.paging``:
    a deep page costs what the first costs, and a view with a ``list_total(queryset)``
    gives the count instead of counting the list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        total = getattr(view, "list_total", None)
        self.django_paginator_class = partial(Pages, count=total(queryset) if total else None)
        return super().paginate_queryset(queryset, request, view)




def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = "; ".join(_cell(item) for item in value)
    text = str(value)
    return text if _is_number(text) else escape_formula(text)  # shown as text, never run


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _flatten(row: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
            flat[name] = len(value)  # nested lists of objects: their count; the JSON has them whole
        else:
            flat[name] = value
    return flat


class CSVRenderer(renderers.BaseRenderer):
    """CSV of a list (or one object): one row per object, nested objects flattened to
    ``parent.child`` columns, formula-like cells quoted, UTF-8 with a BOM for spreadsheets."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):
            data = [data]
        rows = [_flatten(row) for row in (data or []) if isinstance(row, dict)]
        columns = list(dict.fromkeys(column for row in rows for column in row))
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in columns])
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Disposition"] = "inline"
        return out.getvalue().encode("utf-8")


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """The base of every endpoint: read-only, JSON or CSV (``?format=csv`` or
    ``Accept: text/csv``), paged."""

    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    pagination_class = Pagination
    #: The list's query parameters it is cached by (``portal.page_cache``, invalidated
    #: with the pages), and its free-text ones, cached in the process only.
    cached_params: tuple[str, ...] = ("page", "page_size", "format")
    cached_text: tuple[str, ...] = ()

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        if actions and actions.get("get") == "list":
            view = cache_public_page(view, params=cls.cached_params, text=cls.cached_text, vary=("Accept",))
        return view


# --- Departments -------------------------------------------------------------------------


class DepartmentSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Department
        fields = ["code", "name", "kind", "kind_display", "parent", "duties", "address", "phone", "service_window", "url"]


class DepartmentViewSet(ReadOnlyViewSet):
    """The county's departments: their duties, address, phone and service-hall window."""

    serializer_class = DepartmentSerializer
    queryset = Department.objects.select_related("parent").order_by("code")
    lookup_field = "code"


register("departments", DepartmentViewSet, "department")


# --- The steps a signed-in user may take on an object now -------------------------------


class WorkflowStepSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The transition, as the admin action of the same name.")
    label = serializers.CharField()


class WorkflowStepsSerializer(serializers.Serializer):
    state = serializers.CharField()
    steps = WorkflowStepSerializer(many=True)


class StepsView(views.APIView):
    """``/api/v1/steps/<app_label.model>/<pk>/``: the state of one object and the steps of its
    workflow (``portal.workflow``) that the signed-in user may take on it now — what the
    admin's buttons show. Session-authenticated, read-only; an object the user may not view,
    or any object for an anonymous reader, is a 404."""

    authentication_classes = [authentication.SessionAuthentication]
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=WorkflowStepsSerializer)
    def get(self, request, model: str, pk: str):
        try:
            found = django_apps.get_model(model)
        except (LookupError, ValueError):
            raise Http404 from None
        machine = workflow.for_model(found)
        if machine is None or not str(pk).isdigit():
            raise Http404
        obj = get_object_or_404(scope(request.user, found._default_manager.all(), "view"), pk=int(pk))
        steps = [{"name": step.name, "label": str(step.label)} for step in machine.available(request.user, obj)]
        return Response({"state": machine.state_of(obj), "steps": steps})
