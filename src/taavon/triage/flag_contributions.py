"""The flagged list's and record health's contributions: the cooperative's record shows its raised flags with their
explanations, and its health (completeness and freshness, each gap named); `taavon export flagged`."""

from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import is_staff
from taavon.core.contributions import EXPORT_KINDS, RECORD_SECTIONS, ExportKind, Section


def _staff(user, obj) -> bool:
    return is_staff(user)


def _record_flags(request, coop, present) -> dict:
    from taavon.triage.flag_selectors import record_flags, shown_flags

    if not present["flags"]:
        return {"flags": [], "score": 0}
    # the record's case (opened, or to open) is the cases' section
    flags = shown_flags(record_flags(user=request.user, cooperative=coop))
    return {"flags": flags, "score": sum(f.weight for f in flags)}


def _record_health(request, coop) -> dict:
    from taavon.triage.health import cooperative_health

    # the page's cooperative was just read whole: not read again
    return {"health": cooperative_health(coop, loaded=True)}


def _export_rows(*, province=None):
    from taavon.places.models import Province
    from taavon.triage.flag_selectors import flagged_export_list

    if province and not Province.objects.filter(code=province.upper()).exists():
        raise ValueError(f"unknown province {province!r}")
    qs = flagged_export_list(province_code=province)
    return qs.iterator(chunk_size=2000), qs.count()


def register() -> None:
    from taavon.triage import exports

    RECORD_SECTIONS.register(
        Section(
            key="triage_flags",
            title=_("Early warnings"),
            template="triage/_record_flags.html",
            context=_record_flags,
            order=5,
            visible=_staff,
            # any flag, raised or cleared: a yes reads the raised ones
            exists={"flags": ("triage.Flag", "cooperative")},
        )
    )
    RECORD_SECTIONS.register(
        Section(
            key="record_health",
            title=_("Record health"),
            template="triage/_record_health.html",
            context=_record_health,
            order=6,
            visible=_staff,
        )
    )
    EXPORT_KINDS.register(
        ExportKind(
            code="flagged",
            label=_("Flagged cooperatives"),
            columns=exports.COLUMNS,
            rows=_export_rows,
            sheet=_("Flagged cooperatives"),
        )
    )
