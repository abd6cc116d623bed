"""Open data of disclosures (``/api/v1/``, docs/api.md): disclosures, categories and the
catalogue of obligations — read-only, for anyone, JSON or CSV.

Only what ``public_for(AnonymousUser())`` returns, whoever asks (the API authenticates
no one), and of a disclosure only its current published revision: never the working
copy, a draft, an internal disclosure or a data table's unmasked file.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from disclosures import compliance, selectors
from disclosures import search as disclosures_search
from disclosures.models import Category, CatalogueEntry, Revision, Scope, Status, Validity
from portal.api import ReadOnlyViewSet

# --- Disclosures ------------------------------------------------------------------------

#: What a withdrawn notice still publishes of its contents: nothing (its metadata and
#: hashes stay; see docs/ledger.md).
_WITHDRAWN = SimpleNamespace(summary="", body="", attachments=[], tables=[])


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    content_type = serializers.CharField()
    sha256 = serializers.CharField()
    url = serializers.CharField(help_text="Where to download the file.")


class RevisionSerializer(serializers.ModelSerializer):
    revision = serializers.IntegerField(source="number")
    hash = serializers.CharField(source="entry_hash")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = ["revision", "title", "published_at", "superseded_at", "hash", "url"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, revision) -> str:
        return reverse("disclosures:revision", args=[revision.disclosure_id, revision.number])


class DisclosureSerializer(serializers.Serializer):
    """A disclosure as the public reads it: its current published revision."""

    id = serializers.IntegerField(source="pk")
    url = serializers.SerializerMethodField(help_text="The permanent public page.")
    title = serializers.CharField(source="current_revision.title")
    summary = serializers.SerializerMethodField(help_text="Empty once withdrawn.")
    document_number = serializers.CharField(source="current_revision.document_number")
    index_number = serializers.CharField(source="current_revision.index_number")
    department = serializers.CharField(source="current_revision.department_code", help_text="Department code.")
    category = serializers.CharField(source="current_revision.category_code", help_text="Category code.")
    formed_on = serializers.DateField(source="current_revision.formed_on")
    valid_until = serializers.DateField(source="current_revision.valid_until", allow_null=True)
    published_at = serializers.DateTimeField(source="current_revision.published_at")
    revision = serializers.IntegerField(source="current_revision.number", help_text="1, or more once amended.")
    hash = serializers.CharField(source="current_revision.entry_hash", help_text="SHA-256 in the county's ledger.")
    channels = serializers.ListField(source="current_revision.channels", child=serializers.CharField())
    issuing_body = serializers.CharField(source="current_revision.issuing_body", help_text="發文機構")
    written_on = serializers.DateField(source="current_revision.written_on", allow_null=True, help_text="成文日期")
    validity = serializers.CharField(source="current_revision.validity", help_text="valid, expired or repealed (有效性).")
    repealed_on = serializers.DateField(source="current_revision.repealed_on", allow_null=True, help_text="廢止日期")
    normative = serializers.BooleanField(source="current_revision.normative", help_text="A normative document (規範性文件).")
    catalogue_entry = serializers.IntegerField(
        source="current_revision.catalogue_entry_id", allow_null=True, help_text="The catalogue entry (主題分類)."
    )
    status = serializers.SerializerMethodField(help_text="published or withdrawn.")
    withdrawn_at = serializers.SerializerMethodField()
    withdrawn_reason = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, disclosure) -> str:
        return self._absolute(disclosure.get_absolute_url())

    @extend_schema_field(serializers.ChoiceField(choices=["published", "withdrawn"]))
    def get_status(self, disclosure) -> str:
        # The working copy may be a draft of the next amendment: the public sees the revision.
        return "withdrawn" if disclosure.status == Status.WITHDRAWN else "published"

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_withdrawn_at(self, disclosure):
        return disclosure.withdrawn_at if disclosure.status == Status.WITHDRAWN else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_withdrawn_reason(self, disclosure) -> str:
        return disclosure.withdrawn_reason if disclosure.status == Status.WITHDRAWN else ""

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, disclosure) -> list[dict]:
        return [
            {
                "name": item["name"],
                "size": item["size"],
                "content_type": item["content_type"],
                "sha256": item["sha256"],
                "url": self._absolute(reverse("disclosures:attachment", args=[disclosure.pk, item["id"]])),
            }
            for item in self._contents(disclosure).attachments
        ]

    def get_summary(self, disclosure) -> str:
        return self._contents(disclosure).summary

    def _contents(self, disclosure):
        """The revision whose contents are published: none once the notice is withdrawn."""
        return _WITHDRAWN if disclosure.is_withdrawn else disclosure.current_revision


class DataTableSerializer(serializers.Serializer):
    title = serializers.CharField()
    row_count = serializers.IntegerField()
    csv_url = serializers.CharField(help_text="The masked table as published, as CSV.")


class DisclosureDetailSerializer(DisclosureSerializer):
    body = serializers.SerializerMethodField(help_text="Sanitised HTML; empty once withdrawn.")
    tables = serializers.SerializerMethodField()
    revisions = RevisionSerializer(source="published_revisions", many=True, help_text="Every published revision.")

    @extend_schema_field(DataTableSerializer(many=True))
    def get_tables(self, disclosure) -> list[dict]:
        return [
            {
                "title": table["title"],
                "row_count": table["row_count"],
                "csv_url": self._absolute(reverse("disclosures:table-csv", args=[disclosure.pk, number])),
            }
            for number, table in enumerate(self._contents(disclosure).tables)
        ]

    def get_body(self, disclosure) -> str:
        return self._contents(disclosure).body


_FILTERS = [
    OpenApiParameter("q", str, description="Words to search for (Traditional or Simplified Chinese, English, numbers)."),
    OpenApiParameter("category", str, description="Category code; a top-level category includes its sub-categories."),
    OpenApiParameter("department", str, description="Department code."),
    OpenApiParameter("year", int, description="Year the information was formed."),
    OpenApiParameter("sort", str, enum=list(disclosures_search.SORTS), description="Order of the list."),
    OpenApiParameter("validity", str, enum=list(Validity.values),
                     description="valid: in force today; expired (so marked, or past valid_until); repealed."),
    OpenApiParameter("normative", bool, description="1: normative documents (規範性文件) only."),
]


@extend_schema_view(list=extend_schema(parameters=_FILTERS))
class DisclosureViewSet(ReadOnlyViewSet):
    """Published disclosures (withdrawn ones say so), as their current revision reads."""

    cached_params = (*ReadOnlyViewSet.cached_params, "category", "department", "year", "sort", "validity", "normative")
    cached_text = ("q",)

    def get_queryset(self):
        queryset = selectors.readable().select_related("current_revision")
        if self.action == "list":
            queryset = queryset.defer(*selectors.LIST_DEFERRED)
            return disclosures_search.apply_filters(queryset, disclosures_search.read_filters(self.request.query_params))
        return selectors.with_revisions(queryset)

    def get_serializer_class(self):
        return DisclosureSerializer if self.action == "list" else DisclosureDetailSerializer

    def list_total(self, queryset) -> int:
        filters = disclosures_search.read_filters(self.request.query_params)
        return selectors.list_total(None, filters.active, queryset)


# --- Categories and the catalogue ----------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None, read_only=True)

    class Meta:
        model = Category
        fields = ["code", "name", "name_en", "parent", "position", "description"]


class CategoryViewSet(ReadOnlyViewSet):
    """The public categories of the disclosure catalogue (the eight disclosures and theirs)."""

    serializer_class = CategorySerializer
    queryset = (
        Category.objects.public()
        .exclude(parent__scope=Scope.INTERNAL)
        .select_related("parent")
        .order_by("parent__position", "position", "code")
    )
    lookup_field = "code"


class CatalogueEntrySerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True, allow_null=True, default=None)
    domain = serializers.CharField(source="domain.code", read_only=True, allow_null=True, default=None)
    state = serializers.SerializerMethodField(help_text="met, due, late, missing, or none (nothing due yet).")
    due_on = serializers.SerializerMethodField()
    due_provisional = serializers.SerializerMethodField(
        help_text="True while the due date counts through a year whose official holiday schedule is not yet "
                  "confirmed: it may still move.")

    class Meta:
        model = CatalogueEntry
        fields = [
            "id", "department", "category", "domain", "title", "item", "sub_item", "elements", "legal_basis",
            "time_limit", "time_limit_rule", "responsible_body", "channels", "audience_all", "audience_specific",
            "proactive", "on_request", "cadence", "days_allowed", "state", "due_on",
            "due_provisional",
        ]

    def _evaluation(self, entry):
        return self.context["view"].evaluations[entry.pk]

    @extend_schema_field(serializers.ChoiceField(choices=[state.value for state in compliance.State]))
    def get_state(self, entry) -> str:
        return self._evaluation(entry).state.value

    @extend_schema_field(OpenApiTypes.DATE)
    def get_due_on(self, entry):
        return self._evaluation(entry).due_on

    def get_due_provisional(self, entry) -> bool:
        return self._evaluation(entry).provisional


class CatalogueEntryViewSet(ReadOnlyViewSet):
    """The public catalogue: what each department must disclose, and whether it has."""

    serializer_class = CatalogueEntrySerializer
    queryset = (
        CatalogueEntry.objects.public().select_related("department", "category", "domain").order_by("department__code", "pk")
    )
    evaluations: dict = {}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.evaluations = compliance.evaluate(page if page is not None else queryset)
        return page

    def get_object(self):
        entry = super().get_object()
        self.evaluations = compliance.evaluate([entry])
        return entry


def register(registry) -> None:
    """Called from ``DisclosuresConfig.ready()`` with ``portal.api``."""
    registry.register("disclosures", DisclosureViewSet, "disclosure")
    registry.register("categories", CategoryViewSet, "category")
    registry.register("catalogue", CatalogueEntryViewSet, "catalogue-entry")
