"""The cases' contributions to the pages below triage (registered from TriageConfig.ready() through
triage.contributions): the cooperative's cases on its record, the home page's panels (the officer's own open cases
and broken commitments; the province's overdue cases and broken commitments for its managers), and the documents of
cases (a step's document — the summons letter among them — and a decision's evidence)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import can_change, can_change_in, is_staff
from taavon.accounts.models import Role
from taavon.core.contributions import DOCUMENTS, HOME_PANELS, RECORD_SECTIONS, DocumentKind, Section


def _record_context(request, coop, present) -> dict:
    from taavon.registry.models import Status
    from taavon.triage.case_selectors import cooperative_cases

    found = cooperative_cases(user=request.user, cooperative=coop) if present["cases"] else []
    may_open = (
        can_change_in(request.user, coop.county)
        and coop.status not in (Status.LIQUIDATING, Status.DISSOLVED)
        and not any(c.status == "open" for c in found)
    )
    return {"cases": found, "may_open": may_open, "today": timezone.localdate()}


def _officer_context(request, obj) -> dict:
    from taavon.triage.case_selectors import home_officer

    return home_officer(user=request.user)


def _manager_context(request, obj) -> dict:
    from taavon.triage.case_selectors import home_manager

    return home_manager(user=request.user)


def _is_officer(user, obj) -> bool:
    """The officer's panel: county officers, and any other staff member who carries an open case."""
    from taavon.triage.models import Case, CaseStatus

    if not can_change(user):
        return False
    # jurisdiction: whether the user carries an open case of their own (a yes or no, nothing shown)
    return user.role == Role.COUNTY or Case.objects.filter(assigned_to=user, status=CaseStatus.OPEN).exists()


def _is_manager(user, obj) -> bool:
    """The manager's panel: staff who oversee a province or the country (not bound to one county)."""
    return is_staff(user) and user.county_id is None


def _staff_only(model_name: str):
    def visible(user):
        from taavon.triage import models

        model = getattr(models, model_name)
        return model.objects.for_user(user) if is_staff(user) else model.objects.none()

    return visible


def register() -> None:
    RECORD_SECTIONS.register(
        Section(
            key="triage-cases",
            title=_("Settling the cooperative's situation"),
            template="triage/_record_cases.html",
            context=_record_context,
            order=80,
            visible=lambda user, obj: is_staff(user),
            exists={"cases": ("triage.Case", "cooperative")},
        )
    )
    HOME_PANELS.register(
        Section(
            key="triage-my-cases",
            title=_("My cases"),
            template="triage/_home_cases_officer.html",
            context=_officer_context,
            order=40,
            visible=_is_officer,
        )
    )
    HOME_PANELS.register(
        Section(
            key="triage-overdue",
            title=_("Overdue cases and broken commitments"),
            template="triage/_home_cases_manager.html",
            context=_manager_context,
            order=45,
            visible=_is_manager,
        )
    )
    DOCUMENTS.register(DocumentKind(code="case-step", visible=_staff_only("CaseStep"), field="document"))
    DOCUMENTS.register(DocumentKind(code="case-evidence", visible=_staff_only("Case"), field="evidence"))
