"""The inspector's offline app: what a device caches (the user's plan, the cooperatives of their jurisdiction, the
officers who may own an action, the choice lists, the open findings a re-visit must see) and how a report sent from
the device is read before `services.visit_report` takes it. Every read goes through `for_user`; nothing here holds
national codes or phone numbers."""

import datetime
import json
import re
import uuid

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import counties_for, scope_of
from taavon.accounts.models import Role, User
from taavon.registry.models import Cooperative, Status
from taavon.visits.models import (
    Finding,
    FindingCategory,
    FindingStatus,
    Owner,
    Severity,
    UnitState,
    Visit,
    VisitStatus,
)

PLAN_DAYS_BEFORE = 7  # a visit planned last week may still be reported
PLAN_DAYS_AFTER = 42  # the coming six weeks
MAX_REPORT_CHARS = 200_000
MAX_TEXT = 10_000
PHOTO_FIELD = re.compile(r"^photo(\d{1,2})$")


def _person(u: User) -> str:
    return u.get_full_name() or u.username


def field_data(*, user, today: datetime.date | None = None) -> dict:
    """Everything the device keeps to work without a network (a handful of queries, whatever the numbers)."""
    today = today or timezone.localdate()
    last_visit = (
        # jurisdiction: a subquery of the cooperatives read below through Cooperative.objects.for_user
        Visit.objects.filter(cooperative=OuterRef("pk"), status=VisitStatus.REPORTED)
        .order_by("-visited_on", "-id")
        .values("id")[:1]
    )
    coops = list(
        Cooperative.objects.for_user(user)
        .exclude(status=Status.DISSOLVED)
        .select_related("county")
        .only("id", "version", "name", "shenasnameh", "county__id", "county__name_fa", "county__name_en")
        .annotate(last_visit_id=Subquery(last_visit))
        .order_by("name_key", "id")
    )
    last_ids = [c.last_visit_id for c in coops if c.last_visit_id]
    findings: dict[int, list[dict]] = {}
    if last_ids:
        for f in (
            Finding.objects.for_user(user)
            .filter(visit_id__in=last_ids, status=FindingStatus.OPEN)
            .select_related("visit")
            .order_by("id")
        ):
            findings.setdefault(f.visit.cooperative_id, []).append(
                {
                    "id": f.pk,
                    "category": f.category,
                    "severity": f.severity,
                    "description": f.description,
                    "opened_on": f.opened_on.isoformat(),
                }
            )
    plan = (
        Visit.objects.for_user(user)
        .filter(
            status=VisitStatus.PLANNED,
            inspectors=user,
            planned_on__range=(
                today - datetime.timedelta(days=PLAN_DAYS_BEFORE),
                today + datetime.timedelta(days=PLAN_DAYS_AFTER),
            ),
        )
        .select_related("cooperative", "purpose")
        .prefetch_related(Prefetch("inspectors", queryset=User.objects.order_by("last_name", "first_name")))
        .order_by("planned_on", "id")
    )
    return {
        "generated_at": timezone.now().isoformat(),
        "today": today.isoformat(),
        "user": {"id": user.pk, "name": _person(user)},
        "plan": [
            {
                "id": v.pk,
                "version": v.version,
                "cooperative": v.cooperative_id,
                "cooperative_name": v.cooperative.name,
                "date": v.planned_on.isoformat(),
                "purpose": v.purpose.name,
                "note": v.plan_note,
                "inspectors": [_person(u) for u in v.inspectors.all()],
            }
            for v in plan
        ],
        "cooperatives": [
            {
                "id": c.pk,
                "version": c.version,
                "name": c.name,
                "shenasnameh": c.shenasnameh,
                "county": c.county_id,
                "county_name": c.county.name,
                "open_findings": findings.get(c.pk, []),
            }
            for c in coops
        ],
        "officers": _officers(user, {c.county_id for c in coops}),
        "choices": {
            "unit_state": _choices(UnitState),
            "category": _choices(FindingCategory),
            "severity": _choices(Severity),
            "owner": _choices(Owner),
        },
    }


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in choices.choices]


def _officers(user, county_ids: set[int]) -> list[dict]:
    """The staff who may own an action in these counties (the service accepts the same ones): each with the
    counties (of these) where they may; one query."""
    if not county_ids:
        return []
    candidates = (
        User.objects.filter(is_active=True, role__in=[Role.COUNTY, Role.PROVINCIAL, Role.ADMIN])
        .filter(Q(county_id__in=county_ids) | Q(county__isnull=True))
        .order_by("last_name", "first_name", "username")
    )
    provinces = dict(counties_for(user).filter(pk__in=county_ids).values_list("pk", "province_id"))
    out = []
    for u in candidates:
        scope = scope_of(u)
        where = sorted(pk for pk, province in provinces.items() if scope.covers_county(pk, province))
        if where:
            out.append({"id": u.pk, "name": _person(u), "counties": where})
    return out


# --- a report sent from the device -------------------------------------------------------------------------------


class BadReport(Exception):
    """The report could not be read (not JSON, not the expected shape): {field: [messages]}."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _text(value, limit: int = MAX_TEXT) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value)[:limit]


def _int_or_none(value):
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _scalar(value):
    """A number or text as sent (the service checks it), anything else as missing."""
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        return None
    return value if value is None or isinstance(value, (int, float)) else _text(value, 40)


def _iso_date(value):
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def parse_report(raw: str | None) -> dict:
    """The `report` field of the sync request as the keyword arguments of the service (the cooperative and visit as
    ids still: the view looks them up in the user's jurisdiction). BadReport when it cannot be read."""
    if not raw:
        raise BadReport({"report": [_("The report is empty.")]})
    if len(raw) > MAX_REPORT_CHARS:
        raise BadReport({"report": [_("The report is too long.")]})
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadReport({"report": [_("The report could not be read.")]}) from None
    if not isinstance(data, dict):
        raise BadReport({"report": [_("The report could not be read.")]})
    client_id = _text(data.get("client_id"), 64).strip()
    try:
        uuid.UUID(client_id)
    except ValueError:
        raise BadReport({"client_id": [_("The report's id is not valid.")]}) from None
    cooperative = _int_or_none(data.get("cooperative"))
    if cooperative is None:
        raise BadReport({"cooperative": [_("Choose the cooperative.")]})
    findings = data.get("findings") or []
    if not isinstance(findings, list):
        raise BadReport({"findings": [_("The report could not be read.")]})
    clean_findings = []
    for f in findings[:100]:
        if not isinstance(f, dict):
            raise BadReport({"findings": [_("The report could not be read.")]})
        actions = f.get("actions") or []
        if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
            raise BadReport({"findings": [_("The report could not be read.")]})
        clean_findings.append(
            {
                "category": _text(f.get("category"), 40),
                "severity": _text(f.get("severity"), 40),
                "description": _text(f.get("description")),
                "actions": [
                    {
                        "what": _text(a.get("what"), 1000),
                        "owner": _text(a.get("owner"), 40),
                        "officer": _int_or_none(a.get("officer")),
                        "agency": _text(a.get("agency"), 1000),
                        "due_on": _iso_date(a.get("due_on")),
                    }
                    for a in actions[:100]
                ],
            }
        )
    visit = _int_or_none(data.get("visit"))
    if visit is None and data.get("visit") not in (None, ""):
        raise BadReport({"visit": [_("The planned visit could not be read.")]})
    return {
        "client_id": client_id,
        "cooperative": cooperative,
        "visit": visit,
        "visited_on": _iso_date(data.get("visited_on")),
        "unit_state": _text(data.get("unit_state"), 40),
        "workers_women": _scalar(data.get("workers_women")),
        "workers_men": _scalar(data.get("workers_men")),
        "latitude": _scalar(data.get("latitude")),
        "longitude": _scalar(data.get("longitude")),
        "accuracy": _scalar(data.get("accuracy")),
        "summary": _text(data.get("summary")),
        "findings": clean_findings,
        "seen_cooperative_version": _int_or_none(data.get("seen_cooperative_version")),
        "seen_visit_version": _int_or_none(data.get("seen_visit_version")),
    }


def report_photos(files) -> list:
    """The photos of the request in their order (photo0, photo1, ...)."""
    found = []
    for key in files:
        m = PHOTO_FIELD.match(key)
        if m:
            found.append((int(m.group(1)), files[key]))
    return [f for _i, f in sorted(found, key=lambda pair: pair[0])]


def report_cooperative(*, user, pk: int) -> Cooperative:
    """The report's cooperative, in the user's jurisdiction (Cooperative.DoesNotExist otherwise)."""
    return Cooperative.objects.for_user(user).select_related("county", "county__province").get(pk=pk)


def report_visit(*, user, pk: int) -> Visit:
    return Visit.objects.for_user(user).get(pk=pk)
