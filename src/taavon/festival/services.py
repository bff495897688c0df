"""The festival's editions and their weights: creating an edition with its criteria (festival.defaults), setting a
category's weights (they sum to 100%). The other writes live beside their rules: candidates.py (applications,
nominations, eligibility), stage1.py (computed scores), jury.py (assignments, conflicts, scores, the lock),
results.py (ranking, publishing), appeals.py. Each `(*, acting_user, ...)`, one transaction, an audit row."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import can_run_province
from taavon.accounts.models import User
from taavon.core.formatting import number
from taavon.festival.defaults import CRITERIA
from taavon.festival.models import Criterion, CriterionKind, Edition, Weight
from taavon.festival.scoring import weights_sum_ok
from taavon.places.models import Province
from taavon.registry.models import Sector


def save(obj, acting_user: User, reason: str = "") -> None:
    """full_clean, then save with the acting user (and the reason) on the history row."""
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.full_clean()
    obj.save()


def ensure_festival_admin(user: User, province: Province | None = None) -> None:
    """The festival is run by the province's staff (provincial officers of its province, administrators):
    accounts.jurisdiction.can_run_province decides."""
    if not can_run_province(user, province.pk if province is not None else None):
        raise PermissionDenied(_("The festival is run by the province's staff."))


def edition_create(
    *,
    acting_user: User,
    number: int,
    year: int,
    province: Province,
    applications_open: datetime.date,
    applications_close: datetime.date,
    jury_locks_at: datetime.datetime,
    results_on: datetime.date,
    appeals_close: datetime.date,
    record_updated_since: datetime.date,
    title: str = "",
    min_record_health: int = 70,
    jurors_per_category: int = 3,
) -> Edition:
    """An edition with the default criteria (festival.defaults.CRITERIA) and their default weights in every category
    (the sectors), which the committee then changes per category."""
    ensure_festival_admin(acting_user, province)
    if Edition.objects.filter(number=number).exists():
        raise ValidationError({"number": [_("Edition %(n)s exists already.") % {"n": number}]})
    errors = {}
    if applications_close < applications_open:
        errors["applications_close"] = [_("Applications close after they open.")]
    if appeals_close < results_on:
        errors["appeals_close"] = [_("Appeals close after the results are announced.")]
    if jury_locks_at.date() < applications_close:
        errors["jury_locks_at"] = [_("The jury's scores lock after the applications close.")]
    if results_on < jury_locks_at.date():
        errors["results_on"] = [_("The results are announced after the jury's scores lock.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        edition = Edition(
            number=number,
            year=year,
            province=province,
            title=title or _default_title(number),
            applications_open=applications_open,
            applications_close=applications_close,
            jury_locks_at=jury_locks_at,
            results_on=results_on,
            appeals_close=appeals_close,
            record_updated_since=record_updated_since,
            min_record_health=min_record_health,
            jurors_per_category=jurors_per_category,
        )
        save(edition, acting_user)
        criteria = []
        for order, c in enumerate(CRITERIA):
            criterion = Criterion(
                edition=edition,
                code=c.code,
                name_fa=c.name_fa,
                name_en=c.name_en,
                kind=c.kind,
                indicator=c.code if c.kind == CriterionKind.COMPUTED else "",
                low=c.low,
                high=c.high,
                order=order,
            )
            save(criterion, acting_user)
            criteria.append((criterion, c.weight))
        for sector in Sector.objects.filter(is_active=True):
            for criterion, weight in criteria:
                save(
                    Weight(edition=edition, category=sector, criterion=criterion, percent=weight), acting_user
                )
    return edition


def _default_title(number_: int) -> str:
    """An edition's title is data, kept in the directorate's language (Persian) whoever creates it."""
    from django.utils import translation

    from taavon.persian import to_persian_digits

    with translation.override("fa"):
        return _("The %(n)sth festival of top cooperatives") % {"n": to_persian_digits(str(number_))}


def weights_set(
    *, acting_user: User, edition: Edition, category: Sector, percents: dict[str, object]
) -> list[Weight]:
    """A category's weights, {criterion code: percent}: every criterion of the edition given, each 0–100, summing to
    100. Refused (nothing saved) otherwise; refused too once the results are published."""
    ensure_festival_admin(acting_user, edition.province)
    if edition.results_published_at is not None:
        raise ValidationError(_("The results are published: the weights no longer change."))
    criteria = {c.code: c for c in edition.criteria.all()}
    errors: dict[str, list[str]] = {}
    values: dict[str, Decimal] = {}
    for code in criteria:
        raw = percents.get(code)
        try:
            value = Decimal(str(raw).strip()) if raw not in (None, "") else None
        except InvalidOperation:
            value = None
        if value is None:
            errors[code] = [_("Give a weight (0 to 100).")]
        elif not Decimal(0) <= value <= Decimal(100):
            errors[code] = [_("A weight is from 0 to 100.")]
        else:
            values[code] = value.quantize(Decimal("0.01"))  # Weight.percent: two decimal places
    unknown = set(percents) - set(criteria)
    if unknown:
        errors["__all__"] = [_("Unknown criteria: %(codes)s") % {"codes": ", ".join(sorted(unknown))}]
    if not errors and not weights_sum_ok(values):
        total = sum(values.values(), Decimal(0))
        errors["__all__"] = [
            _("The weights sum to %(total)s%%; they must sum to 100%%.")
            % {"total": number(total.normalize())}
        ]
    if errors:
        raise ValidationError(errors)
    out = []
    with transaction.atomic():
        for code, value in values.items():
            weight, _created = Weight.objects.select_for_update().get_or_create(
                edition=edition, category=category, criterion=criteria[code], defaults={"percent": value}
            )
            if weight.percent != value:
                weight.percent = value
                save(weight, acting_user, _("Weights changed"))
            out.append(weight)
    return out


def weights_of(edition: Edition, category: Sector) -> dict[str, Decimal]:
    """{criterion code: percent} of a category."""
    return {
        code: percent
        for code, percent in Weight.objects.filter(edition=edition, category=category).values_list(
            "criterion__code", "percent"
        )
    }
