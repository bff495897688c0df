"""What members contribute to the pages and commands below them: members, organs, assemblies and returns on the
cooperative's record and in the portal; the members' and returns' export kinds; the minutes, statements and proposal
documents; the home page's panels (proposals to review, missing returns). Registered from MembersConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.accounts.jurisdiction import can_change
from taavon.core.contributions import (
    DOCUMENTS,
    EXPORT_KINDS,
    HOME_PANELS,
    PORTAL_SECTIONS,
    RECORD_SECTIONS,
    DocumentKind,
    ExportKind,
    Section,
)


def _record(request, coop, present) -> dict:
    from taavon.members.selectors import member_sections

    return member_sections(coop, present=present)


def _portal(request, coop) -> dict:
    from taavon.members.selectors import member_sections

    return {**member_sections(coop, members=None, recent=10), "portal": True, "can_change": False}


def _members_export(*, province=None, status=None):
    from taavon.members import exports
    from taavon.members.models import Membership

    # jurisdiction: `taavon export members`, an operator's command on the server
    qs = Membership.objects.filter(leave_date__isnull=True).order_by("cooperative__shenasnameh", "id")
    if province:
        qs = qs.filter(cooperative__county__province__code=province.upper())
    count = qs.count()
    rows = exports.member_rows(
        qs.select_related("person", "cooperative").prefetch_related("contributions").iterator(chunk_size=2000)
    )
    return rows, count


def _returns_export(*, province=None, status=None):
    from taavon.members.models import AnnualReturn

    # jurisdiction: `taavon export returns`, an operator's command on the server
    qs = AnnualReturn.objects.order_by("cooperative__shenasnameh", "fiscal_year")
    if province:
        qs = qs.filter(cooperative__county__province__code=province.upper())
    return qs.select_related("cooperative").iterator(chunk_size=2000), qs.count()


def _staff_docs(model_name):
    def visible(user):
        from taavon.members import models

        model = getattr(models, model_name)
        # representatives open the documents of their own cooperative (their proposals, its minutes and statements)
        return model.objects.for_user(user)

    return visible


def _home_reviews(request, obj) -> dict:
    from taavon.members.selectors import review_queue

    queue = review_queue(user=request.user)
    return {"pending": queue.count(), "latest": list(queue.select_related("cooperative")[:5])}


def register() -> None:
    from taavon.members import exports

    register_facts()

    RECORD_SECTIONS.register(
        Section(
            key="members",
            title=_("Members, officers, assemblies and returns"),
            template="members/_record_members.html",
            context=_record,
            order=20,
            exists={
                "members": ("members.Membership", "cooperative"),
                "officers": ("members.Officer", "cooperative"),
                "assemblies": ("members.GeneralAssembly", "cooperative"),
                "returns": ("members.AnnualReturn", "cooperative"),
            },
        )
    )
    PORTAL_SECTIONS.register(
        Section(
            key="members",
            title=_("Members, officers, assemblies and returns"),
            template="members/_portal_members.html",
            context=_portal,
            order=20,
        )
    )
    EXPORT_KINDS.register(
        ExportKind(
            code="members",
            label=_("Members and contributions"),
            columns=exports.MEMBER_COLUMNS,
            rows=_members_export,
            sheet=_("Members"),
        )
    )
    EXPORT_KINDS.register(
        ExportKind(
            code="returns",
            label=pgettext_lazy("in full", "Annual returns"),
            columns=exports.RETURN_COLUMNS,
            rows=_returns_export,
            sheet=_("Returns"),
        )
    )
    DOCUMENTS.register(DocumentKind(code="minutes", visible=_staff_docs("GeneralAssembly"), field="minutes"))
    DOCUMENTS.register(
        DocumentKind(code="statements", visible=_staff_docs("AnnualReturn"), field="statements")
    )
    DOCUMENTS.register(DocumentKind(code="proposal", visible=_staff_docs("Proposal"), field="document"))
    HOME_PANELS.register(
        Section(
            key="reviews",
            title=_("Proposals awaiting review"),
            template="members/_home_panel.html",
            context=_home_reviews,
            order=20,
            visible=lambda user, obj: can_change(user),
        )
    )


def _activity_rows(cooperative_ids):
    """The latest dated record of members' work per cooperative: a membership joined or left, an assembly, a return
    filed, a proposal sent."""
    import datetime

    from django.db.models import DateField, Max, Value
    from django.db.models.functions import Coalesce, Greatest, TruncDate

    from taavon.members.models import AnnualReturn, GeneralAssembly, Membership, Proposal

    floor = Value(datetime.date(1900, 1, 1), output_field=DateField())  # GREATEST is NULL on SQLite if any is

    def latest(qs, *values):
        last = Greatest(*(Coalesce(Max(v), floor) for v in values), floor, output_field=DateField())
        rows = (
            qs.filter(cooperative_id__in=cooperative_ids)
            .order_by()
            .values("cooperative_id")
            .annotate(last=last)
            .values_list("cooperative_id", "last")
        )
        return ((c, d if d and d.year > 1900 else None) for c, d in rows)

    # jurisdiction: system-wide facts for triage's evaluation, over the cooperatives it was given (cooperative_ids)
    yield from latest(Membership.objects.all(), "join_date", "leave_date")
    # jurisdiction: as above
    yield from latest(GeneralAssembly.objects.all(), "date")
    # jurisdiction: as above
    yield from latest(AnnualReturn.objects.all(), "filed_on")
    # jurisdiction: as above
    yield from latest(Proposal.objects.all(), TruncDate("created_at"))


def _assembly_rows(cooperative_ids):
    from taavon.members.models import AssemblyKind, GeneralAssembly

    # jurisdiction: facts over the cooperatives the caller gives (cooperative_ids), already within its scope
    return GeneralAssembly.objects.filter(
        cooperative_id__in=cooperative_ids, kind=AssemblyKind.ORDINARY
    ).values_list("cooperative_id", "date")


def _board_rows(cooperative_ids):
    from taavon.members.models import Officer, OfficeRole

    # jurisdiction: facts over the cooperatives the caller gives (cooperative_ids), already within its scope
    return Officer.objects.filter(cooperative_id__in=cooperative_ids, role=OfficeRole.BOARD).values_list(
        "cooperative_id", "start"
    )


def _return_rows(cooperative_ids):
    from taavon.members.models import AnnualReturn

    # jurisdiction: facts over the cooperatives the caller gives (cooperative_ids), already within its scope
    return AnnualReturn.objects.filter(cooperative_id__in=cooperative_ids).values_list(
        "cooperative_id", "fiscal_year", "filed_on"
    )


def register_facts() -> None:
    """What triage's rules and revival plans read of members' records (core.contributions.FACTS)."""
    from taavon.core.contributions import FACTS, Fact

    FACTS.register(
        Fact(
            "members-activity",
            "activity",
            _("membership changes, assemblies, returns, proposals"),
            _activity_rows,
        )
    )
    FACTS.register(Fact("assemblies", "assembly", _("ordinary general assemblies"), _assembly_rows))
    FACTS.register(Fact("board", "board", _("board elections"), _board_rows))
    FACTS.register(Fact("returns", "return", _("annual returns"), _return_rows))
