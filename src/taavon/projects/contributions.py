"""What projects contribute to the pages and commands below them: the projects of a cooperative on its record and in
its representative's portal, the projects' export kind, the home page's panel. Registered from ProjectsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from taavon.accounts.jurisdiction import is_staff
from taavon.core.contributions import (
    EXPORT_KINDS,
    HOME_PANELS,
    PORTAL_SECTIONS,
    PROJECT_SECTIONS,
    RECORD_SECTIONS,
    ExportKind,
    Section,
)


def _cooperative_projects(request, coop) -> dict:
    from taavon.projects.selectors import ProjectFilters, project_list

    return {"projects": project_list(user=request.user, filters=ProjectFilters(cooperative=coop.pk))}


def _record_projects(request, coop, present) -> dict:
    from taavon.projects.selectors import cooperative_projects

    if not present["projects"]:
        return {"projects": []}
    return {"projects": cooperative_projects(user=request.user, cooperative_id=coop.pk)}


def _export_rows(*, province=None, status=None):
    from taavon.projects.selectors import project_export_list

    qs = project_export_list(province_code=province)
    return qs.iterator(chunk_size=2000), qs.count()


def _facilities(request, project) -> dict:
    facilities = list(project.facilities.all())
    return {"facilities": facilities, "paid_total": sum(f.paid_rial for f in facilities)}


def _stages(request, project) -> dict:
    return {"stage_changes": project.stage_changes.select_related("changed_by")}


def _home_context(request, obj) -> dict:
    from taavon.projects.selectors import projects_opening_soon

    return {"projects": projects_opening_soon(user=request.user)}


def register() -> None:
    from taavon.projects import exports

    register_facts()

    RECORD_SECTIONS.register(
        Section(
            key="projects",
            title=_("Projects"),
            template="projects/_record_projects.html",
            context=_record_projects,
            order=50,
            exists={"projects": ("projects.Project", "cooperative")},
        )
    )
    PORTAL_SECTIONS.register(
        Section(
            key="projects",
            title=_("Cooperative projects"),
            template="projects/_portal_projects.html",
            context=_cooperative_projects,
            order=50,
        )
    )
    PROJECT_SECTIONS.register(
        Section(
            key="facilities",
            title=_("Bank facilities"),
            template="projects/_facilities.html",
            context=_facilities,
            order=10,
        )
    )
    PROJECT_SECTIONS.register(
        Section(
            key="stages",
            title=_("Stage history"),
            template="projects/_stages.html",
            context=_stages,
            order=20,
        )
    )
    EXPORT_KINDS.register(
        ExportKind(
            code="projects",
            label=_("Projects"),
            columns=exports.COLUMNS,
            rows=_export_rows,
            sheet=_("Projects"),
        )
    )
    HOME_PANELS.register(
        Section(
            key="projects",
            title=_("Projects ready to open"),
            template="projects/_home_panel.html",
            context=_home_context,
            order=30,
            visible=lambda user, obj: is_staff(user),
        )
    )


def _activity_rows(cooperative_ids):
    """The latest dated event of a cooperative's projects: registered, started, a stage reached, opened."""
    import datetime

    from django.db.models import DateField, Max, Value
    from django.db.models.functions import Coalesce, Greatest, TruncDate

    from taavon.projects.models import Project

    floor = Value(datetime.date(1900, 1, 1), output_field=DateField())  # GREATEST is NULL on SQLite if any is
    rows = (
        # jurisdiction: facts over the cooperatives the caller gives (cooperative_ids), already within its scope
        Project.objects.filter(cooperative_id__in=cooperative_ids)
        .order_by()
        .values("cooperative_id")
        .annotate(
            last=Greatest(
                Coalesce(Max(TruncDate("created_at")), floor),
                Coalesce(Max("start_date"), floor),
                Coalesce(Max("actual_opening_date"), floor),
                Coalesce(Max("stage_changes__date"), floor),
                output_field=DateField(),
            )
        )
        .values_list("cooperative_id", "last")
    )
    return ((c, d if d and d.year > 1900 else None) for c, d in rows)


def register_facts() -> None:
    from taavon.core.contributions import FACTS, Fact

    FACTS.register(Fact("projects-activity", "activity", _("projects"), _activity_rows))
