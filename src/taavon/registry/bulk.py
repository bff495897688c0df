"""Registering many cooperatives at once (imports): every rule of one-by-one registration, checked for every row with
a fixed number of queries; numbers issued in one locked step; rows, history rows and status rows written with
executemany. And the undo of such an import: the records removed in chunks, each leaving its "deleted" history row.

docs/decisions (0005) tells what made this fast at 100,000 rows."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import ensure_can_change_in, scope_of
from taavon.accounts.models import User
from taavon.core.bulk import SimpleNamespace, insert_many
from taavon.core.formatting import digits
from taavon.core.history import history_now
from taavon.persian import jalali_year, search_key
from taavon.persian.collation import name_sort_key
from taavon.registry import summary
from taavon.registry.models import Cooperative, ShenasnamehSequence, Status, StatusChange
from taavon.registry.search import fts_deferred
from taavon.registry.services import cooperative_field_errors


@transaction.atomic
def cooperatives_register_many(
    *,
    acting_user: User,
    rows: list[dict],
    reason: str = "ورود از فایل",
    batch_size: int = 2000,
    validated: dict | None = None,
    prepared: list[Cooperative] | None = None,
) -> list[Cooperative]:
    """Register many cooperatives at once (imports): the same rules as cooperative_register, checked for every row
    (uniqueness against the database and within the rows), numbers issued in one locked step, rows and their audit
    history written in bulk. Each row is the fields of cooperative_register plus "status". All or nothing.
    `validated`: the result of cooperatives_validate_many for these very rows in this transaction, when the
    caller already has it (so it is not computed twice)."""
    counties = {}
    for row in rows:
        counties[row["county"].id] = row["county"]
    for county in counties.values():
        ensure_can_change_in(acting_user, county)
    errors = validated if validated is not None else cooperatives_validate_many(rows, acting_user=acting_user)
    if errors:
        raise ValidationError(
            {f"row {i}": [f"{k}: {' '.join(v)}" for k, v in e.items()] for i, e in errors.items()}
        )
    year = jalali_year(timezone.localdate())
    now = timezone.now()
    provinces = {c.province_id: c.province for c in counties.values()}
    counts = Counter(row["county"].province_id for row in rows)
    next_number = {}
    for province_id, n in counts.items():
        seq, _ = ShenasnamehSequence.objects.get_or_create(province=provinces[province_id], jalali_year=year)
        seq = ShenasnamehSequence.objects.select_for_update().get(pk=seq.pk)
        next_number[province_id] = seq.last + 1
        seq.last += n
        seq.save(update_fields=["last"])
    prefix = {pid: f"{p.number}-{year}-" for pid, p in provinces.items()}
    coops = []
    template = [f.get_default() for f in _CONCRETE]
    plain = _plain_init()
    built = prepared if prepared is not None and len(prepared) == len(rows) else None
    for i, row in enumerate(rows):  # in the rows' order
        province_id = row["county"].province_id
        if built is not None:
            coop = built[i]
        else:
            coop = _build(row, template, plain)
        coop.status = row.get("status") or Status.UNKNOWN
        coop.status_changed_at = now if coop.status != Status.UNKNOWN else None
        coop.created_at = coop.updated_at = now
        coop.shenasnameh = f"{prefix[province_id]}{next_number[province_id]:05d}"
        next_number[province_id] += 1
        coops.append(coop)
    floor = Cooperative.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with fts_deferred():
        insert_many(Cooperative, coops, batch_size)
    summary.counts_add(coops)
    ids = dict(Cooperative.objects.filter(pk__gt=floor).values_list("shenasnameh", "pk"))
    for coop in coops:
        coop.pk = ids[coop.shenasnameh]
        coop._state.adding = False
    history_model = Cooperative.history.model
    extra = {
        "history_date": history_now(),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": acting_user.pk,
    }
    insert_many(history_model, coops, batch_size, extra=extra)
    changes = [
        SimpleNamespace(
            cooperative_id=c.pk,
            from_status=Status.UNKNOWN,
            to_status=c.status,
            reason=reason,
            evidence="",
            changed_by_id=acting_user.pk,
            changed_at=now,
            effective_date=None,
        )
        for c in coops
        if c.status != Status.UNKNOWN
    ]
    insert_many(StatusChange, changes, batch_size)
    return coops


_CONCRETE = Cooperative._meta.concrete_fields
# the fields a row may give: position among the values, whether it is a relation
_SLOTS = {
    f.name: (i, f.is_relation)
    for i, f in enumerate(_CONCRETE)
    if f.name not in ("id", "shenasnameh", "name_key", "name_sort")
}
_ATTNAMES = [f.attname for f in _CONCRETE]


def _plain_init() -> bool:
    """True when nothing listens to a new record being made (an ImageField or an app would): its values can then
    be set directly, as Model.__init__ would set them, without its per-field work (5× faster)."""
    return not (signals.pre_init.has_listeners(Cooperative) or signals.post_init.has_listeners(Cooperative))


# resolved objects, or set later: not checked field by field here
NO_CHECK = {
    "type",
    "sector",
    "activity",
    "county",
    "shenasnameh",
    "name_key",
    "name_sort",
    "id",
    "created_at",
    "updated_at",
}
_CHECKED = {f.name: f for f in _CONCRETE if f.name not in NO_CHECK and f.name != "status"}  # status: below
# values unique to a record: their checks are not worth remembering
_UNCACHED = {"name", "address", "notes", "legal_id", "registration_number", "phone", "postal_code"}
STATUS_VALUES = frozenset(Status.values)


def _build(row: dict, template: list, plain: bool = False) -> Cooperative:
    """A new, unsaved record from the fields of one row (positional values; with `plain`, set directly: many times
    faster than keyword arguments, which matters at 100,000 rows). Related objects stay cached on it."""
    values = template.copy()
    related = []
    for name, value in row.items():
        slot = _SLOTS.get(name)
        if slot is None:
            if name == "status":
                continue
            raise TypeError(f"unknown field: {name}")
        position, relation = slot
        if relation and value is not None:
            values[position] = value.pk
            related.append((name, value))
        else:
            values[position] = value
    if plain:
        coop = Cooperative.__new__(Cooperative)
        coop.__dict__.update(zip(_ATTNAMES, values, strict=True))
        coop._state = ModelState()
    else:
        coop = Cooperative(*values)
    cache = coop._state.fields_cache
    for name, value in related:
        cache[name] = value
    coop.legal_id = coop.legal_id or None
    coop.name_key = search_key(coop.name or "")
    coop.name_sort = name_sort_key(coop.name)
    return coop


def _clean_field(field, value, coop: Cooperative, memo: dict) -> list[str]:
    """The field's own checks (type, length, validators) for one value, as Django's clean_fields runs them;
    the result for a repeated value (dates, amounts, counts) is remembered."""
    key = (field.attname, type(value), value) if field.name not in _UNCACHED else None
    if key is not None and key in memo:
        cleaned, messages = memo[key]
    else:
        try:
            cleaned, messages = field.clean(value, coop), []
        except ValidationError as exc:
            cleaned, messages = value, exc.messages
        if key is not None:
            memo[key] = (cleaned, messages)
    if cleaned is not value and not messages:
        setattr(coop, field.attname, cleaned)
    return messages


def cooperatives_validate_many(
    rows: list[dict],
    *,
    acting_user: User,
    built: list[Cooperative] | None = None,
    numbers: list[int] | None = None,
) -> dict[int, dict[str, list[str]]]:
    """Every rule of registration for many new records at once, with a fixed number of queries:
    field validators, rules across fields, unique legal ID and unique name in the county (in the database and
    among the rows). Returns {row index: {field: [messages]}} for the rows in error. `numbers`: the rows' numbers
    as the user knows them (a spreadsheet's row numbers), for the messages that name another row."""
    number = numbers.__getitem__ if numbers is not None else (lambda i: i + 1)
    errors: dict[int, dict[str, list[str]]] = {}
    legal_ids = {r.get("legal_id") for r in rows if r.get("legal_id")}
    # a legal ID taken by a cooperative the user may not see: refused without naming it
    scope = scope_of(acting_user)
    taken_ids = {
        legal_id: name if scope.covers_county(county_id, province_id) else None
        for legal_id, name, county_id, province_id in (
            Cooperative.objects.filter(legal_id__in=legal_ids).values_list(
                "legal_id", "name", "county_id", "county__province_id"
            )
            if legal_ids
            else []
        )
    }
    counties = {r["county"].pk for r in rows}
    taken_names = set(Cooperative.objects.filter(county_id__in=counties).values_list("county_id", "name_key"))
    seen_ids: dict[str, int] = {}
    seen_names: dict[tuple, int] = {}
    template = [f.get_default() for f in _CONCRETE]
    plain = _plain_init()
    today = timezone.localdate()
    memo: dict = {}
    for i, row in enumerate(rows):
        coop = _build(row, template, plain)
        if built is not None:
            built.append(coop)  # the caller may register these very objects (cooperatives_register_many)
        e: dict[str, list[str]] = {}
        # only the fields the row has: the others keep their defaults, which are valid
        for name, value in row.items():
            f = _CHECKED.get(name)
            if f is None or value is None or value == "" or value == 0:
                continue
            messages = _clean_field(f, value, coop, memo)
            if messages:
                e[name] = list(messages)
        for k, v in cooperative_field_errors(coop, today=today).items():
            e.setdefault(k, []).extend(v)
        if row.get("status") and row["status"] not in STATUS_VALUES:
            e.setdefault("status", []).append(_("The status is not valid."))
        if coop.legal_id:
            if coop.legal_id in taken_ids:
                owner = taken_ids[coop.legal_id]
                e.setdefault("legal_id", []).append(
                    _("This national ID is already registered to “%(name)s”.") % {"name": owner}
                    if owner
                    else _("This national ID is already registered to another cooperative.")
                )
            elif coop.legal_id in seen_ids:
                e.setdefault("legal_id", []).append(
                    _("This national ID also appears in another row of this file (%(row)s).")
                    % {"row": digits(number(seen_ids[coop.legal_id]))}
                )
            seen_ids.setdefault(coop.legal_id, i)
        key = (coop.county_id, coop.name_key)
        if key in taken_names:
            e.setdefault("name", []).append(
                _("A cooperative with this name is already registered in this county.")
            )
        elif key in seen_names:
            e.setdefault("name", []).append(
                _("The same name also appears in another row of this file (%(row)s).")
                % {"row": digits(number(seen_names[key]))}
            )
        seen_names.setdefault(key, i)
        if e:
            errors[i] = e
    return errors


@transaction.atomic
def cooperatives_delete_imported(
    *, acting_user: User, cooperatives: list[Cooperative], reason: str, chunk: int = 1000
) -> None:
    """Remove records an import created (undo), all or nothing: refused when anything hangs on one of them
    (projects, members...). In chunks, each a few queries; every record leaves its "deleted" history row with the
    acting user and the reason."""
    from django.db.models import ProtectedError, RestrictedError
    from django.db.models.deletion import Collector

    ids = [c.pk for c in cooperatives]
    for start in range(0, len(ids), chunk):
        coops = list(
            Cooperative.objects.select_for_update()
            .select_related("county")
            .filter(pk__in=ids[start : start + chunk])
        )
        for county in {c.county_id: c.county for c in coops}.values():
            ensure_can_change_in(acting_user, county)
        for coop in coops:
            coop.skip_history_when_saving = True  # the "deleted" history rows are written below, in bulk
        collector = Collector(using=Cooperative.objects.db, origin=coops)
        try:
            collector.collect(coops)
        except (ProtectedError, RestrictedError) as exc:
            blocking = next(iter(getattr(exc, "protected_objects", None) or exc.restricted_objects), None)
            owner = getattr(blocking, "cooperative", None) or blocking
            raise ValidationError(
                _("“%(record)s” has had other records added since the import and cannot be removed.")
                % {"record": owner}
            ) from exc
        extra = {
            "history_date": history_now(),
            "history_change_reason": reason,
            "history_type": "-",
            "history_user_id": acting_user.pk,
        }
        insert_many(Cooperative.history.model, coops, chunk, extra=extra)
        summary.counts_remove(coops)
        collector.delete()
