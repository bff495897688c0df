"""The jurisdiction gate's proof: every URL pattern the resolver knows, for every role, on records inside and outside
the role's jurisdiction, GET and POST — allowed, 403 or 404 (and anonymous users sent to the login page).

A new page joins by existing: the walk over the resolver finds it, and the test fails until PAGES says what each
role may do there (its kind) and how to build its URL from the records below. New apps add their records to
`Records` and their pages to PAGES.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from taavon.persian import format_jalali
from tests.factories import UserFactory, make_cooperative, make_facility, make_project
from tests.imports.test_import import xlsx

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ("anonymous", "viewer", "county_viewer", "county", "provincial", "admin", "representative", "juror")
# where each role's jurisdiction reaches: "own" is a cooperative of Khorramabad (the county officer's county, and
# the representative's own cooperative), "province" one of Borujerd (Lorestan), "other" one of Tehran province
INSIDE = {
    "anonymous": set(),
    "viewer": {"own", "province"},
    "county_viewer": {"own"},  # a viewer bound to Khorramabad: reads it, changes nothing
    "county": {"own"},
    "provincial": {"own", "province"},
    "admin": {"own", "province", "other"},
    "representative": {"own"},
    "juror": set(),  # nothing of the registry: only the candidates assigned to them, on the jury's pages
}
STAFF = {"viewer", "county_viewer", "county", "provincial", "admin"}
CHANGERS = {"county", "provincial", "admin"}

# What each page is. Kinds:
#   public        anyone, signed in or not
#   public_run    anyone reads it (GET); POST runs something for the province (the open data's rebuild):
#                 administrators and the province's staff, everyone else 403
#   login         the login page
#   logout        POST only: signs out and shows the login page
#   language      POST only: the language switch, for anyone (back to the page it was on)
#   home          staff: their panels; a representative: sent to the portal; anonymous: the public site's home
#   staff         a staff page without a record (lists, reports): every staff role; representatives refused (403)
#   staff_record  a staff page of one record: staff whose jurisdiction has it (else 404); representatives 403
#   change        a page that changes records, without one: roles that change; viewers and representatives 403
#   change_record the same for one record: 404 outside the user's jurisdiction
#   admin         administrators only (settings that apply to everyone: triage's rules): other staff and
#                 representatives 403
#   portal        the representative's own cooperative; staff 403
#   province_change what the province runs (the festival: weights, stage 1, jurors, publishing, appeals' decisions;
#                 the week's exhibition): administrators and the province's staff; every other role 403
#   juror         the jury's pages: a festival juror (the candidates assigned to them); everybody else 403
#   maker         a staff page of what one user started (a batch of identity cards): that user only, 404 for the
#                 other staff (nothing is found), 403 for representatives and jurors
#   document      an uploaded document: whoever may see its record (a representative: their cooperative's
#                 proposals, minutes and statements), else 404
# "post_only": the view answers POST only (GET → 405 once the role is allowed).


@dataclass(frozen=True)
class Page:
    kind: str
    args: object = None  # records, scope → kwargs (None: no arguments)
    post_only: bool = False
    get_only: bool = False  # the view answers GET only (POST → 405)
    maker_only: bool = False  # carried on only by the user who started it (an import): others 403
    doc_for_representative: bool = True  # documents: does a representative open their own cooperative's?


def _edition(r, s):
    return {"number": r.edition.number}


def _card_token(coop) -> str:
    from taavon.registry.cards import card_token

    return card_token(coop, issued_on=timezone.localdate())


def _coop(r, s):
    return {"shenasnameh": r.coop[s].shenasnameh}


PAGES = {
    "home": Page("home"),
    "accounts:login": Page("login"),
    "accounts:logout": Page("logout"),
    "accounts:otp_verify": Page(
        "login"
    ),  # the second step of a login (a code), for whoever is between the steps
    "accounts:otp_setup": Page("staff"),
    "accounts:language": Page("language"),  # the language switch: anyone, POST only
    "members:members": Page("staff_record", _coop),
    "members:member_add": Page("change_record", _coop),
    "members:members_export": Page("staff_record", lambda r, s: {**_coop(r, s), "fmt": "csv"}),
    "members:member_leave": Page("change_record", lambda r, s: {**_coop(r, s), "pk": r.membership[s].pk}),
    "members:contribution_add": Page("change_record", lambda r, s: {**_coop(r, s), "pk": r.membership[s].pk}),
    "members:officer_add": Page("change_record", _coop),
    "members:assembly_add": Page("change_record", _coop),
    "members:return_add": Page("change_record", _coop),
    "members:person": Page("staff_record", lambda r, s: {"pk": r.membership[s].person_id}),
    "members:returns": Page("staff"),
    "members:returns_export": Page("staff", lambda r, s: {"fmt": "xlsx"}),
    "members:reviews": Page("change"),
    "members:review_accept": Page("change_record", lambda r, s: {"pk": r.proposal[s].pk}, post_only=True),
    "members:review_refuse": Page("change_record", lambda r, s: {"pk": r.proposal[s].pk}, post_only=True),
    "members:portal": Page("portal"),
    "members:propose": Page("portal", lambda r, s: {"kind": "contact"}),
    "registry:list": Page("staff"),
    "registry:create": Page("change"),
    "registry:export": Page("staff", lambda r, s: {"fmt": "xlsx"}),
    "registry:detail": Page("staff_record", _coop),
    "registry:edit": Page("change_record", _coop),
    "registry:status": Page("change_record", _coop),
    "registry:print": Page("staff_record", _coop),
    "registry:history": Page("staff_record", _coop),
    "projects:list": Page("staff"),
    "projects:create": Page("change"),
    "projects:export": Page("staff", lambda r, s: {"fmt": "csv"}),
    "projects:detail": Page("staff_record", lambda r, s: {"pk": r.project[s].pk}),
    "projects:edit": Page("change_record", lambda r, s: {"pk": r.project[s].pk}),
    "projects:stage": Page("change_record", lambda r, s: {"pk": r.project[s].pk}),
    "projects:history": Page("staff_record", lambda r, s: {"pk": r.project[s].pk}),
    "projects:facility_add": Page("change_record", lambda r, s: {"pk": r.project[s].pk}),
    "projects:facility_edit": Page(
        "change_record", lambda r, s: {"pk": r.project[s].pk, "facility_pk": r.facility[s].pk}
    ),
    "imports:list": Page("change"),
    "imports:template": Page("change", lambda r, s: {"kind": "members"}),
    "imports:detail": Page("change_record", lambda r, s: {"pk": r.batch[s].pk}),
    "imports:progress": Page("change_record", lambda r, s: {"pk": r.batch[s].pk}),
    "imports:remap": Page(
        "change_record", lambda r, s: {"pk": r.batch[s].pk}, post_only=True, maker_only=True
    ),
    "imports:decide": Page(
        "change_record", lambda r, s: {"pk": r.batch[s].pk}, post_only=True, maker_only=True
    ),
    "imports:commit": Page(
        "change_record", lambda r, s: {"pk": r.batch[s].pk}, post_only=True, maker_only=True
    ),
    "imports:undo": Page(
        "change_record", lambda r, s: {"pk": r.batch[s].pk}, post_only=True, maker_only=True
    ),
    "imports:rejected": Page("change_record", lambda r, s: {"pk": r.batch[s].pk}),
    "reports:dashboard": Page("staff"),
    "reports:press": Page("staff"),
    # publishing the press paragraph: the province's staff (the home province's, by default)
    "reports:publish": Page("province_change", post_only=True),
    "publications:detail": Page("public", lambda r, s: {"token": r.publication.token}, get_only=True),
    "publications:changes": Page("public", lambda r, s: {"token": r.publication.token}, get_only=True),
    "triage:flagged": Page("staff"),
    "triage:flagged_export": Page("staff", lambda r, s: {"fmt": "csv"}),
    "triage:run": Page("change", post_only=True),
    "triage:health": Page("staff"),
    "triage:rules": Page("admin"),
    "triage:cases": Page("staff"),
    "triage:case_open": Page("change"),
    "triage:case": Page("staff_record", lambda r, s: {"pk": r.case[s].pk}),
    "triage:case_visit": Page("change_record", lambda r, s: {"pk": r.case[s].pk}),
    "triage:case_step": Page("change_record", lambda r, s: {"pk": r.case[s].pk}),
    "triage:case_decide": Page("change_record", lambda r, s: {"pk": r.case[s].pk}),
    "triage:case_assign": Page("change_record", lambda r, s: {"pk": r.case[s].pk}),
    "triage:case_summons": Page("change_record", lambda r, s: {"pk": r.case[s].pk}),
    "servicedesk:queue": Page("staff"),
    "servicedesk:new": Page("change"),
    "servicedesk:cooperative_search": Page("change"),
    "servicedesk:detail": Page("staff_record", lambda r, s: {"code": r.sd_request[s].code}),
    "servicedesk:reply": Page("change_record", lambda r, s: {"code": r.sd_request[s].code}, post_only=True),
    "servicedesk:status": Page("change_record", lambda r, s: {"code": r.sd_request[s].code}, post_only=True),
    "servicedesk:assign": Page("change_record", lambda r, s: {"code": r.sd_request[s].code}, post_only=True),
    "servicedesk:transfer": Page(
        "change_record", lambda r, s: {"code": r.sd_request[s].code}, post_only=True
    ),
    "servicedesk:portal_list": Page("portal"),
    "servicedesk:portal_new": Page("portal"),
    "servicedesk:portal_detail": Page("portal", lambda r, s: {"code": r.sd_request["own"].code}),
    "servicedesk:portal_rate": Page(
        "portal", lambda r, s: {"code": r.sd_request["own"].code}, post_only=True
    ),
    "servicedesk:lookup": Page("public"),
    "servicedesk:stats": Page("staff"),
    # the festival: staff pages of an edition (20) and its candidates; the running (festival_admin); the jury; the
    # representative's portal; the public winners list
    # Cooperative Week: the programme of 1404, an event, the exhibition
    "events:index": Page("staff"),
    "events:programme": Page("staff", lambda r, s: {"year": 1404}),
    "events:event_new": Page("change", lambda r, s: {"year": 1404}),
    "events:exhibition": Page("staff", lambda r, s: {"year": 1404}),
    "events:event": Page("staff_record", lambda r, s: {"pk": r.event[s].pk}),
    "events:event_edit": Page("change_record", lambda r, s: {"pk": r.event[s].pk}, post_only=True),
    "events:event_delete": Page("change_record", lambda r, s: {"pk": r.event[s].pk}, post_only=True),
    "events:event_projects": Page("change_record", lambda r, s: {"pk": r.event[s].pk}, post_only=True),
    "events:booth_add": Page("province_change", lambda r, s: {"year": 1404}, post_only=True),
    "events:visitors": Page("province_change", lambda r, s: {"year": 1404}, post_only=True),
    "events:booth_remove": Page("province_change", lambda r, s: {"pk": r.booth.pk}, post_only=True),
    "festival:editions": Page("staff"),
    "festival:edition": Page("staff", _edition),
    "festival:candidates": Page("staff", _edition),
    "festival:criteria": Page("staff", _edition),
    "festival:candidate": Page("staff_record", lambda r, s: {"number": 20, "pk": r.candidate[s].pk}),
    "festival:nominate": Page("change", _edition, post_only=True),
    "festival:recheck": Page("province_change", _edition, post_only=True),
    "festival:stage1": Page("province_change", _edition, post_only=True),
    "festival:weights": Page(
        "province_change",
        lambda r, s: {"number": 20, "category": r.candidate["own"].category.code},
        post_only=True,
    ),
    "festival:portal": Page("portal"),
    "festival:portal_apply": Page("portal", _edition, post_only=True),
    "festival:portal_sheet": Page("portal", _edition),
    "festival:jury": Page("juror"),
    "festival:jury_candidate": Page("juror", lambda r, s: {"pk": r.candidate["own"].pk}),
    "festival:jury_conflicts": Page("juror"),
    "festival:jurors": Page("province_change", _edition),
    "festival:juror_remove": Page(
        "province_change", lambda r, s: {"number": 20, "pk": r.juror_assignment.pk}, post_only=True
    ),
    "festival:results": Page("staff", _edition),
    "festival:results_publish": Page("province_change", _edition, post_only=True),
    "festival:appeals": Page("staff", _edition),
    "festival:appeal_new": Page("change", _edition),
    "festival:appeal_decide": Page(
        "province_change", lambda r, s: {"pk": r.appeal["own"].pk}, post_only=True
    ),
    "festival:portal_appeal": Page("portal", _edition),
    "festival:winners": Page("public", _edition, get_only=True),
    "festival:certificate": Page(
        "staff_record", lambda r, s: {"number": 20, "pk": r.festival_ranking[s].candidate_id}, get_only=True
    ),
    "festival:portal_certificate": Page("portal", _edition),
    # field visits: the office's pages
    "visits:plan": Page("staff"),
    "visits:plan_new": Page("change"),
    "visits:visit": Page("staff_record", lambda r, s: {"pk": r.visit[s].pk}),
    "visits:visit_replan": Page("change_record", lambda r, s: {"pk": r.planned_visit[s].pk}, post_only=True),
    "visits:visit_cancel": Page("change_record", lambda r, s: {"pk": r.planned_visit[s].pk}, post_only=True),
    "visits:visit_reviewed": Page("change_record", lambda r, s: {"pk": r.visit[s].pk}, post_only=True),
    "visits:finding_add": Page("change_record", lambda r, s: {"pk": r.visit[s].pk}, post_only=True),
    "visits:action_add": Page("change_record", lambda r, s: {"pk": r.finding[s].pk}, post_only=True),
    "visits:finding_close": Page("change_record", lambda r, s: {"pk": r.finding[s].pk}, post_only=True),
    "visits:finding_reopen": Page("change_record", lambda r, s: {"pk": r.finding[s].pk}, post_only=True),
    "visits:action_status": Page("change_record", lambda r, s: {"pk": r.action[s].pk}, post_only=True),
    "visits:action_request": Page("change_record", lambda r, s: {"pk": r.action[s].pk}, post_only=True),
    "visits:findings": Page("staff"),
    "visits:actions": Page("staff"),
    "visits:figures": Page("staff"),
    # the inspector's offline app: its page, the data it caches, the reports' endpoint; manifest and worker public
    "visits:field": Page("change", get_only=True),
    "visits:field_data": Page("change", get_only=True),
    "visits:field_sync": Page("change", post_only=True),
    "visits:field_manifest": Page("public", get_only=True),
    "visits:field_sw": Page("public", get_only=True),
    "api-stats-projects": Page("public", get_only=True),
    "api-schema": Page("public", get_only=True),
    # the public site (issue 16): the register, profiles, figures, the map, verification, open data and its API
    "public:register": Page("public", get_only=True),
    "public:profile": Page("public", _coop, get_only=True),
    "public:statistics": Page("public", get_only=True),
    "public:map": Page("public", get_only=True),
    "public:verify_form": Page("public", get_only=True),
    "public:verify": Page(
        "public", lambda r, s: {**_coop(r, s), "token": _card_token(r.coop[s])}, get_only=True
    ),
    "public:opendata": Page("public_run"),
    "public:opendata_file": Page("public", lambda r, s: {"filename": "datapackage.json"}, get_only=True),
    "api-root": Page("public", get_only=True),
    "api-cooperatives": Page("public", get_only=True),
    "api-cooperative": Page("public", _coop, get_only=True),
    "api-projects": Page("public", get_only=True),
    "api-stats-cooperatives": Page("public", get_only=True),
    "api-places": Page("public", get_only=True),
    "api-sectors": Page("public", get_only=True),
    "api-docs": Page("public", get_only=True),
    # the staff's identity cards: one cooperative's (its jurisdiction), and cards in batch for a filter
    "public:card": Page("staff_record", _coop, get_only=True),
    "public:card_batch": Page("staff"),
    "public:card_batch_status": Page("maker", lambda r, s: {"job": r.card_job}, get_only=True),
    "public:card_batch_download": Page("maker", lambda r, s: {"job": r.card_job}, get_only=True),
    "document": Page("document"),
}
DOCUMENT_KINDS = {  # kind → (the records' attribute, whether a representative opens their own)
    "status-evidence": ("status_change", False),
    "minutes": ("assembly", True),
    "statements": ("annual_return", True),
    "proposal": ("proposal", True),
    "import-file": ("batch", False),
    "case-step": ("case_step", False),
    "case-evidence": ("decided_case", False),
    "servicedesk-attachment": ("sd_attachment", True),
    "visit-photo": ("visit_photo", False),
    "festival-appeal": ("appeal", True),
}


def url_names() -> list[str]:
    """Every named URL pattern, walking the resolver (Django's admin excepted: its own staff gate, checked below)."""

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                yield from walk(p.url_patterns, p.namespace or namespace)
            else:
                assert p.name, f"a URL without a name cannot join the access matrix: {p.pattern}"
                yield f"{namespace}:{p.name}" if namespace else p.name

    return list(walk(get_resolver().url_patterns))


def test_every_page_is_in_the_matrix():
    names = url_names()
    missing = sorted(set(names) - set(PAGES))
    assert not missing, f"pages without an access rule in PAGES: {missing}"
    stale = sorted(set(PAGES) - set(names))
    assert not stale, f"PAGES lists pages that no longer exist: {stale}"
    from taavon.core.contributions import DOCUMENTS

    assert set(DOCUMENTS) == set(DOCUMENT_KINDS), "a document kind without an access rule"


class Records:
    """One of everything, in each of three places: "own" (Khorramabad), "province" (Borujerd), "other" (Tehran)."""

    def __init__(self, admin, places: dict):
        from taavon.imports.services import import_preview
        from taavon.members.proposals import proposal_submit
        from taavon.members.services import assembly_record, membership_add, person_register, return_file
        from taavon.registry.services import cooperative_change_status

        self.coop, self.project, self.facility, self.membership = {}, {}, {}, {}
        self.proposal, self.assembly, self.annual_return, self.status_change, self.batch = {}, {}, {}, {}, {}
        self.representative, self.officer = {}, {}
        self.case, self.case_step, self.decided_case = {}, {}, {}
        self.sd_request, self.sd_attachment = {}, {}
        self.visit, self.planned_visit, self.finding, self.action, self.visit_photo = {}, {}, {}, {}, {}
        codes = {"own": "0076229645", "province": "1583250689", "other": "0013542419"}
        for scope, county in places.items():
            coop = make_cooperative(
                acting_user=admin, county=county, registration_date=datetime.date(2015, 5, 1)
            )
            self.coop[scope] = coop
            self.status_change[scope] = cooperative_change_status(
                acting_user=admin,
                cooperative=coop,
                to_status="dormant",
                reason="گزارش بازدید: توقف فعالیت",
                evidence=SimpleUploadedFile("e.pdf", PDF),
            )
            self.project[scope] = make_project(acting_user=admin, cooperative=coop)
            self.facility[scope] = make_facility(
                acting_user=admin, project=self.project[scope], bank="بانک توسعه تعاون", approved_rial=100
            )
            person = person_register(
                acting_user=admin,
                national_code=codes[scope],
                first_name="مینا",
                last_name="کرمی",
                gender="female",
            )
            self.membership[scope] = membership_add(
                acting_user=admin, cooperative=coop, person=person, join_date=datetime.date(2016, 1, 1)
            )
            self.assembly[scope] = assembly_record(
                acting_user=admin,
                cooperative=coop,
                date=datetime.date(2024, 5, 1),
                minutes=SimpleUploadedFile("m.pdf", PDF),
            )
            self.annual_return[scope] = return_file(
                acting_user=admin,
                cooperative=coop,
                fiscal_year=1402,
                filed_on=datetime.date(2024, 5, 1),
                statements=SimpleUploadedFile("s.pdf", PDF),
            )
            rep = UserFactory(role="representative", cooperative=coop, county=county, username=f"rep-{scope}")
            self.representative[scope] = rep
            self.proposal[scope] = proposal_submit(
                acting_user=rep,
                kind="contact",
                payload={"address": "خیابان امام", "phone": "", "postal_code": ""},
                document=SimpleUploadedFile("p.pdf", PDF),
            )
            officer = UserFactory(
                role="county", county=county, province=county.province, username=f"officer-{scope}"
            )
            self.officer[scope] = officer
            rows = [["شماره شناسنامه", "عنوان طرح", "سرمایه گذاری"], [coop.shenasnameh, "طرح آزمون", "1000"]]
            self.batch[scope], _ = import_preview(
                acting_user=officer, kind="projects", data=xlsx(rows), filename="p.xlsx"
            )
            self._cases(admin, scope, coop, county, officer)
            self._servicedesk(scope, coop, officer)
            self._visits(scope, coop, officer)
        self.juror = UserFactory(role="juror", username="matrix-juror")
        # a batch of identity cards the county officer of Khorramabad asked for (queued: never run here)
        import uuid

        from taavon.public import cards_tasks

        self.card_job = uuid.uuid4().hex
        cards_tasks._job_set(
            self.card_job, user=self.officer["own"].pk, state=cards_tasks.QUEUED, done=0, total=0
        )
        self._festival(admin)
        self._events(admin, places)

    def _cases(self, admin, scope, coop, county, officer):
        """Triage: an open case on the cooperative (assigned to the county's officer) with a step that keeps a
        document, and a decided case on another cooperative, with the decision's evidence."""
        from taavon.triage.cases import case_decide, case_open, case_step_add

        today = timezone.localdate()
        deadline = today + datetime.timedelta(days=30)
        self.case[scope] = case_open(
            acting_user=admin, cooperative=coop, assigned_to=officer, deadline=deadline, reason="راکد"
        )
        self.case_step[scope] = case_step_add(
            acting_user=admin,
            case=self.case[scope],
            kind="documents",
            date=today,
            document=SimpleUploadedFile("d.pdf", PDF),
        )
        other = make_cooperative(acting_user=admin, county=county, status="dormant")
        decided = case_open(
            acting_user=admin, cooperative=other, assigned_to=officer, deadline=deadline, reason="x"
        )
        self.decided_case[scope] = case_decide(
            acting_user=admin,
            case=decided,
            outcome="liquidation",
            decided_on=today,
            note="رأی کمیسیون",
            evidence=SimpleUploadedFile("r.pdf", PDF),
        )

    def _servicedesk(self, scope, coop, officer):
        """The service desk: a request of the cooperative filed at the desk by the county's officer (assigned to
        them), with an attachment."""
        from taavon.servicedesk.models import Attachment, Category
        from taavon.servicedesk.services import request_file

        self.sd_request[scope] = request_file(
            acting_user=officer,
            channel="desk",
            category=Category.objects.get(code="financing"),
            subject="درخواست تسهیلات",
            mobile="09161234567",
            cooperative=coop,
            assignee=officer,
        )
        self.sd_attachment[scope] = Attachment.objects.create(
            request=self.sd_request[scope],
            file=SimpleUploadedFile("a.pdf", PDF),
            name="a.pdf",
            uploaded_by=officer,
        )

    def _visits(self, scope, coop, officer):
        """Field visits: the county's officer is its inspector; a visit planned for next week, and a visit reported
        yesterday with a finding, its action and a photo."""
        import io

        from PIL import Image

        from tests.factories import make_report, make_visit

        officer.is_inspector = True
        officer.save(update_fields=["is_inspector"])
        today = timezone.localdate()
        self.planned_visit[scope] = make_visit(
            acting_user=officer,
            cooperative=coop,
            inspectors=[officer],
            planned_on=today + datetime.timedelta(days=7),
        )
        buf = io.BytesIO()
        Image.new("RGB", (64, 48), (120, 90, 30)).save(buf, "JPEG")
        self.visit[scope] = make_report(
            acting_user=officer,
            cooperative=coop,
            visited_on=today - datetime.timedelta(days=1),
            findings=[
                {
                    "category": "market",
                    "severity": "medium",
                    "description": "فروش کم",
                    "actions": [{"what": "معرفی به نمایشگاه", "owner": "cooperative", "due_on": today}],
                }
            ],
            photos=[SimpleUploadedFile("v.jpg", buf.getvalue())],
        )
        self.finding[scope] = self.visit[scope].findings.get()
        self.action[scope] = self.finding[scope].actions.get()
        self.visit_photo[scope] = self.visit[scope].photos.get()

    def _events(self, admin, places):
        """Cooperative Week 1404: an opening in each place, Lorestan's exhibition with the own cooperative's booth."""
        from taavon.events.services import booth_add, event_add, exhibition_add
        from taavon.persian import to_gregorian

        self.event = {}
        for scope, county in places.items():
            self.event[scope] = event_add(
                acting_user=admin,
                kind="opening",
                title="آیین افتتاح",
                starts_at=timezone.make_aware(
                    datetime.datetime.combine(to_gregorian(1404, 6, 11), datetime.time(10))
                ),
                province=county.province,
                county=county,
            )
        self.exhibition = exhibition_add(
            acting_user=admin,
            province=places["own"].province,
            title="نمایشگاه توانمندی‌های بخش تعاون",
            starts_on=to_gregorian(1404, 6, 11),
            ends_on=to_gregorian(1404, 6, 17),
        )
        self.booth = booth_add(
            acting_user=admin,
            exhibition=self.exhibition,
            number="1",
            cooperative=self.coop["own"],
            products="پوشاک",
        )

    def _festival(self, admin):
        """The festival: edition 20 of Lorestan, published, its appeals open; a candidate in each place (one
        category), ranked; the juror assigned to that category; an appeal with its evidence on each candidate."""
        from decimal import Decimal

        from taavon.festival.models import (
            Appeal,
            Candidate,
            CandidateStatus,
            Channel,
            JurorAssignment,
            Ranking,
        )
        from taavon.festival.services import edition_create
        from taavon.places.models import Province

        today, now = timezone.localdate(), timezone.now()
        day = datetime.timedelta(days=1)
        self.edition = edition_create(
            acting_user=admin,
            number=20,
            year=1404,
            province=Province.objects.get(code="IR-15"),
            title="بیستمین جشنواره تعاونی‌های برتر",
            applications_open=today - 90 * day,
            applications_close=today - 60 * day,
            jury_locks_at=now - 30 * day,
            results_on=today - 2 * day,
            appeals_close=today + 10 * day,
            record_updated_since=today - 365 * day,
        )
        self.candidate, self.festival_ranking, self.appeal = {}, {}, {}
        principles = self.edition.criteria.get(code="principles")
        for i, scope in enumerate(("own", "province", "other")):
            coop = self.coop[scope]
            candidate = Candidate.objects.create(
                edition=self.edition,
                cooperative=coop,
                category=coop.sector,
                channel=Channel.NOMINATED,
                applied_by=admin,
                applied_at=now - 80 * day,
                status=CandidateStatus.ELIGIBLE,
                checked_at=now - 80 * day,
            )
            self.candidate[scope] = candidate
            self.festival_ranking[scope] = Ranking.objects.create(
                candidate=candidate,
                rank=i + 1,
                computed_score=Decimal(50 - i),
                jury_score=Decimal(30),
                total_score=Decimal(80 - i),
            )
            self.appeal[scope] = Appeal.objects.create(
                candidate=candidate,
                criterion=principles,
                reason="امتیاز اصول تعاون کم است",
                evidence=SimpleUploadedFile("ap.pdf", PDF),
                filed_by=admin,
                filed_at=now - day,
            )
        self.edition.results_published_at = now - 2 * day
        self.edition.save(update_fields=["results_published_at"])
        self.juror_assignment = JurorAssignment.objects.create(
            edition=self.edition, juror=self.juror, category=self.candidate["own"].category, assigned_by=admin
        )
        from taavon.places.models import Province
        from taavon.reports.publications import publication_publish_press

        self.publication = publication_publish_press(
            acting_user=admin,
            province=Province.objects.get(code="IR-15"),
            start=datetime.date(2025, 9, 2),
            end=datetime.date(2025, 9, 8),
        )


@pytest.fixture
def records(admin_user, khorramabad, borujerd):
    from taavon.places.models import County

    tehran = County.objects.get(province__code="IR-23", name_en="Tehran")
    return Records(admin_user, {"own": khorramabad, "province": borujerd, "other": tehran})


def _user(role: str, records: Records, lorestan, khorramabad):
    if role == "anonymous":
        return None
    if role == "representative":
        return records.representative["own"]
    if role == "county":
        return records.officer["own"]
    if role == "juror":
        return records.juror
    spec = {
        "viewer": {"role": "viewer", "province": lorestan},
        "county_viewer": {"role": "viewer", "province": lorestan, "county": khorramabad},
        "provincial": {"role": "provincial", "province": lorestan},
        "admin": {"role": "admin", "is_staff": True, "is_superuser": True},
    }[role]
    return UserFactory(username=f"matrix-{role}", **spec)


def expected(page: Page, role: str, scope: str | None, method: str, doc_kind: str | None = None) -> str:
    """ "ok", "403", "404", "405", "login" or "portal" for this page, role, record place and method."""
    kind = page.kind
    if kind == "public":
        return "405" if page.get_only and method == "POST" else "ok"
    if kind == "public_run":  # read by anyone; what POST does (a rebuild) is the province's staff's
        return "ok" if method == "GET" or role in ("admin", "provincial") else "403"
    if kind == "login":
        return "ok"
    if kind == "language":
        return "ok" if method == "POST" else "405"
    if kind == "logout":  # signs out whoever asks, and shows the login page
        return "login" if method == "POST" else "405"
    if kind == "home" and role == "anonymous":
        return "405" if method == "POST" else "ok"  # the public site's home page
    if role == "anonymous":
        return "login"
    if kind == "home":
        return "portal" if role == "representative" else "ok"  # a juror: sent to the jury's page
    if kind == "portal":
        if role != "representative":
            return "403"
        return "405" if page.post_only and method == "GET" else "ok"
    if kind == "juror":
        if role != "juror":
            return "403"
        return "405" if page.post_only and method == "GET" else "ok"
    if (
        kind == "province_change"
    ):  # the festival, the week's exhibition: the province's staff (and administrators)
        if role not in ("admin", "provincial"):
            return "403"
        return "405" if page.post_only and method == "GET" else "ok"
    if kind == "admin":
        return "ok" if role == "admin" else "403"
    if kind == "maker":  # a batch the county officer of Khorramabad started: anyone else finds nothing
        if role in ("representative", "juror"):
            return "403"
        if page.get_only and method == "POST":
            return "405"
        return "ok" if role == "county" else "404"
    inside = scope is None or scope in INSIDE[role]
    if role == "juror" and kind != "document":
        return "403"  # every staff page
    if kind == "document":
        _, for_rep = DOCUMENT_KINDS[doc_kind]
        if role == "representative" and not for_rep:
            return "404"
        if doc_kind == "import-file" and role not in CHANGERS:
            return "404"
        return "ok" if inside else "404"
    if role == "representative":
        return "403"
    if kind in ("change", "change_record") and role not in CHANGERS:
        return "403"
    if page.post_only and method == "GET":
        return "405"
    if page.get_only and method == "POST":
        return "405"
    if not inside:
        return "404"
    if page.maker_only and not (role == "county" and scope == "own"):  # the batches' makers: officer[scope]
        return "403"
    return "ok"


# Pages whose POST is sent with valid data (not only an empty form that never reaches a service): allowed, it must
# write (an audit row); refused, it must not. {name: records, scope → data}
VALID_POST = {
    "registry:status": lambda r, s: {"to_status": "active", "reason": "از سرگیری فعالیت پس از بازدید"},
    "members:member_leave": lambda r, s: {"leave_date": "۱۴۰۳/۰۱/۱۰", "reason": "استعفا"},
    "members:contribution_add": lambda r, s: {"date": "۱۴۰۳/۰۱/۱۰", "amount_rial": "۱٬۰۰۰٬۰۰۰"},
    "projects:stage": lambda r, s: {"to_stage": "licensing", "date": "۱۴۰۳/۰۱/۱۰"},
    "projects:facility_add": lambda r, s: {
        "bank": "بانک ملی",
        "requested_rial": "۱۰۰",
        "approved_rial": "۵۰",
    },
    "members:review_accept": lambda r, s: {},
    "servicedesk:reply": lambda r, s: {"body": "پاسخ آزمون", "then": "answered"},
    "servicedesk:status": lambda r, s: {"to_status": "in_progress"},
    "visits:visit_replan": lambda r, s: {
        "planned_on": format_jalali(timezone.localdate() + datetime.timedelta(days=9), "short"),
        "inspectors": [r.officer[s].pk],
    },
    "visits:visit_cancel": lambda r, s: {"reason": "برف و بسته بودن جاده"},
    "visits:finding_add": lambda r, s: {
        "category": "labour",
        "severity": "low",
        "description": "کمبود نیروی ماهر",
    },
    "visits:action_add": lambda r, s: {
        "what": "معرفی به فنی و حرفه‌ای",
        "owner": "cooperative",
        "due_on": format_jalali(timezone.localdate() + datetime.timedelta(days=20), "short"),
    },
    "visits:action_status": lambda r, s: {"status": "cancelled"},
    "visits:action_request": lambda r, s: {
        "category": _category_pk(),
        "mobile": "09161234567",
        "priority": "normal",
    },
    "triage:case_step": lambda r, s: {
        "kind": "contact",
        "date": format_jalali(timezone.localdate(), "short"),
        "channel": "phone",
        "reached": "no",
    },
}


def _category_pk() -> int:
    from taavon.servicedesk.models import Category

    return Category.objects.get(code="financing").pk


def _writes() -> int:
    """How many audit rows exist (any write of the pages above leaves at least one)."""
    from taavon.members.models import Contribution, Membership, Proposal
    from taavon.projects.models import Facility, Project, StageChange
    from taavon.registry.models import Cooperative, StatusChange
    from taavon.servicedesk.models import Message
    from taavon.servicedesk.models import Request as ServiceRequest
    from taavon.triage.models import Case, CaseStep
    from taavon.visits.models import Action, Finding, Visit

    return sum(
        m.objects.count()
        for m in (
            Cooperative.history.model,
            Project.history.model,
            Facility.history.model,
            Membership.history.model,
            Contribution.history.model,
            Proposal.history.model,
            StatusChange,
            StageChange,
            Case.history.model,
            CaseStep.history.model,
            ServiceRequest.history.model,
            Message.history.model,
            Visit.history.model,
            Finding.history.model,
            Action.history.model,
        )
    )


def _outcome(response) -> str:
    code = response.status_code
    if code == 302:
        location = response["Location"]
        if location.startswith(reverse("accounts:login")):
            return "login"
        if location.startswith(reverse("members:portal")):
            return "portal"
        return "ok"
    # 422: the gate let the user in and the form (an empty POST here) was sent back with what is wrong in it
    if code in (200, 201, 204, 422):
        return "ok"
    return str(code)


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, client, records, lorestan, khorramabad):
    """Every URL × this role × inside/outside × GET/POST. Each request runs in a savepoint rolled back at once, so
    a POST that changes something (accepting a proposal, committing an import) does not change what the next
    request finds."""
    user = _user(role, records, lorestan, khorramabad)
    checked, wrong = 0, []
    for name in url_names():
        page = PAGES[name]
        cases = []
        if name == "document":
            for doc_kind, (attr, _) in DOCUMENT_KINDS.items():
                for scope in ("own", "province", "other"):
                    obj = getattr(records, attr)[scope]
                    cases.append((reverse(name, kwargs={"kind": doc_kind, "pk": obj.pk}), scope, doc_kind))
        elif page.args is None:
            cases.append((reverse(name), None, None))
        elif page.kind in ("staff_record", "change_record"):
            for scope in ("own", "province", "other"):
                cases.append((reverse(name, kwargs=page.args(records, scope)), scope, None))
        else:
            cases.append((reverse(name, kwargs=page.args(records, "own")), None, None))
        for url, scope, doc_kind in cases:
            for method in ("GET", "POST"):
                if name == "accounts:login" and method == "POST":
                    continue  # a failed login counts towards the lockout; the login itself is tested elsewhere
                want = expected(page, role, scope, method, doc_kind)
                valid = method == "POST" and name in VALID_POST
                data = VALID_POST[name](records, scope) if valid else {}
                with transaction.atomic():
                    client.logout()
                    if user is not None:
                        client.force_login(user)
                    before = _writes() if valid else 0
                    response = client.get(url) if method == "GET" else client.post(url, data)
                    wrote = _writes() > before if valid else None
                    transaction.set_rollback(True)
                got = _outcome(response)
                checked += 1
                if got != want:
                    wrong.append(f"{method} {url} ({scope or '-'}): expected {want}, got {got}")
                elif valid and wrote != (want == "ok"):
                    wrong.append(
                        f"{method} {url} ({scope or '-'}): {'no write' if want == 'ok' else 'a write'}"
                    )
                elif valid and want == "ok" and response.status_code != 302:
                    wrong.append(f"{method} {url} ({scope or '-'}): valid data refused")
    print(f"access matrix: {role}: {checked} requests")
    assert not wrong, f"{role}: {len(wrong)} of {checked} wrong:\n" + "\n".join(wrong)
    assert checked > 150


def test_refusals_show_no_record(client, records):
    """A 404 outside the jurisdiction looks the same whether the record exists or not (the county officer asks for
    Borujerd's cooperative and for a number that does not exist)."""
    client.force_login(records.officer["own"])
    theirs = client.get(reverse("registry:detail", args=[records.coop["province"].shenasnameh]))
    nowhere = client.get(reverse("registry:detail", args=["15-1390-99999"]))
    assert theirs.status_code == nowhere.status_code == 404

    def main(response) -> str:
        body = response.content.decode()
        return body[body.index("<main") : body.index("</main>")]

    assert main(theirs) == main(nowhere)
    assert records.coop["province"].name not in theirs.content.decode()


def test_django_admin_is_for_administrators_only(client, records, admin_user):
    client.force_login(records.officer["own"])
    assert client.get("/admin/").status_code == 302  # to the admin's own login: not staff
    client.force_login(admin_user)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    assert client.get("/admin/").status_code == 200


def test_a_document_is_served_to_who_may_see_it_with_an_unguessable_name(client, records, settings):
    evidence = records.status_change["own"].evidence
    stored = evidence.name.rsplit("/", 1)[-1]
    # a random name, not the upload's
    assert stored != "e.pdf" and stored.endswith(".pdf") and len(stored) >= 24
    url = reverse("document", kwargs={"kind": "status-evidence", "pk": records.status_change["own"].pk})
    client.force_login(records.officer["own"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    # behind nginx: the web server sends the file (X-Accel-Redirect to an internal location)
    settings.TAAVON_X_ACCEL_REDIRECT = "/protected-media/"
    response = client.get(url)
    assert response["X-Accel-Redirect"] == "/protected-media/" + evidence.name
    assert not response.content
    # the media folder is not a public path
    assert client.get("/media/" + evidence.name).status_code == 404


def test_documents_kept_under_their_uploaders_names_are_renamed(records, settings):
    """Files uploaded before names were random: the data migration's step moves them and points rows and history
    rows at the new names; behind nginx the path is sent quoted."""
    from django.core.files.storage import default_storage

    from taavon.core.files import rename_to_unguessable
    from taavon.members.models import GeneralAssembly

    assembly = records.assembly["own"]
    old = default_storage.save("minutes/2024/صورت جلسه مجمع.pdf", SimpleUploadedFile("x.pdf", PDF))
    GeneralAssembly.objects.filter(pk=assembly.pk).update(minutes=old)
    GeneralAssembly.history.filter(id=assembly.pk).update(minutes=old)
    assert rename_to_unguessable(GeneralAssembly, "minutes", "minutes", GeneralAssembly.history.model) == 1
    assembly.refresh_from_db()
    assert assembly.minutes.name != old and "صورت" not in assembly.minutes.name
    assert default_storage.exists(assembly.minutes.name) and not default_storage.exists(old)
    assert not GeneralAssembly.history.filter(minutes=old).exists()
    assert rename_to_unguessable(GeneralAssembly, "minutes", "minutes") == 0  # the random names stay
