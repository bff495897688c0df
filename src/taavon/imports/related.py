"""Importing records that belong to a cooperative: projects (with a bank facility on the row), members (with a
capital contribution), annual returns. Row by row through the ordinary services, each row in a savepoint; the
whole import in one transaction (rolled back on a dry run, or on any problem unless only valid rows are asked for)."""

from collections import deque

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_noop

from taavon.accounts.models import User
from taavon.imports.engine import Outcome, RowResult, _counts, _messages, import_reason
from taavon.imports.kinds import MEMBERS, RETURNS
from taavon.imports.matching import CooperativeMatcher, differs
from taavon.imports.messages import in_both, message
from taavon.members import services as members
from taavon.members.models import AnnualReturn, Membership, Person
from taavon.persian import search_key
from taavon.projects import services as projects
from taavon.projects.models import Project, Stage
from taavon.registry.models import Cooperative

PROJECT_FIELDS = (
    "title",
    "sector",
    "activity",
    "investment_rial",
    "members_contribution_rial",
    "jobs_direct_planned",
    "jobs_indirect_planned",
    "jobs_women_planned",
    "start_date",
    "expected_opening_date",
    "progress_percent",
)
RETURN_FIELDS = (
    "filed_on",
    "revenue_rial",
    "assets_rial",
    "liabilities_rial",
    "profit_rial",
    "employees",
    "members_year_end",
)


def _resolve_cooperatives(results: list[RowResult], user: User) -> None:
    """Each row's cooperative, by shenasnameh, legal ID, or name in the county — only among those the user may
    change (a fixed number of queries). A row outside the user's jurisdiction says so and nothing more."""
    matcher = CooperativeMatcher(
        user,
        shenasnamehs=[r.data.get("coop_shenasnameh") for r in results],
        legal_ids=[r.data.get("coop_legal_id") for r in results],
        counties={r.data["county"] for r in results if r.data.get("county")},
    )
    for r in results:
        if r.errors:
            continue
        d = r.data
        coop, problem = matcher.find(
            shenasnameh=d.get("coop_shenasnameh"),
            legal_id=d.get("coop_legal_id"),
            county=d.get("county"),
            name=d.get("coop_name"),
        )
        if problem is None and coop is None:
            named = d.get("coop_shenasnameh") or d.get("coop_legal_id") or d.get("coop_name") or "—"
            problem = message(
                gettext_noop(
                    "Cooperative “%(name)s” was not found in your jurisdiction "
                    "(by shenasnameh, national ID, or name and county)."
                ),
                name=named,
            )
        if problem:
            r.errors.append((message(gettext_noop("Cooperative")), problem))
        d["cooperative"] = coop


REPEATED = {
    "project": gettext_noop("Repeated row: the same project as row %(row)s"),
    "member": gettext_noop("Repeated row: the same member as row %(row)s"),
    "return": gettext_noop("Repeated row: the same annual return as row %(row)s"),
}


def _repeated(r: RowResult, key: tuple, seen: dict, what: str) -> bool:
    """Whether the row repeats an earlier row of the file (then it is marked as a duplicate)."""
    if key in seen:
        r.errors.append(("—", message(REPEATED[what], row=seen[key])))
        r.action = "duplicate"
        return True
    seen[key] = r.number
    return False


def _stage_path(start: str, target: str) -> list[str]:
    """The shortest walk through the allowed stage changes."""
    queue, seen = deque([(start, [])]), {start}
    while queue:
        stage, path = queue.popleft()
        if stage == target:
            return path
        for nxt in projects.allowed_stages(stage):
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, [*path, nxt]))
    raise ValidationError(
        {
            "stage": [
                message(
                    gettext_noop("The stage “%(stage)s” cannot be reached."),
                    stage=in_both(Stage(target).label),
                )
            ]
        }
    )


class ProjectsHandler:
    def match(self, results: list[RowResult], user: User) -> None:
        _resolve_cooperatives(results, user)
        keys = {(r.data["cooperative"].pk, search_key(r.data["title"])) for r in results if not r.errors}
        existing = {
            (p.cooperative_id, p.title_key): p
            for p in Project.objects.for_user(user)
            .filter(cooperative_id__in={k[0] for k in keys})
            .prefetch_related("facilities")
        }
        seen = {}
        for r in results:
            if r.errors:
                r.action = "error"
                continue
            key = (r.data["cooperative"].pk, search_key(r.data["title"]))
            if _repeated(r, key, seen, "project"):
                continue
            r.match = existing.get(key)
            if r.match is None:
                r.action = "create"
                continue
            r.changes = [k for k in PROJECT_FIELDS if k in r.data and differs(getattr(r.match, k), r.data[k])]
            if r.data.get("stage") and r.data["stage"] != r.match.stage:
                r.changes.append("stage")
            if r.data.get("bank"):
                facility = _facility_match(r.match, r.data)
                if facility is None or _facility_changes(facility, r.data):
                    r.changes.append("facility")
            r.action = "update" if r.changes else "unchanged"

    def write(self, r: RowResult, user: User, reason: str) -> list:
        d = r.data
        coop: Cooperative = d["cooperative"]
        touched = []
        if r.action == "create":
            fields = {k: d.get(k) for k in PROJECT_FIELDS}
            fields.update(
                cooperative=coop,
                county=coop.county,
                notes="",
                sector=d.get("sector") or (d["activity"].sector if d.get("activity") else coop.sector),
                activity=d.get("activity") or (coop.activity if not d.get("sector") else None),
                jobs_direct_actual=None,
                jobs_indirect_actual=None,
                jobs_women_actual=None,
            )
            for k in ("investment_rial", "members_contribution_rial", "progress_percent"):
                fields[k] = fields[k] or 0
            project = projects.project_create(acting_user=user, **fields)
            touched.append((project, "created"))
        else:
            project = r.match
            before = project.history.aggregate(m=Max("history_id"))["m"]
            fields = {k: d[k] for k in r.changes if k in PROJECT_FIELDS}
            if fields:
                project = projects.project_update(acting_user=user, project=project, **fields)
            touched.append((project, "updated", before))
        if d.get("stage") and d["stage"] != project.stage:
            if d["stage"] == Stage.OPENED and not d.get("opening_date"):
                raise ValidationError(
                    {"opening_date": [message(gettext_noop("Give the opening date of an opened project."))]}
                )
            for step in _stage_path(project.stage, d["stage"]):
                # the steps on the way to opening are dated with the opening (the file tells no other dates)
                date = d.get("opening_date") if d["stage"] == Stage.OPENED else None
                projects.project_change_stage(
                    acting_user=user, project=project, to_stage=step, date=date, reason=reason
                )
        facility = _facility_match(project, d) if d.get("bank") else None
        if facility is not None:  # the same bank and scheme: its amounts are brought up to date
            changes = _facility_changes(facility, d)
            if changes:
                before = facility.history.aggregate(m=Max("history_id"))["m"]
                facility = projects.facility_update(acting_user=user, facility=facility, **changes)
                touched.append((facility, "updated", before))
        elif d.get("bank"):
            facility = projects.facility_add(
                acting_user=user,
                project=project,
                bank=d["bank"],
                scheme=d.get("scheme") or "",
                requested_rial=d.get("requested_rial") or 0,
                approved_rial=d.get("approved_rial") or 0,
                paid_rial=d.get("paid_rial") or 0,
                requested_date=None,
                approved_date=None,
                paid_date=d.get("paid_date"),
            )
            touched.append((facility, "created"))
        return touched


def _facility_match(project: Project, d: dict):
    """The project's facility from the row's bank under the row's scheme (names however typed), or None: a row
    with new amounts for it updates it, and is never a second facility counted twice in the totals."""
    bank, scheme = search_key(d["bank"]), search_key(d.get("scheme") or "")
    at_bank = [f for f in project.facilities.all() if search_key(f.bank) == bank]
    for f in at_bank:
        if search_key(f.scheme) == scheme:
            return f
    if not scheme and len(at_bank) == 1:  # a file without schemes: the project's one facility at that bank
        return at_bank[0]
    return None


FACILITY_AMOUNTS = ("requested_rial", "approved_rial", "paid_rial")


def _facility_changes(facility, d: dict) -> dict:
    """The amounts (and payment date) the row gives differently from the facility's."""
    changes = {k: d[k] for k in FACILITY_AMOUNTS if d.get(k) is not None and getattr(facility, k) != d[k]}
    if d.get("paid_date") and facility.paid_date != d["paid_date"]:
        changes["paid_date"] = d["paid_date"]
    return changes


class MembersHandler:
    def match(self, results: list[RowResult], user: User) -> None:
        _resolve_cooperatives(results, user)
        codes = {r.data["national_code"] for r in results if not r.errors}
        # jurisdiction: a national code is one person nationwide; nothing of one elsewhere is told (person_mismatch)
        people = {p.national_code: p for p in Person.objects.filter(national_code__in=codes)}
        open_memberships = {
            (m.cooperative_id, m.person_id): m
            # jurisdiction: used only for the rows' own cooperatives, inside the user's jurisdiction
            for m in Membership.objects.filter(
                person__in=people.values(), leave_date__isnull=True
            ).prefetch_related("contributions")
        }
        seen = {}
        for r in results:
            if r.errors:
                r.action = "error"
                continue
            d = r.data
            # a member may have a row per contribution: the same row twice is the duplicate
            key = (
                d["cooperative"].pk,
                d["national_code"],
                d.get("contribution_rial"),
                d.get("contribution_date"),
            )
            if _repeated(r, key, seen, "member"):
                continue
            person = people.get(d["national_code"])
            mismatch = person and members.person_mismatch(
                person,
                first_name=d.get("first_name", ""),
                last_name=d.get("last_name", ""),
                gender=d.get("gender"),
                user=user,
            )
            if mismatch:
                r.errors.append(
                    (r.columns.get("national_code", MEMBERS.get("national_code").label_message), mismatch)
                )
                r.action = "error"
                continue
            r.match = open_memberships.get((d["cooperative"].pk, person.pk)) if person else None
            if r.match is None:
                r.action = "create"
            elif d.get("contribution_rial") and not _contribution_exists(r.match, d):
                r.action, r.changes = "update", ["contribution"]
            else:
                r.action = "unchanged"

    def write(self, r: RowResult, user: User, reason: str) -> list:
        d = r.data
        touched = []  # in the order they were made (undo removes them in reverse)
        earlier = (
            # jurisdiction: the row's cooperative, inside the user's jurisdiction
            Membership.objects.filter(  # made by an earlier row of this file (another contribution)
                cooperative=d["cooperative"],
                person__national_code=d["national_code"],
                leave_date__isnull=True,
            ).first()
            if r.action == "create"
            else None
        )
        if earlier is not None:
            r.action = "update"
        if r.action == "create":
            # jurisdiction: whether the code is new (nothing is told of the person)
            existed = Person.objects.filter(national_code=d["national_code"]).exists()
            person = members.person_register(
                acting_user=user,
                national_code=d["national_code"],
                first_name=d["first_name"],
                last_name=d["last_name"],
                gender=d["gender"],
                birth_year=d.get("birth_year"),
                mobile=d.get("mobile", ""),
            )
            if not existed:
                touched.append((person, "created"))
            membership = members.membership_add(
                acting_user=user,
                cooperative=d["cooperative"],
                person=person,
                join_date=d["join_date"],
                shares=d.get("shares") or 0,
                contribution_rial=0,
            )
            touched.append((membership, "created"))
        else:
            membership = earlier or r.match
        if d.get("contribution_rial") and (r.action == "create" or not _contribution_exists(membership, d)):
            contribution = members.contribution_add(
                acting_user=user,
                membership=membership,
                date=d.get("contribution_date") or d["join_date"],
                amount_rial=d["contribution_rial"],
                note=reason[:200],
            )
            touched.append((contribution, "created"))
        return touched


def _contribution_exists(membership: Membership, d: dict) -> bool:
    date = d.get("contribution_date") or d["join_date"]
    return any(
        c.amount_rial == d["contribution_rial"] and c.date == date for c in membership.contributions.all()
    )


class ReturnsHandler:
    def match(self, results: list[RowResult], user: User) -> None:
        _resolve_cooperatives(results, user)
        coop_ids = {r.data["cooperative"].pk for r in results if not r.errors}
        existing = {
            (a.cooperative_id, a.fiscal_year): a
            # jurisdiction: the returns of cooperatives the matcher found in the user's jurisdiction
            for a in AnnualReturn.objects.filter(cooperative_id__in=coop_ids)
        }
        seen = {}
        for r in results:
            if r.errors:
                r.action = "error"
                continue
            key = (r.data["cooperative"].pk, r.data["fiscal_year"])
            if _repeated(r, key, seen, "return"):
                continue
            r.match = existing.get(key)
            if r.match is None:
                r.action = "create"
            elif any(k in r.data and (r.data[k] or 0) != (getattr(r.match, k) or 0) for k in RETURN_FIELDS):
                r.errors.append(
                    (
                        RETURNS.get("fiscal_year").label_message,
                        message(gettext_noop("This year's return was already filed with other figures.")),
                    )
                )
                r.action = "error"
            else:
                r.action = "unchanged"

    def write(self, r: RowResult, user: User, reason: str) -> list:
        d = r.data
        annual = members.return_file(
            acting_user=user,
            cooperative=d["cooperative"],
            fiscal_year=d["fiscal_year"],
            filed_on=d["filed_on"],
            **{k: d.get(k) or 0 for k in RETURN_FIELDS if k != "filed_on"},
        )
        return [(annual, "created")]


HANDLERS = {"projects": ProjectsHandler, "members": MembersHandler, "returns": ReturnsHandler}


def run(
    results: list[RowResult],
    *,
    kind: str,
    acting_user: User,
    filename: str,
    dry_run: bool,
    valid_only: bool,
    progress=None,
) -> Outcome:
    handler = HANDLERS[kind]()
    outcome = Outcome(rows=results)
    reason = import_reason(filename)
    with transaction.atomic():
        # the matcher finds only cooperatives the user may change: every row left is inside the jurisdiction
        handler.match(results, acting_user)
        total = len(results)
        for i, r in enumerate(results, start=1):
            if r.action in ("create", "update"):
                try:
                    with transaction.atomic():
                        r.touched = handler.write(r, acting_user, reason)
                except (ValidationError, PermissionDenied) as exc:
                    r.add_field_errors(_messages(exc))
                    r.action = "error"
            if progress and i % 200 == 0:
                progress(i, total)
        if progress:
            progress(total, total)
        failed = any(r.errors for r in results)
        outcome.committed = not dry_run and not (failed and not valid_only)
        outcome.counts = _counts(results)
        if not outcome.committed:
            transaction.set_rollback(True)
    return outcome


def undo_record(
    *, model, pk: int, action: str, history_id_before: int | None, acting_user: User, reason: str
) -> None:
    """Remove a record an import created, or put back one it changed (called newest first) — through the projects'
    and members' services, each checking the jurisdiction and leaving its audit row."""
    from taavon.members.models import Contribution
    from taavon.projects.models import Facility

    obj = model.objects.get(pk=pk)
    if action == "created":
        delete = {
            Project: lambda: projects.project_delete(acting_user=acting_user, project=obj, reason=reason),
            Facility: lambda: projects.facility_delete(acting_user=acting_user, facility=obj, reason=reason),
            Membership: lambda: members.membership_delete(
                acting_user=acting_user, membership=obj, reason=reason
            ),
            Contribution: lambda: members.contribution_delete(
                acting_user=acting_user, contribution=obj, reason=reason
            ),
            AnnualReturn: lambda: members.return_delete(
                acting_user=acting_user, annual_return=obj, reason=reason
            ),
            # a person attached to something else since (a membership, an office) stays: harmless, and theirs now
            Person: lambda: (
                None
                if obj.memberships.exists() or obj.offices.exists()
                else members.person_delete(acting_user=acting_user, person=obj, reason=reason)
            ),
        }[model]
        delete()
    elif model is Facility:
        projects.facility_restore(
            acting_user=acting_user, facility=obj, history_id=history_id_before, reason=reason
        )
    elif model is Project:
        projects.project_restore(
            acting_user=acting_user, project=obj, history_id=history_id_before, reason=reason
        )
    else:
        raise ValueError(f"an import does not change {model.__name__} records")


def later_children(records, made: set) -> str:
    """The name of a record this import created to which something else was attached later (else "")."""
    from django.contrib.contenttypes.models import ContentType

    from taavon.members.models import Contribution
    from taavon.projects.models import Facility

    # a person this import created who was attached elsewhere since is kept by the undo (undo_record), not a
    # reason to refuse it: the refusal would tell of a membership perhaps outside the user's jurisdiction
    children = {
        Project: (Facility, "project_id"),
        Membership: (Contribution, "membership_id"),
    }
    for record in records:
        if record.action != "created" or not record.content_type_id:
            continue
        model = record.content_type.model_class()
        if model not in children:
            continue
        child, fk = children[model]
        child_type = ContentType.objects.get_for_model(child).pk
        for pk in child.objects.filter(**{fk: record.object_id}).values_list("pk", flat=True):
            if (child_type, pk) not in made:
                return str(model.objects.get(pk=record.object_id))
    return ""
