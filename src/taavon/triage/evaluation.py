"""The evaluation: every rule over the cooperatives evaluated (active, dormant, unknown), raising and clearing flags.

Idempotent: a flag that still holds is kept (its first date, its row untouched unless its facts changed); one that
no longer holds is cleared (the row stays, with the date); a cooperative no longer evaluated (in liquidation,
dissolved) has its flags cleared. It never opens a case. One transaction; the flags' history rows are written in
bulk, naming the acting user (the scheduler's system user at night).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from taavon.accounts.models import User
from taavon.registry.models import Cooperative, Status
from taavon.triage.models import Flag
from taavon.triage.rules import all_rules
from taavon.triage.settings import effective_settings

EVALUATED = (Status.ACTIVE, Status.DORMANT, Status.UNKNOWN)
BATCH = 2000


@dataclass
class RunSummary:
    evaluated: int = 0
    raised: int = 0
    cleared: int = 0
    kept: int = 0
    updated: int = 0
    by_rule: dict[str, dict[str, int]] = field(default_factory=dict)


def triage_run(
    *,
    acting_user: User,
    cooperatives=None,
    province_code: str | None = None,
    today: datetime.date | None = None,
    progress=None,
) -> RunSummary:
    """Evaluate the rules over `cooperatives` (a queryset: the caller's scope; default every cooperative, or those of
    `province_code`). `progress(rule_code)` is called as each rule starts (a progress bar's step)."""
    today = today or timezone.localdate()
    scope = cooperatives if cooperatives is not None else Cooperative.objects.all()
    if province_code:
        scope = scope.filter(county__province__code=province_code)
    evaluated = scope.filter(status__in=EVALUATED)
    settings = effective_settings()
    summary = RunSummary(evaluated=evaluated.count())

    holds: dict[tuple[int, str], dict] = {}
    weights: dict[str, int] = {}
    for rule in all_rules():
        setting = settings[rule.code]
        if progress is not None:
            progress(rule.code)
        if not setting.enabled:
            continue
        weights[rule.code] = setting.weight
        found = rule.find(evaluated, setting.threshold, today)
        for pk, params in found.items():
            holds[(pk, rule.code)] = params

    with transaction.atomic():
        existing = {
            (f.cooperative_id, f.rule): f
            for f in Flag.objects.raised()
            .filter(cooperative__in=scope.values("id"))
            .only("id", "cooperative_id", "rule", "params", "weight", "raised_on", "cleared_on")
        }
        create, update, clear = [], [], []
        for key, params in holds.items():
            flag = existing.get(key)
            weight = weights[key[1]]
            if flag is None:
                create.append(
                    Flag(cooperative_id=key[0], rule=key[1], raised_on=today, weight=weight, params=params)
                )
            elif flag.params != params or flag.weight != weight:
                flag.params, flag.weight = params, weight
                update.append(flag)
            else:
                summary.kept += 1
        for key, flag in existing.items():
            if key not in holds:
                flag.cleared_on = today
                clear.append(flag)
        reason = "triage run"
        if create:
            bulk_create_with_history(
                create, Flag, batch_size=BATCH, default_user=acting_user, default_change_reason=reason
            )
        if update:
            bulk_update_with_history(
                update,
                Flag,
                ["params", "weight"],
                batch_size=BATCH,
                default_user=acting_user,
                default_change_reason=reason,
            )
        if clear:
            bulk_update_with_history(
                clear,
                Flag,
                ["cleared_on"],
                batch_size=BATCH,
                default_user=acting_user,
                default_change_reason=reason,
            )
    summary.raised, summary.updated, summary.cleared = len(create), len(update), len(clear)
    summary.kept += len(update)
    for flags, what in ((create, "raised"), (clear, "cleared")):
        for flag in flags:
            summary.by_rule.setdefault(flag.rule, {"raised": 0, "cleared": 0})[what] += 1
    return summary
