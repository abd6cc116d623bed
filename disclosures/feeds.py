"""Atom feeds of published disclosures (DESIGN §4): ``/feeds/disclosures/`` (``?category=<code>``
takes a category and its sub-categories) and ``/feeds/departments/<code>/``.

An entry is the disclosure's current revision: ``updated`` is when that revision was
published, ``published`` when the first one was, and an amended notice says so in its
title, so a feed reader shows the amendment as a change to the same entry (its id is
the permanent URL).
"""

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from disclosures import selectors
from disclosures.models import Category
from disclosures.search import body_text
from portal.bad_requests import CONTROL_CHARACTERS
from portal.chinese import for_language
from portal.models import Department
from portal.page_cache import cache_public_page

ENTRIES = 50


class _DisclosureFeed(Feed):
    feed_type = Atom1Feed

    def _filtered(self, queryset_filter: Q):
        return selectors.with_first_publication(
            selectors.current()
            .filter(queryset_filter)
            .select_related("current_revision", "department", "category")
            .defer("body", "current_revision__tables")  # the working copy: a feed shows the revision
        ).order_by("-current_published_at", "-pk")[:ENTRIES]

    def _text(self, text: str, english: str = "") -> str:
        # XML 1.0 has no control characters: one pasted into a title (Word's vertical tab)
        # would otherwise make the whole feed fail.
        return CONTROL_CHARACTERS.sub("", for_language(text, get_language(), english))

    def item_title(self, disclosure):
        revision = disclosure.current_revision
        title = self._text(revision.title)
        if revision.number > 1:
            return _("Amended: %(title)s") % {"title": title}
        return title

    def item_description(self, disclosure):
        revision = disclosure.current_revision
        return self._text(revision.summary or Truncator(body_text(revision.body)).chars(300))

    def item_link(self, disclosure):
        return disclosure.get_absolute_url()

    def item_pubdate(self, disclosure):
        return disclosure.first_published_at

    def item_updateddate(self, disclosure):
        return disclosure.current_revision.published_at

    def item_author_name(self, disclosure):
        return self._text(disclosure.department.name)

    def item_categories(self, disclosure):
        category = disclosure.category
        return [self._text(category.name, category.name_en)]


class DisclosureFeed(_DisclosureFeed):
    """Every published disclosure, or those of one category (``?category=<code>``)."""

    def get_object(self, request):
        code = request.GET.get("category", "")
        return Category.objects.public().filter(code=code).first() if code else None

    def title(self, category):
        if category is None:
            return _("Gongkai: latest disclosures")
        return _("Gongkai: disclosures in %(category)s") % {"category": self._text(category.name, category.name_en)}

    def link(self, category):
        url = reverse("disclosures:list")
        return f"{url}?category={category.code}" if category else url

    def feed_url(self, category):
        url = reverse("feeds:disclosures")
        return f"{url}?category={category.code}" if category else url

    def subtitle(self, category):
        return _("Notices published by the county's departments, newest first. Amended notices say so.")

    def items(self, category):
        if category is None:
            return self._filtered(Q())
        return self._filtered(Q(category=category) | Q(category__parent=category))


class DepartmentFeed(_DisclosureFeed):
    """What one department has published."""

    def get_object(self, request, code):
        return get_object_or_404(Department, code=code)

    def title(self, department):
        return _("Gongkai: disclosures of %(department)s") % {"department": self._text(department.name)}

    def link(self, department):
        return department.get_absolute_url()

    def feed_url(self, department):
        return reverse("feeds:department", args=[department.code])

    def subtitle(self, department):
        return _("Notices published by this department, newest first. Amended notices say so.")

    def items(self, department):
        return self._filtered(Q(department=department))


app_name = "feeds"

urlpatterns = [
    # Cached like the pages (portal.page_cache), invalidated by the same publications.
    path("disclosures/", cache_public_page(DisclosureFeed()), name="disclosures"),
    path("departments/<slug:code>/", cache_public_page(DepartmentFeed()), name="department"),
]
