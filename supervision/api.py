"""Complaint-handling statistics in the open-data API: counts only, never contents."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from portal import api
from supervision import stats


class ComplaintStatisticsSerializer(serializers.Serializer):
    department = serializers.CharField(source="department__code")
    department_name = serializers.CharField(source="department__name")
    received = serializers.IntegerField()
    accepted = serializers.IntegerField()
    declined = serializers.IntegerField()
    closed = serializers.IntegerField()
    closed_on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    satisfaction_rate = serializers.FloatField(allow_null=True)


class ComplaintStatisticsViewSet(viewsets.ViewSet):
    """Per department concerned, complaints, reports and suggestions received in a year:
    how many were accepted, closed, closed on time, are overdue now, and the satisfaction rate."""

    renderer_classes = api.ReadOnlyViewSet.renderer_classes
    serializer_class = ComplaintStatisticsSerializer

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Year received (default: this year)")],
        responses=ComplaintStatisticsSerializer(many=True),
    )
    def list(self, request):
        rows, _totals = stats.by_department(stats.requested_year(request.query_params.get("year")))
        return Response(ComplaintStatisticsSerializer(rows, many=True).data)
