"""The open data API, read-only and anonymous, under /api/v1/: the register, the projects, counts, places, sectors.

Every row comes from public.selectors (public fields of public records) and is shaped by public.opendata's field
list, so the API, the bulk files and the data dictionary (docs/open-data.md) say the same. Stable English names,
ISO dates with the Jalali beside them, amounts in rials. Lists page with a cursor over a unique key. An unknown query
parameter or filter value is a 400 naming it, in the reader's language (`?lang=fa|en`, else Accept-Language, else
the site's); every answer carries an ETag and a Last-Modified, and a client's copy that is still current gets a 304.
"""

import dataclasses
import hashlib

from django.db.models import Count, Max
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from taavon.core.formatting import digits
from taavon.persian import to_ascii_digits
from taavon.projects.models import Stage
from taavon.public import opendata
from taavon.public.selectors import (
    FilterError,
    StandingRule,
    cooperative_projects,
    cooperative_public,
    public_awards,
    public_projects,
    register_filters,
    register_search,
)

LANGUAGES = ("fa", "en")
STAGES = [s for s in Stage.values if s != Stage.CANCELLED]  # cancelled projects are not public
MAX_PAGE_SIZE = 200

# --- the shared machinery --------------------------------------------------------------------------------------------


class PublicThrottle(AnonRateThrottle):
    """Per client (its address), at the rate REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_api"] (read at each
    request, so a test or a deployment may change it)."""

    scope = "public_api"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


def _language(request) -> str | None:
    asked = (request.GET.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    for code, _q in translation.trans_real.parse_accept_lang_header(
        request.headers.get("Accept-Language", "")
    ):
        code = code.split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return None


class PublicView(GenericAPIView):
    """Anonymous, read-only, throttled; refuses query parameters it does not know; answers conditionally."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    params: tuple[str, ...] = ()
    last_modified = None

    def initial(self, request, *args, **kwargs):
        language = _language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)
        if request.method.lower() not in self.http_method_names or not hasattr(self, request.method.lower()):
            return  # the method's 405 comes first
        allowed = {*self.params, "lang"}
        if self.pagination_class is not None:
            allowed |= {"cursor", "page_size"}
        for name, values in request.query_params.lists():
            if name not in allowed:
                raise ParseError(
                    _("Unknown query parameter: “%(name)s”. Known: %(known)s.")
                    % {"name": name[:40], "known": ", ".join(sorted(allowed))}
                )
            if len(values) > 1:
                raise ParseError(_("The parameter “%(name)s” is given more than once.") % {"name": name})
            empty = not values[0].strip() and name not in ("search", "q")  # a filter given is a value
            if empty or "\x00" in values[0] or len(values[0]) > 1000:
                raise ParseError(_("The value of “%(name)s” is not valid.") % {"name": name})
        lang = request.query_params.get("lang")
        if lang is not None and lang.strip().lower() not in LANGUAGES:
            raise ParseError(_("lang is fa or en."))

    def filter_error(self, exc: FilterError):
        raise ParseError(str(exc))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        timestamp = int(self.last_modified.timestamp()) if self.last_modified else None
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        response["Cache-Control"] = "public, max-age=60"
        return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)

    def newest(self, rows) -> None:
        stamps = [r["updated_at"] for r in rows if r.get("updated_at")]
        self.last_modified = max(stamps) if stamps else None


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        value = to_ascii_digits(raw).strip()
        if not value.isdigit() or len(value) > 4 or not 1 <= int(value) <= MAX_PAGE_SIZE:
            raise ParseError(
                _("page_size is a whole number from 1 to %(max)s.") % {"max": digits(MAX_PAGE_SIZE)}
            )
        return int(value)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise ParseError(_("The cursor is not valid: start again from the first page.")) from None


class RegisterCursor(Cursor):
    ordering = "shenasnameh"


class ProjectCursor(Cursor):
    ordering = "id"


# --- what the schema says the endpoints answer -----------------------------------------------------------------------

_KINDS = {
    "string": serializers.CharField,
    "integer": serializers.IntegerField,
    "boolean": serializers.BooleanField,
    "date": serializers.DateField,
    "datetime": serializers.DateTimeField,
}


def _serializer_fields(columns) -> dict:
    out = {}
    for f in columns:
        required = f.constraints.get("required", False)
        kwargs = {"help_text": f.description, "allow_null": not required}
        if "enum" in f.constraints:
            out[f.name] = serializers.ChoiceField(choices=f.constraints["enum"], **kwargs)
        else:
            out[f.name] = _KINDS[f.type](**kwargs)
    return out


class StandingSerializer(serializers.Serializer):
    good = serializers.BooleanField()
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=["not_active", "assembly_overdue", "return_missing"])
    )


def _cooperative_fields() -> dict:
    fields = _serializer_fields(
        [
            f
            for f in opendata.fields("cooperatives")
            if f.name not in ("good_standing", "good_standing_reasons")
        ]
    )
    fields["good_standing"] = StandingSerializer(
        help_text="Good standing and, when not, the reasons (codes)."
    )
    return fields


CooperativeSerializer = type("Cooperative", (serializers.Serializer,), _cooperative_fields())
ProjectSerializer = type(
    "Project", (serializers.Serializer,), _serializer_fields(opendata.fields("projects"))
)


class AwardSerializer(serializers.Serializer):
    edition = serializers.IntegerField()
    year = serializers.IntegerField()
    category_fa = serializers.CharField()
    category_en = serializers.CharField(allow_null=True)
    rank = serializers.IntegerField()


CooperativeDetailSerializer = type(
    "CooperativeDetail",
    (serializers.Serializer,),
    {
        **_cooperative_fields(),
        "projects": ProjectSerializer(many=True),
        "awards": AwardSerializer(many=True),
    },
)

ERROR = inline_serializer("OpenDataError", fields={"detail": serializers.CharField()})
ERRORS = {400: ERROR, 429: ERROR}
LANG = OpenApiParameter("lang", str, enum=list(LANGUAGES), description="Language of error messages (fa, en).")


def _param(name, description, **kwargs):
    return OpenApiParameter(name, str, description=description, **kwargs)


PLACE_PARAMS = [
    _param("province", "ISO 3166-2 code of the province (IR-15); see places/"),
    OpenApiParameter("county", int, description="The county's id (see places/)"),
    _param("sector", "The sector's code (see sectors/)"),
]
REGISTER_PARAMS = [
    _param(
        "search", "Name, shenasnameh, legal id or registration number (Persian or Arabic letters, any digits)"
    ),
    *PLACE_PARAMS,
    _param("type", "The type's code (see sectors/)"),
    _param(
        "status", "Status in the register", enum=["active", "dormant", "liquidating", "dissolved", "unknown"]
    ),
    OpenApiParameter(
        "good_standing", bool, description="Only those in (true) or not in (false) good standing"
    ),
    LANG,
]
PAGE_SIZE = OpenApiParameter(
    "page_size", int, description=f"Rows per page, 1 to {MAX_PAGE_SIZE} (50 by default)"
)


def _register_filters(request):
    try:
        return register_filters(request.query_params)
    except FilterError as exc:
        raise ParseError(str(exc)) from None


def _api_record(row: dict, rule: StandingRule) -> dict:
    record = opendata.cooperative_record(row, rule)
    record["good_standing"] = {
        "good": record["good_standing"],
        "reasons": record.pop("good_standing_reasons").split(),
    }
    return record


# --- the register ----------------------------------------------------------------------------------------------------


class CooperativeList(PublicView):
    """The register's cooperatives (every status), public fields only, in the order of their shenasnameh."""

    pagination_class = RegisterCursor
    serializer_class = CooperativeSerializer
    params = ("search", "q", "province", "county", "sector", "type", "status", "good_standing")

    @extend_schema(
        parameters=[*REGISTER_PARAMS, PAGE_SIZE], responses={200: CooperativeSerializer(many=True), **ERRORS}
    )
    def get(self, request):
        rule = StandingRule.now()
        page = self.paginate_queryset(register_search(_register_filters(request), rule=rule))
        self.newest(page)
        data = CooperativeSerializer([_api_record(r, rule) for r in page], many=True).data
        return self.get_paginated_response(data)


class CooperativeDetail(PublicView):
    """One cooperative by its shenasnameh: its public fields, its projects (not cancelled) and its festival awards."""

    serializer_class = CooperativeDetailSerializer

    @extend_schema(parameters=[LANG], responses={200: CooperativeDetailSerializer, 404: ERROR, **ERRORS})
    def get(self, request, shenasnameh: str):
        row = cooperative_public(shenasnameh)
        if row is None:
            raise NotFound(_("No cooperative has this shenasnameh."))
        rule = StandingRule.now()
        record = _api_record(row, rule)
        projects = cooperative_projects(row["id"])
        record["projects"] = [opendata.project_record(p) for p in projects]
        record["awards"] = [
            {k: a[k] for k in ("edition", "year", "category_fa", "category_en", "rank")}
            for a in public_awards([row["id"]])
        ]
        self.newest([row, *projects])
        return Response(CooperativeDetailSerializer(record).data)


# --- projects --------------------------------------------------------------------------------------------------------


class ProjectList(PublicView):
    """Projects of cooperatives (every stage but cancelled), public fields only, in the order of their id."""

    pagination_class = ProjectCursor
    serializer_class = ProjectSerializer
    params = ("province", "county", "sector", "stage", "cooperative")

    @extend_schema(
        parameters=[
            *PLACE_PARAMS,
            _param("stage", "Stage", enum=STAGES),
            _param("cooperative", "The cooperative's shenasnameh"),
            LANG,
            PAGE_SIZE,
        ],
        responses={200: ProjectSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        params = request.query_params
        try:
            places = register_filters({k: params.get(k) for k in ("province", "county", "sector")})
        except FilterError as exc:
            raise ParseError(str(exc)) from None
        qs = public_projects()
        if places.province:
            qs = qs.filter(county__province__code=places.province)
        if places.county:
            qs = qs.filter(county_id=places.county)
        if places.sector:
            qs = qs.filter(sector__code=places.sector)
        stage = (params.get("stage") or "").strip()
        if stage:
            if stage not in STAGES:
                raise ParseError(_("The stage “%(stage)s” is not known.") % {"stage": stage[:40]})
            qs = qs.filter(stage=stage)
        number = to_ascii_digits(params.get("cooperative") or "").strip()
        if number:
            if cooperative_public(number) is None:
                raise ParseError(
                    _("No cooperative has the shenasnameh “%(value)s”.") % {"value": number[:20]}
                )
            qs = qs.filter(cooperative__shenasnameh=number)
        page = self.paginate_queryset(qs)
        self.newest(page)
        return self.get_paginated_response(
            ProjectSerializer([opendata.project_record(r) for r in page], many=True).data
        )


# --- counts, places, sectors -----------------------------------------------------------------------------------------

_COUNT = {"count": serializers.IntegerField()}
COOPERATIVE_STATS = inline_serializer(
    "CooperativeStats",
    fields={
        "total": serializers.IntegerField(),
        "good_standing": serializers.IntegerField(),
        "by_province": inline_serializer(
            "CooperativeStatsByProvince",
            fields={
                "province_code": serializers.CharField(),
                "province_fa": serializers.CharField(),
                "province_en": serializers.CharField(),
                **_COUNT,
            },
            many=True,
        ),
        "by_county": inline_serializer(
            "CooperativeStatsByCounty",
            fields={
                "county_id": serializers.IntegerField(),
                "county_fa": serializers.CharField(),
                "county_en": serializers.CharField(),
                "province_code": serializers.CharField(),
                **_COUNT,
            },
            many=True,
        ),
        "by_sector": inline_serializer(
            "CooperativeStatsBySector",
            fields={
                "sector_code": serializers.CharField(),
                "sector_fa": serializers.CharField(),
                "sector_en": serializers.CharField(allow_null=True),
                **_COUNT,
            },
            many=True,
        ),
        "by_status": inline_serializer(
            "CooperativeStatsByStatus", fields={"status": serializers.CharField(), **_COUNT}, many=True
        ),
    },
)


class CooperativeStats(PublicView):
    """Counts of the register's cooperatives by province, county, sector and status (the same filters as the list)."""

    params = CooperativeList.params

    @extend_schema(parameters=REGISTER_PARAMS, responses={200: COOPERATIVE_STATS, **ERRORS})
    def get(self, request):
        filters = _register_filters(request)
        rule = StandingRule.now()
        rows = register_search(filters, rule=rule).order_by()

        def by(*keys):
            return [dict(r) for r in rows.values(*keys).annotate(count=Count("id")).order_by(*keys)]

        good = register_search(dataclasses.replace(filters, good_standing=True), rule=rule).order_by()
        if filters.good_standing is False:
            good = good.none()
        self.last_modified = rows.aggregate(newest=Max("updated_at"))["newest"]
        return Response(
            {
                "total": rows.count(),
                "good_standing": good.count(),
                "by_province": by("province_code", "province_fa", "province_en"),
                "by_county": by("county_id", "county_fa", "county_en", "province_code"),
                "by_sector": by("sector_code", "sector_fa", "sector_en"),
                "by_status": by("status"),
            }
        )


def _named(fields: dict | None = None):
    return {
        "name_fa": serializers.CharField(),
        "name_en": serializers.CharField(allow_null=True),
        **(fields or {}),
    }


PLACES = inline_serializer(
    "Province",
    fields=_named(
        {
            "code": serializers.CharField(help_text="ISO 3166-2"),
            "counties": inline_serializer(
                "County",
                fields=_named(
                    {
                        "id": serializers.IntegerField(),
                        "osm_relation": serializers.IntegerField(allow_null=True),
                        "wikidata": serializers.CharField(allow_null=True),
                    }
                ),
                many=True,
            ),
        }
    ),
    many=True,
)


class Places(PublicView):
    """Provinces (ISO 3166-2 codes) and their counties (ids the other endpoints filter by), names in fa and en.
    County names and identifiers: © OpenStreetMap contributors, ODbL."""

    @extend_schema(parameters=[LANG], responses={200: PLACES, **ERRORS})
    def get(self, request):
        from taavon.places.models import County, Province

        # jurisdiction: reference data (the country's provinces and counties), public
        provinces = list(
            Province.objects.order_by("code").values("id", "code", "name_fa", "name_en", "updated_at")
        )
        # jurisdiction: reference data, public
        counties = list(
            County.objects.order_by("name_fa").values(
                "id", "province_id", "name_fa", "name_en", "osm_relation", "wikidata", "updated_at"
            )
        )
        by_province = {p["id"]: [] for p in provinces}
        for c in counties:
            by_province[c["province_id"]].append(
                {
                    "id": c["id"],
                    "name_fa": c["name_fa"],
                    "name_en": c["name_en"],
                    "osm_relation": c["osm_relation"],
                    "wikidata": c["wikidata"] or None,
                }
            )
        self.newest([*provinces, *counties])
        return Response(
            [
                {
                    "code": p["code"],
                    "name_fa": p["name_fa"],
                    "name_en": p["name_en"],
                    "counties": by_province[p["id"]],
                }
                for p in provinces
            ]
        )


_CODED = inline_serializer("Coded", fields=_named({"code": serializers.CharField()}), many=True)
SECTORS = inline_serializer(
    "Sectors",
    fields={"sectors": _CODED, "types": _CODED, "statuses": _CODED, "stages": _CODED},
)


def _choices(choices) -> list[dict]:
    out = []
    for value in choices.values:
        with translation.override("fa"):
            fa = str(choices(value).label)
        with translation.override("en"):
            en = str(choices(value).label)
        out.append({"code": value, "name_fa": fa, "name_en": en})
    return out


class Sectors(PublicView):
    """The codes the other endpoints use: sectors, types of cooperative, statuses and project stages."""

    @extend_schema(parameters=[LANG], responses={200: SECTORS, **ERRORS})
    def get(self, request):
        from taavon.registry.models import CooperativeType, Sector, Status

        keys = ("code", "name_fa", "name_en", "updated_at")
        # jurisdiction: reference data (the registry's lists), public
        sectors = list(Sector.objects.values(*keys))
        # jurisdiction: reference data, public
        types = list(CooperativeType.objects.values(*keys))
        self.newest(sectors + types)
        return Response(
            {
                "sectors": [{k: s[k] for k in keys[:3]} for s in sectors],
                "types": [{k: t[k] for k in keys[:3]} for t in types],
                "statuses": _choices(Status),
                "stages": [s for s in _choices(Stage) if s["code"] != Stage.CANCELLED],
            }
        )


class Root(PublicView):
    """What the API offers: its endpoints, the schema, the docs and the bulk downloads (absolute addresses)."""

    @extend_schema(
        parameters=[LANG],
        responses={
            200: inline_serializer("ApiRoot", fields={"endpoints": serializers.DictField()}),
            **ERRORS,
        },
    )
    def get(self, request):
        from django.urls import reverse

        names = {
            "cooperatives": "api-cooperatives",
            "projects": "api-projects",
            "stats_projects": "api-stats-projects",
            "stats_cooperatives": "api-stats-cooperatives",
            "places": "api-places",
            "sectors": "api-sectors",
            "schema": "api-schema",
            "docs": "api-docs",
            "bulk_downloads": "public:opendata",
        }
        return Response({"endpoints": {k: request.build_absolute_uri(reverse(v)) for k, v in names.items()}})


# --- the human docs page ---------------------------------------------------------------------------------------------


@require_GET
def api_docs(request):
    """Swagger UI over /api/v1/schema/, from drf-spectacular-sidecar's static files (no inline script: CSP)."""
    return render(request, "public/api_docs.html")
