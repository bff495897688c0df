"""Staff pages of projects: thin views over the selectors and services."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from taavon.accounts.access import change_required, staff_required
from taavon.accounts.jurisdiction import can_change, can_change_in, ensure_can_change
from taavon.core.audit import before_param, change_history
from taavon.core.contributions import PROJECT_SECTIONS
from taavon.core.exports import download
from taavon.core.views import form_page
from taavon.projects import exports, selectors, services
from taavon.projects.forms import FacilityForm, ProjectFilterForm, ProjectForm, StageForm
from taavon.projects.models import Facility, Project, Stage
from taavon.projects.services import FACILITY_FIELDS, PROJECT_FIELDS
from taavon.registry.selectors import filter_choices

PAGE_SIZE = 25
HISTORY_PAGE = 50


def _get(request, pk: int) -> Project:
    try:
        return selectors.project_get(user=request.user, pk=pk)
    except Project.DoesNotExist as exc:
        raise Http404(_("Project not found.")) from exc


@staff_required
def project_list(request):
    form = ProjectFilterForm(request.GET)
    filters = form.filters()
    qs = selectors.project_list(user=request.user, filters=filters)
    context = {
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "form": form,
        "totals": selectors.project_totals(user=request.user, filters=filters),
        "choices": filter_choices(user=request.user),
        "stages": Stage.choices,
        "can_change": can_change(request.user),
    }
    return render(request, "projects/list.html", context)


@staff_required
def project_detail(request, pk: int):
    project = _get(request, pk)
    can = can_change_in(request.user, project.county)
    context = {
        "project": project,
        "can_change": can,
        "stage_form": StageForm(project=project) if services.allowed_stages(project.stage) else None,
        "change_history": change_history(project),
        "history_url": reverse("projects:history", args=[project.pk]),
        # facilities, stages and what later capabilities add, contributed from their AppConfig.ready
        "sections": PROJECT_SECTIONS.render(request, project, {"project": project, "can_change": can}),
    }
    return render(request, "projects/detail.html", context)


@staff_required
def project_history(request, pk: int):
    """The project's whole audit trail, a page of versions at a time (older ones with `before=`)."""
    project = _get(request, pk)
    rows = change_history(project, limit=HISTORY_PAGE, before=before_param(request.GET.get("before")))
    context = {
        "record": project,
        "record_url": reverse("projects:detail", args=[project.pk]),
        "list_url": reverse("projects:list"),
        "list_label": _("Projects"),
        "change_history": rows,
        "history_url": reverse("projects:history", args=[project.pk]),
    }
    return render(request, "history.html", context)


def _detail_url(project) -> str:
    return reverse("projects:detail", args=[project.pk])


@change_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    initial = {"cooperative": request.GET["cooperative"]} if request.GET.get("cooperative") else {}
    return form_page(
        request,
        ProjectForm(request.POST or None, user=request.user, initial=initial),
        call=lambda d: services.project_create(acting_user=request.user, **{k: d[k] for k in PROJECT_FIELDS}),
        success=lambda project: _("The project “%(title)s” was registered.") % {"title": project.title},
        next_url=_detail_url,
        template="projects/form.html",
        context={"title": _("New project")},
    )


@change_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = _get(request, pk)
    ensure_can_change(request.user, project.county)
    return form_page(
        request,
        ProjectForm(request.POST or None, instance=project, user=request.user),
        call=lambda d: services.project_update(
            acting_user=request.user,
            project=project,
            expected_version=d.get("version"),
            **{k: d[k] for k in PROJECT_FIELDS},
        ),
        success=_("The project's changes were saved."),
        next_url=_detail_url(project),
        template="projects/form.html",
        context={"project": project, "title": _("Edit “%(title)s”") % {"title": project.title}},
    )


@change_required
@require_http_methods(["GET", "POST"])
def project_stage(request, pk: int):
    project = _get(request, pk)
    ensure_can_change(request.user, project.county)
    return form_page(
        request,
        StageForm(request.POST or None, project=project),
        call=lambda d: services.project_change_stage(
            acting_user=request.user,
            project=project,
            to_stage=d["to_stage"],
            date=d.get("date"),
            reason=d.get("reason", ""),
            expected_version=d.get("version"),
        ),
        success=_("The project's stage was changed."),
        next_url=_detail_url(project),
        template="projects/simple_form.html",
        context={
            "project": project,
            "title": _("Change the stage of “%(title)s”") % {"title": project.title},
        },
    )


@change_required
@require_http_methods(["GET", "POST"])
def facility_add(request, pk: int):
    project = _get(request, pk)
    ensure_can_change(request.user, project.county)
    return form_page(
        request,
        FacilityForm(request.POST or None),
        call=lambda d: services.facility_add(
            acting_user=request.user, project=project, **{k: d[k] for k in FACILITY_FIELDS}
        ),
        success=_("The facility was registered."),
        next_url=_detail_url(project),
        template="projects/simple_form.html",
        context={"project": project, "title": _("Bank facility for “%(title)s”") % {"title": project.title}},
    )


@change_required
@require_http_methods(["GET", "POST"])
def facility_edit(request, pk: int, facility_pk: int):
    project = _get(request, pk)
    ensure_can_change(request.user, project.county)
    try:
        facility = project.facilities.get(pk=facility_pk)
    except Facility.DoesNotExist as exc:
        raise Http404 from exc
    return form_page(
        request,
        FacilityForm(request.POST or None, instance=facility),
        call=lambda d: services.facility_update(
            acting_user=request.user,
            facility=facility,
            expected_version=d.get("version"),
            **{k: d[k] for k in FACILITY_FIELDS},
        ),
        success=_("The facility was updated."),
        next_url=_detail_url(project),
        template="projects/simple_form.html",
        context={"project": project, "title": _("Facility from %(bank)s") % {"bank": facility.bank}},
    )


@staff_required
def project_export(request, fmt: str):
    filters = ProjectFilterForm(request.GET).filters()
    qs = selectors.project_list(user=request.user, filters=filters)
    return download(exports.COLUMNS, qs.iterator(chunk_size=2000), fmt, "projects", sheet=_("Projects"))
