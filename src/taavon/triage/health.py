"""Record health: how complete and how fresh a cooperative's identity record is — which required facts are missing and
which are older than their update cycle — so staff know which records to bring up to date first (the seed's «تشکیل
شناسنامه برای تعاونی‌های فعال»).

Freshness is read from the record's own history (Cooperative.history): a group of fields (contact details, the member
counts, the capital) was last updated by the latest history row in which one of its values changed — one query over
the history table for every cooperative scored (a window over each record's versions), never one per cooperative.
The board is fresh while its term runs (board_term_end); the annual return while the last due fiscal year's return
is filed (triage.rules.last_due_fiscal_year, the records members contributes as FACTS of kind "return").

The cycles are settings (RuleSetting rows of kind "health", months), with their defaults here; an administrator
changes them on the rules' page through `health_cycle_change` (one transaction, history with the acting user).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from taavon.accounts.jurisdiction import is_admin
from taavon.accounts.models import User
from taavon.core.contributions import FACTS
from taavon.core.formatting import date as show_date
from taavon.core.formatting import digits, number
from taavon.persian import to_gregorian
from taavon.registry.models import Cooperative
from taavon.triage.models import MAX_THRESHOLD, RuleSetting, SettingKind
from taavon.triage.rules import last_due_fiscal_year, months_before, months_between

# --- the required facts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Required:
    code: str
    label: object  # lazy: named in the reader's language
    missing: object  # (cooperative) → bool


def _blank(name):
    return lambda c: not (getattr(c, name) or "").strip()


REQUIRED = (
    Required("legal_id", gettext_lazy("national ID"), _blank("legal_id")),
    Required("registration_number", gettext_lazy("registration number"), _blank("registration_number")),
    Required("registration_date", gettext_lazy("registration date"), lambda c: c.registration_date is None),
    Required("activity", gettext_lazy("activity"), lambda c: c.activity_id is None),
    Required("address", gettext_lazy("address"), _blank("address")),
    Required("postal_code", gettext_lazy("postal code"), _blank("postal_code")),
    Required("phone", gettext_lazy("phone"), _blank("phone")),
    Required("members", gettext_lazy("number of members"), lambda c: c.members_women + c.members_men == 0),
    Required(
        "capital",
        gettext_lazy("capital"),
        lambda c: c.capital_registered_rial == 0 and c.capital_paid_rial == 0,
    ),
    Required("board_term_end", gettext_lazy("end of the board's term"), lambda c: c.board_term_end is None),
    Required(
        "last_general_assembly",
        gettext_lazy("date of the last general assembly"),
        lambda c: c.last_general_assembly is None,
    ),
)

# --- the update cycles ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    """A group of the record's fields that must be updated every `default_months` (a setting)."""

    code: str  # the RuleSetting code
    label: object  # lazy: what must be brought up to date
    fields: tuple[str, ...]
    default_months: int


CYCLES = (
    Cycle("health_contact", gettext_lazy("contact details"), ("address", "postal_code", "phone"), 24),
    Cycle("health_members", gettext_lazy("member list"), ("members_women", "members_men"), 12),
    Cycle(
        "health_capital",
        gettext_lazy("capital"),
        ("capital_registered_rial", "capital_paid_rial"),
        12,
    ),
)
CYCLE_CODES = {c.code: c for c in CYCLES}
BOARD = "board"
RETURN = "return"
BOARD_LABEL = gettext_lazy("board of directors")
RETURN_LABEL = gettext_lazy("annual return")
# the fields a score reads (the list loads only these)
FIELDS = (
    "id",
    "shenasnameh",
    "name",
    "name_key",
    "status",
    "county",
    "sector",
    "activity",
    "legal_id",
    "registration_number",
    "registration_date",
    "address",
    "postal_code",
    "phone",
    "members_women",
    "members_men",
    "capital_registered_rial",
    "capital_paid_rial",
    "board_term_end",
    "last_general_assembly",
    "created_at",
)


def health_cycles() -> dict[str, int]:
    """Each cycle's months: an administrator's setting, else the default."""
    rows = dict(
        RuleSetting.objects.filter(kind=SettingKind.HEALTH, code__in=CYCLE_CODES).values_list(
            "code", "threshold"
        )
    )
    return {c.code: rows.get(c.code) or c.default_months for c in CYCLES}


def health_cycle_change(*, acting_user: User, code: str, months: int | None, reason: str = "") -> RuleSetting:
    """An administrator changes a freshness cycle (months). Negative or absurd values are refused, nothing saved."""
    if not is_admin(acting_user):
        raise PermissionDenied(_("Only an administrator changes the record-health cycles."))
    if code not in CYCLE_CODES:
        raise ValidationError({"code": [_("There is no such cycle.")]})
    if months is None or months < 1 or months > MAX_THRESHOLD:
        raise ValidationError(
            {
                "months": [
                    _("The cycle must be a whole number of months from 1 to %(max)s.")
                    % {"max": number(MAX_THRESHOLD)}
                ]
            }
        )
    with transaction.atomic():
        # one history row per change, naming the administrator (the first change creates the row)
        row = RuleSetting.objects.select_for_update().filter(code=code).first() or RuleSetting(code=code)
        row.kind, row.enabled, row.threshold, row.weight = SettingKind.HEALTH, True, months, 0
        row._history_user = acting_user
        row._change_reason = reason or "settings"
        row.full_clean()
        row.save()
    return row


# --- a record's health --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A missing fact (`kind` "missing") or one older than its cycle ("stale"), named in the reader's language."""

    kind: str
    code: str
    label: object
    since: datetime.date | None = None  # stale: when it was last updated (the board: when its term ended)
    months: int | None = None  # stale: the cycle
    fiscal_year: int | None = None  # the annual return
    today: datetime.date | None = None

    @property
    def missing(self) -> bool:
        return self.kind == "missing"

    def text(self) -> str:
        return capfirst(self._text())

    def _text(self) -> str:
        if self.kind == "missing":
            return _("%(what)s is missing") % {"what": self.label}
        if self.code == BOARD:
            return _("The board's term ended on %(date)s; a new board is due") % {
                "date": show_date(self.since)
            }
        if self.code == RETURN:
            return _("The annual return of fiscal year %(year)s is missing") % {
                "year": digits(self.fiscal_year)
            }
        return _("%(what)s last updated %(date)s, %(ago)s ago (to be updated every %(cycle)s)") % {
            "what": self.label,
            "date": show_date(self.since),
            "ago": _months(months_between(self.since, self.today)),
            "cycle": _months(self.months),
        }


def _months(n: int) -> str:
    return ngettext("%(count)s month", "%(count)s months", n) % {"count": number(n)}


@dataclass
class Health:
    cooperative_id: int
    checks: int  # how many facts were checked (required facts and cycles)
    gaps: list[Gap] = field(default_factory=list)

    @property
    def missing(self) -> list[Gap]:
        return [g for g in self.gaps if g.kind == "missing"]

    @property
    def stale(self) -> list[Gap]:
        return [g for g in self.gaps if g.kind == "stale"]

    @property
    def score(self) -> int:
        """0–100: the share of the facts checked that are present and up to date."""
        return round(100 * (self.checks - len(self.gaps)) / self.checks) if self.checks else 100

    @property
    def completeness(self) -> int:
        return round(100 * (len(REQUIRED) - len(self.missing)) / len(REQUIRED))

    @property
    def level(self) -> str:
        return "good" if self.score >= 85 else "fair" if self.score >= 60 else "poor"


def _as_date(value) -> datetime.date | None:
    """A history date as the database returns it from an aggregate (a datetime, or text on SQLite), as a local date."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
        if value is None:
            return None
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        return timezone.localdate(value)
    return value


def last_changes(cooperatives) -> dict[int, dict[str, datetime.date]]:
    """{cooperative_id: {cycle code: the date of the latest history row in which a field of the cycle changed}} for
    the cooperatives (a queryset): one query, a window over each record's versions. The first version (the record's
    creation) counts as a change."""
    history = Cooperative.history.model
    qn = connection.ops.quote_name

    def col(name):
        return qn(history._meta.get_field(name).column)

    pk, moment, version = col("id"), col("history_date"), col("history_id")
    lags, changed = [f"LAG({version}) OVER w AS prev_version"], []
    for i, cycle in enumerate(CYCLES):
        conditions = ["prev_version IS NULL"]
        for j, name in enumerate(cycle.fields):
            lags.append(f"LAG({col(name)}) OVER w AS prev_{i}_{j}")
            conditions.append(f"{col(name)} <> prev_{i}_{j}")
        changed.append(f"MAX(CASE WHEN {' OR '.join(conditions)} THEN {moment} END)")
    columns = ", ".join([pk, moment, version] + [col(n) for c in CYCLES for n in c.fields])
    ids_sql, ids_params = cooperatives.order_by().values("id").query.sql_with_params()
    sql = (
        f"SELECT {pk}, {', '.join(changed)} FROM ("
        f"SELECT {columns}, {', '.join(lags)} FROM {qn(history._meta.db_table)} WHERE {pk} IN ({ids_sql}) "
        f"WINDOW w AS (PARTITION BY {pk} ORDER BY {moment}, {version})"
        f") versions GROUP BY {pk}"
    )
    out = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, ids_params)
        for row in cursor.fetchall():
            out[row[0]] = {cycle.code: _as_date(value) for cycle, value in zip(CYCLES, row[1:], strict=True)}
    return out


def _returns_due(cooperatives, today: datetime.date) -> tuple[int | None, set[int]]:
    """The last due fiscal year, and the cooperatives that filed its return (None: no capability records returns)."""
    sources = [fact for fact in FACTS.values() if fact.kind == "return"]
    if not sources:
        return None, set()
    year = last_due_fiscal_year(today)
    ids = cooperatives.order_by().values("id")
    filed = set()
    for fact in sources:
        filed.update(row[0] for row in fact.rows(ids) if row[1] == year)
    return year, filed


def _gaps(coop, *, cycles, changed, return_year, filed, today) -> Health:
    health = Health(coop.pk, checks=len(REQUIRED) + len(CYCLES) + 1 + (return_year is not None))
    for fact in REQUIRED:
        if fact.missing(coop):
            health.gaps.append(Gap("missing", fact.code, fact.label))
    for cycle in CYCLES:
        if not any(getattr(coop, name) for name in cycle.fields):
            continue  # nothing recorded: named among the missing facts
        months = cycles[cycle.code]
        last = changed.get(cycle.code) or timezone.localdate(coop.created_at)
        if last < months_before(today, months):
            health.gaps.append(Gap("stale", cycle.code, cycle.label, since=last, months=months, today=today))
    if coop.board_term_end and coop.board_term_end < today:
        health.gaps.append(Gap("stale", BOARD, BOARD_LABEL, since=coop.board_term_end, today=today))
    if return_year is not None and coop.pk not in filed:
        # a cooperative registered after the fiscal year began owes nothing for it (as the rule reads it)
        if coop.registration_date is None or coop.registration_date < to_gregorian(return_year, 1, 1):
            health.gaps.append(Gap("stale", RETURN, RETURN_LABEL, fiscal_year=return_year, today=today))
    return health


def health_of(cooperatives, *, today: datetime.date | None = None) -> dict[int, Health]:
    """Each cooperative's health (a queryset of cooperatives, already limited to the reader's jurisdiction): four
    queries, whatever their number."""
    today = today or timezone.localdate()
    return _score(list(cooperatives.only(*FIELDS)), cooperatives, today)


def cooperative_health(
    cooperative: Cooperative, *, today: datetime.date | None = None, loaded: bool = False
) -> Health:
    """One record's health (its record section). `loaded`: the instance was just read whole (the record page's),
    scored as it is rather than read again."""
    # jurisdiction: the cooperative the record page already found for this user
    queryset = Cooperative.objects.filter(pk=cooperative.pk)
    if loaded:
        return _score([cooperative], queryset, today or timezone.localdate())[cooperative.pk]
    return health_of(queryset, today=today)[cooperative.pk]


def ranked(cooperatives, *, today: datetime.date | None = None) -> list[tuple[Cooperative, Health]]:
    """The cooperatives (a queryset, already limited to the reader's jurisdiction) that most need updating first:
    lowest score, then most gaps, then name. Five queries, whatever their number."""
    today = today or timezone.localdate()
    coops = list(
        cooperatives.select_related("county", "sector").only(
            *FIELDS, "county__name_fa", "county__name_en", "sector__name_fa", "sector__name_en"
        )
    )
    scores = _score(coops, cooperatives, today)
    rows = [(c, scores[c.pk]) for c in coops]
    rows.sort(key=lambda r: (r[1].score, -len(r[1].gaps), r[0].name_key, r[0].pk))
    return rows


def _score(coops: list[Cooperative], queryset, today: datetime.date) -> dict[int, Health]:
    cycles = health_cycles()
    changes = last_changes(queryset)
    return_year, filed = _returns_due(queryset, today)
    return {
        c.pk: _gaps(
            c, cycles=cycles, changed=changes.get(c.pk, {}), return_year=return_year, filed=filed, today=today
        )
        for c in coops
    }
