"""Open data of approvals (``/api/v1/``, docs/api.md): approval items with their service
guides, the fee schedule and the published decisions — read-only, for anyone, JSON or CSV.

Decisions are published as ``/approvals/results/`` publishes them: the applicant as
``public_name`` (a person masked, a company in full), never an ID number, a phone or a
tracking number, and ID and mobile numbers in the decision's text masked.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from approvals import selectors
from approvals.applicants import public_name
from approvals.forms import ItemFilterForm, ResultFilterForm
from approvals.models import ApplicationStatus, ApprovalItem, FeeItem, FeeStatus, ItemStatus, Kind
from portal.api import ReadOnlyViewSet
from portal.masking import mask_in_text

# --- Items ------------------------------------------------------------------------------


class MaterialSerializer(serializers.Serializer):
    name = serializers.CharField()
    form = serializers.CharField()
    copies = serializers.IntegerField()
    mandatory = serializers.BooleanField()


class StepSerializer(serializers.Serializer):
    step = serializers.IntegerField(source="position")
    name = serializers.CharField()
    responsible = serializers.CharField()
    working_days = serializers.IntegerField(source="time_limit", allow_null=True)
    description = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    change = serializers.CharField(source="kind", help_text="establish, adjust, cancel or delegate.")
    effective_on = serializers.DateField()
    document_number = serializers.CharField()
    reason = serializers.CharField()
    details = serializers.CharField()


def _codes(choices) -> str:
    return ", ".join(choices.values)


# Choices as plain strings with their codes listed: the schema's enum names are global, and
# "kind" and "status" are taken by other endpoints.
class FeeSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", help_text="Department code.")
    status = serializers.CharField(help_text=_codes(FeeStatus))
    approval_item = serializers.CharField(source="approval_item.code", allow_null=True, default=None)
    standard = serializers.CharField(read_only=True, help_text="The standard as one line, e.g. “¥10.00 / 本”.")

    class Meta:
        model = FeeItem
        fields = [
            "code", "name", "department", "approval_item", "legal_basis", "standard_kind", "amount", "amount_min",
            "amount_max", "currency", "unit", "standard", "reductions", "status",
        ]


class ApprovalItemSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", help_text="Department code.")
    kind = serializers.CharField(help_text=_codes(Kind))
    status = serializers.CharField(help_text=_codes(ItemStatus))
    window = serializers.CharField(source="window.name", allow_null=True, default=None,
                                   help_text="The service-hall window that alone handles the item.")
    url = serializers.CharField(source="get_absolute_url", help_text="The service guide.")

    class Meta:
        model = ApprovalItem
        fields = [
            "code", "name", "department", "kind", "status", "basis_law", "basis_article", "basis_document",
            "statutory_limit", "promised_limit", "window", "location", "consultation_phone", "complaint_phone",
            "online_url", "url",
        ]


class ApprovalItemDetailSerializer(ApprovalItemSerializer):
    materials = MaterialSerializer(many=True)
    steps = StepSerializer(many=True)
    fees = FeeSerializer(many=True, source="scheduled_fees")
    changes = ChangeSerializer(many=True)

    class Meta(ApprovalItemSerializer.Meta):
        fields = [*ApprovalItemSerializer.Meta.fields, "conditions", "materials", "steps", "fees", "changes"]


_ITEM_FILTERS = [
    OpenApiParameter("q", str, description="Words in the code, name or legal basis (either Chinese script)."),
    OpenApiParameter("department", str, description="Department code."),
    OpenApiParameter("kind", str, description="Kind of item."),
    OpenApiParameter("status", str, description="in_force, adjusted, cancelled, delegated or all; current items if absent."),
]


@extend_schema_view(list=extend_schema(parameters=_ITEM_FILTERS))
class ApprovalItemViewSet(ReadOnlyViewSet):
    """Approval items and their service guides (the detail adds materials, steps, fees and the change log)."""

    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z._-]+"

    def get_queryset(self):
        queryset = selectors.items()
        if self.action == "list":
            return ItemFilterForm(self.request.query_params).filter(queryset)
        return queryset.prefetch_related(
            "materials", "steps", "changes",
            Prefetch("fees", queryset=FeeItem.objects.scheduled().select_related("department"), to_attr="scheduled_fees"),
        )

    def get_serializer_class(self):
        return ApprovalItemSerializer if self.action == "list" else ApprovalItemDetailSerializer


class FeeViewSet(ReadOnlyViewSet):
    """The published fee schedule (charged and suspended fees)."""

    serializer_class = FeeSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z._-]+"
    queryset = FeeItem.objects.scheduled().select_related("department", "approval_item").order_by("department__code", "code")


# --- Published decisions ------------------------------------------------------------------


class ResultSerializer(serializers.Serializer):
    item = serializers.CharField(source="item.code", help_text="Approval item code.")
    item_name = serializers.CharField(source="item.name")
    department = serializers.CharField(source="item.department.code", help_text="Department code.")
    applicant = serializers.SerializerMethodField(help_text="A person's name masked; a company's in full.")
    outcome = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField(help_text="The decision, or the reason for rejecting.")
    decided_on = serializers.DateField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_applicant(self, application) -> str:
        return public_name(application.applicant_kind, application.applicant_name)

    @extend_schema_field(serializers.ChoiceField(choices=["granted", "rejected"]))
    def get_outcome(self, application) -> str:
        return "rejected" if application.status == ApplicationStatus.REJECTED else "granted"

    @extend_schema_field(OpenApiTypes.STR)
    def get_decision(self, application) -> str:
        rejected = application.status == ApplicationStatus.REJECTED
        return mask_in_text(application.rejection_reason if rejected else application.decision)


_RESULT_FILTERS = [
    OpenApiParameter("department", str, description="Department code."),
    OpenApiParameter("item", str, description="Approval item code."),
    OpenApiParameter("year", int, description="Year of the decision."),
    OpenApiParameter("outcome", str, enum=["granted", "rejected"], description="Granted or rejected."),
]


@extend_schema_view(list=extend_schema(parameters=_RESULT_FILTERS))
class ResultViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Published decisions on applications (審批結果公示), newest first. A list only: a
    decision has no address of its own."""

    serializer_class = ResultSerializer
    renderer_classes = ReadOnlyViewSet.renderer_classes
    pagination_class = ReadOnlyViewSet.pagination_class

    def get_queryset(self):
        queryset = selectors.decisions()
        return ResultFilterForm(self.request.query_params).filter(queryset)


def register(registry) -> None:
    registry.register("approval-items", ApprovalItemViewSet, "approval-item")
    registry.register("fees", FeeViewSet, "fee")
    registry.register("approval-results", ResultViewSet, "approval-result")
