"""Staff pages of early warning: the flagged list (and its download), the on-demand evaluation, the rules' settings
(administrators), record health. Thin views over the selectors and services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from taavon.accounts.access import change_required, staff_required
from taavon.accounts.jurisdiction import can_change, can_change_in, ensure_staff, is_admin
from taavon.core.exports import download
from taavon.core.formatting import number
from taavon.core.views import REFUSED, add_service_errors
from taavon.registry.models import Cooperative
from taavon.registry.selectors import filter_choices
from taavon.triage import exports, flag_selectors, health
from taavon.triage.evaluation import EVALUATED, triage_run
from taavon.triage.forms import FlagFilterForm, HealthCycleForm, HealthFilterForm, RuleSettingForm
from taavon.triage.models import RuleSetting
from taavon.triage.rules import all_rules
from taavon.triage.settings import effective_settings, rule_setting_change

PAGE_SIZE = 25
HISTORY_SHOWN = 50

# what each rule checks, for the settings page and the list's empty state (a rule added later without a line here
# is described by its label)
CHECKS = {
    "assembly_overdue": gettext_lazy(
        "No ordinary general assembly within the threshold (counted from registration when none was ever recorded)."
    ),
    "board_expired": gettext_lazy("The board's term ended longer ago than the threshold."),
    "returns_missing": gettext_lazy(
        "No annual return for any of the last fiscal years whose deadline (31 Tir of the next year) has passed; the "
        "threshold is how many years."
    ),
    "below_min_members": gettext_lazy(
        "Fewer members than the threshold (the cooperative law's minimum is seven)."
    ),
    "inactive": gettext_lazy(
        "No recorded activity (a project, a membership change, an assembly, a return, a proposal, a visit...) "
        "within the threshold."
    ),
    "visit_closed": gettext_lazy("The last field visit found the unit closed or unreachable."),
    "contact_failed": gettext_lazy(
        "The last contact attempts of the cooperative's open case all failed; the threshold is how many."
    ),
}
UNITS = {
    "months": gettext_lazy("months"),
    "years": gettext_lazy("years"),
    "members": gettext_lazy("members"),
    "attempts": gettext_lazy("attempts"),
}


def admin_required(view):
    """Settings that apply to everyone: administrators only (other staff 403, representatives told their page)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        ensure_staff(request.user)
        if not is_admin(request.user):
            raise PermissionDenied(_("Only an administrator changes the early-warning rules."))
        return view(request, *args, **kwargs)

    return wrapped


def _rules_described() -> list[dict]:
    return [
        {"rule": r, "checks": CHECKS.get(r.code, r.label), "unit": UNITS.get(r.threshold_unit, "")}
        for r in all_rules()
    ]


# --- the flagged list -----------------------------------------------------------------------------------------------


@staff_required
def flagged_list(request):
    form = FlagFilterForm(request.GET)
    filters = form.filters()
    qs = flag_selectors.flagged_list(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    open_url = flag_selectors.url_or_none("triage:case_open")
    rows = [
        {
            "coop": coop,
            "flags": flag_selectors.shown_flags(coop.raised_flags, today),
            "case_url": flag_selectors.url_or_none("triage:case", coop.open_case_id)
            if coop.open_case_id
            else None,
            "open_url": f"{open_url}?cooperative={coop.shenasnameh}"
            if open_url and not coop.open_case_id and can_change_in(request.user, coop.county)
            else None,
        }
        for coop in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "filtered": any((filters.county, filters.sector, filters.status, filters.rule)),
        "choices": filter_choices(user=request.user),
        "rules": _rules_described(),
        "can_change": can_change(request.user),
        "is_admin": is_admin(request.user),
    }
    template = "triage/flagged_results.html" if request.headers.get("HX-Request") else "triage/flagged.html"
    return render(request, template, context)


@staff_required
def flagged_export(request, fmt: str):
    filters = FlagFilterForm(request.GET).filters()
    qs = flag_selectors.flagged_list(user=request.user, filters=filters)
    return download(
        exports.COLUMNS,
        qs.iterator(chunk_size=2000),
        fmt,
        "flagged",
        sheet=_("Flagged cooperatives"),
    )


@change_required
@require_POST
def run(request):
    """Evaluate the rules now over the user's jurisdiction (the nightly run does the whole country)."""
    summary = triage_run(acting_user=request.user, cooperatives=Cooperative.objects.for_user(request.user))
    messages.success(
        request,
        _(
            "%(evaluated)s cooperatives evaluated: %(raised)s flags raised, %(cleared)s cleared, "
            "%(kept)s unchanged or updated."
        )
        % {
            "evaluated": number(summary.evaluated),
            "raised": number(summary.raised),
            "cleared": number(summary.cleared),
            "kept": number(summary.kept),
        },
    )
    return redirect("triage:flagged")


# --- the rules' settings --------------------------------------------------------------------------------------------


def _rule_forms(bound=None) -> list[dict]:
    settings = effective_settings()
    out = []
    for item in _rules_described():
        rule = item["rule"]
        current = settings[rule.code]
        initial = {"enabled": current.enabled, "threshold": current.threshold, "weight": current.weight}
        form = (
            bound
            if bound is not None and bound.code == rule.code
            else RuleSettingForm(initial=initial, rule=rule.code, has_threshold=bool(rule.threshold_unit))
        )
        out.append({**item, "current": current, "form": form})
    return out


def _cycle_forms(bound=None) -> list[dict]:
    months = health.health_cycles()
    out = []
    for cycle in health.CYCLES:
        form = (
            bound
            if bound is not None and bound.code == cycle.code
            else HealthCycleForm(initial={"months": months[cycle.code]}, cycle=cycle.code)
        )
        out.append({"cycle": cycle, "months": months[cycle.code], "form": form})
    return out


def _labels() -> dict:
    names = {r.code: r.label for r in all_rules()}
    names.update({c.code: c.label for c in health.CYCLES})
    return names


def _history(limit: int = HISTORY_SHOWN) -> list:
    labels = _labels()
    rows = list(
        RuleSetting.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    )
    for row in rows:
        row.shown_label = labels.get(row.code, row.code)
    return rows


def _save(form, call) -> bool:
    """The service's refusal lands on the form's fields; True when saved."""
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            call(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@admin_required
@require_http_methods(["GET", "POST"])
def rules(request):
    bound_rule = bound_cycle = None
    if request.method == "POST":
        code = request.POST.get("code", "")
        known = {r.code: r for r in all_rules()}
        if code in known:
            bound_rule = RuleSettingForm(
                request.POST, rule=code, has_threshold=bool(known[code].threshold_unit)
            )
            saved = _save(
                bound_rule,
                lambda d: rule_setting_change(
                    acting_user=request.user,
                    code=code,
                    enabled=d["enabled"],
                    threshold=d.get("threshold"),
                    weight=d["weight"],
                    reason=d.get("reason", ""),
                ),
            )
            label = known[code].label
        elif code in health.CYCLE_CODES:
            bound_cycle = HealthCycleForm(request.POST, cycle=code)
            saved = _save(
                bound_cycle,
                lambda d: health.health_cycle_change(
                    acting_user=request.user, code=code, months=d["months"], reason=d.get("reason", "")
                ),
            )
            label = health.CYCLE_CODES[code].label
        else:
            messages.error(request, _("There is no such rule."))
            return redirect("triage:rules")
        if saved:
            messages.success(request, _("The setting of “%(rule)s” was saved.") % {"rule": label})
            return redirect("triage:rules")
    context = {
        "rules": _rule_forms(bound_rule),
        "cycles": _cycle_forms(bound_cycle),
        "history": _history(),
    }
    refused = request.method == "POST"  # reached only when a form was refused
    return render(request, "triage/rules.html", context, status=REFUSED if refused else 200)


# --- record health --------------------------------------------------------------------------------------------------


@staff_required
def health_list(request):
    """The jurisdiction's records that most need updating, lowest score first."""
    filters = HealthFilterForm(request.GET).filters()
    # jurisdiction: the user's cooperatives (those evaluated: active, dormant, unknown)
    qs = Cooperative.objects.for_user(request.user).filter(status__in=EVALUATED)
    if filters["county"]:
        qs = qs.filter(county_id=filters["county"])
    if filters["sector"]:
        qs = qs.filter(sector_id=filters["sector"])
    page = Paginator(health.ranked(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "choices": filter_choices(user=request.user),
        "cycles": [
            (c.label, months)
            for c, months in zip(health.CYCLES, health.health_cycles().values(), strict=True)
        ],
    }
    template = "triage/health_results.html" if request.headers.get("HX-Request") else "triage/health.html"
    return render(request, template, context)
