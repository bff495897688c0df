"""The rules' settings as an administrator leaves them: a RuleSetting row overrides a rule's defaults (threshold,
weight, on/off). Changed only through `rule_setting_change` (one transaction, history with the acting user)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import is_admin
from taavon.accounts.models import User
from taavon.core.contributions import TRIAGE_RULES
from taavon.core.formatting import number
from taavon.triage.models import MAX_THRESHOLD, MAX_WEIGHT, RuleSetting, SettingKind


@dataclass(frozen=True)
class Effective:
    code: str
    enabled: bool
    threshold: int | None
    weight: int


def effective_settings() -> dict[str, Effective]:
    """Every known rule's setting: its row's values, else the rule's defaults."""
    rows = {s.code: s for s in RuleSetting.objects.filter(kind=SettingKind.RULE)}
    out = {}
    for code, rule in TRIAGE_RULES.items():
        row = rows.get(code)
        if row is None:
            out[code] = Effective(code, True, rule.default_threshold, rule.default_weight)
        else:
            threshold = row.threshold if row.threshold is not None else rule.default_threshold
            out[code] = Effective(code, row.enabled, threshold, row.weight)
    return out


def rule_setting_change(
    *, acting_user: User, code: str, enabled: bool, threshold: int | None, weight: int, reason: str = ""
) -> RuleSetting:
    """An administrator changes a rule's setting. Negative or absurd values are refused (nothing saved)."""
    if not is_admin(acting_user):
        raise PermissionDenied(_("Only an administrator changes the early-warning rules."))
    rule = TRIAGE_RULES.get(code)
    if rule is None:
        raise ValidationError({"code": [_("There is no such rule.")]})
    errors = {}
    if rule.threshold_unit:
        if threshold is None or threshold < 1 or threshold > MAX_THRESHOLD:
            errors["threshold"] = [
                _("The threshold must be a whole number from 1 to %(max)s.") % {"max": number(MAX_THRESHOLD)}
            ]
    else:
        threshold = None
    if weight is None or weight < 0 or weight > MAX_WEIGHT:
        errors["weight"] = [
            _("The weight must be a whole number from 0 to %(max)s.") % {"max": number(MAX_WEIGHT)}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():  # one save: one history row, naming the user
        row = RuleSetting.objects.select_for_update().filter(code=code).first() or RuleSetting(code=code)
        row.kind, row.enabled, row.threshold, row.weight = SettingKind.RULE, enabled, threshold, weight
        row._history_user = acting_user
        if reason:
            row._change_reason = reason
        row.full_clean()
        row.save()
    return row
