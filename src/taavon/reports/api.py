"""The statistics API: public figures of cooperative projects, the same selectors as the dashboard."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from taavon.projects.models import Stage
from taavon.projects.selectors import ProjectFilters, project_totals
from taavon.reports.params import ParamError, as_of_param, date_param, province_lookup

GROUP_FIELDS = ("count", "investment_rial", "facilities_paid_rial", "jobs")


def _group(name: str, key: str):
    fields = {key: serializers.CharField(), **{k: serializers.IntegerField() for k in GROUP_FIELDS}}
    return inline_serializer(name, fields=fields, many=True)


# what the schema (/api/v1/schema/) says the endpoint answers
STATS_RESPONSE = inline_serializer(
    "ProjectStats",
    fields={
        "as_of": serializers.DateTimeField(allow_null=True),
        "province": serializers.CharField(allow_null=True),
        "opening_from": serializers.DateField(allow_null=True),
        "opening_to": serializers.DateField(allow_null=True),
        "count": serializers.IntegerField(),
        "investment_rial": serializers.IntegerField(),
        "members_contribution_rial": serializers.IntegerField(),
        "facilities_paid_rial": serializers.IntegerField(),
        "jobs_direct": serializers.IntegerField(),
        "jobs_indirect": serializers.IntegerField(),
        "by_sector": _group("ProjectStatsBySector", "sector"),
        "by_county": _group("ProjectStatsByCounty", "county"),
    },
)
ERROR_RESPONSE = inline_serializer("ApiError", fields={"detail": serializers.CharField()})


class ProjectStatsView(APIView):
    """Totals of cooperative projects for a province and an opening-date range (public, aggregates only)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]  # per client, the open data API's rate (settings: public_api)
    throttle_scope = "public_api"

    @extend_schema(
        responses={200: STATS_RESPONSE, 400: ERROR_RESPONSE},
        parameters=[
            OpenApiParameter(
                "province", str, description="ISO code (IR-15), English name (lorestan) or Persian name"
            ),
            OpenApiParameter(
                "opening_from", str, description="Jalali (1404-06-11, any digits) or ISO Gregorian"
            ),
            OpenApiParameter(
                "opening_to", str, description="Jalali (1404-06-17, any digits) or ISO Gregorian"
            ),
            OpenApiParameter("stage", str, enum=Stage.values),
            OpenApiParameter(
                "as_of",
                str,
                description="The figures as Taavon knew the records at the end of this day (Jalali 1404-06-17, "
                "any digits, or ISO 2025-09-08; a time may follow: 1404-06-17 14:30). Empty: now.",
            ),
        ],
    )
    def get(self, request):
        try:
            province = province_lookup(request.query_params.get("province"))
            start = date_param(request.query_params.get("opening_from"), "opening_from")
            end = date_param(request.query_params.get("opening_to"), "opening_to")
            as_of = as_of_param(request.query_params.get("as_of"), "as_of")
        except ParamError as exc:
            return Response({"detail": str(exc)}, status=400)
        stage = request.query_params.get("stage")
        if stage is not None and stage not in Stage.values:
            return Response(
                {"detail": _("The stage “%(stage)s” is not known.") % {"stage": stage}}, status=400
            )
        if start and end and end < start:
            return Response({"detail": _("opening_to is before opening_from.")}, status=400)
        filters = ProjectFilters(
            province=province.pk if province else None,
            opening_from=start,
            opening_to=end,
            stage=stage or "",
        )
        t = project_totals(user=None, filters=filters, as_of=as_of)
        return Response(
            {
                "as_of": as_of.isoformat() if as_of else None,
                "province": province.code if province else None,
                "opening_from": start.isoformat() if start else None,
                "opening_to": end.isoformat() if end else None,
                "count": t["count"],
                "investment_rial": t["investment_rial"],
                "members_contribution_rial": t["members_contribution_rial"],
                "facilities_paid_rial": t["facilities_paid_rial"],
                "jobs_direct": t["jobs_direct"],
                "jobs_indirect": t["jobs_indirect"],
                "by_sector": [
                    {"sector": g["name"], **{k: g[k] for k in GROUP_FIELDS}} for g in t["by_sector"]
                ],
                "by_county": [
                    {"county": g["name"], **{k: g[k] for k in GROUP_FIELDS}} for g in t["by_county"]
                ],
            }
        )
