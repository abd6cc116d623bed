"""Public pages of the core: home, departments, health check."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal import health, home
from portal.page_cache import cache_public_page
from portal.models import Department


@cache_public_page
@require_safe
def home_page(request):
    sections = [(section, section.context(request)) for section in home.sections()]
    departments = Department.objects.filter(kind=Department.Kind.BUREAU).only("code", "name")
    return render(request, "portal/home.html", {"sections": sections, "departments": departments})


@cache_public_page
@require_safe
def department_list(request):
    departments = Department.objects.select_related("parent")
    return render(request, "portal/department_list.html", {"departments": departments})


@cache_public_page
@require_safe
def department_detail(request, code):
    department = get_object_or_404(Department.objects.select_related("parent"), code=code)
    return render(request, "portal/department_detail.html", {"department": department})


@never_cache
@require_safe
def healthz(request):
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    status = 200 if all(checks.values()) else 503
    body = {"status": "ok" if status == 200 else "unavailable", **{k: "ok" if v else "down" for k, v in checks.items()}}
    return JsonResponse(body, status=status)
