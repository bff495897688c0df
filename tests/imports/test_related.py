"""Importing projects (with a facility on the row), members (with contributions) and annual returns."""

import datetime

import pytest

from taavon.imports.services import import_commit, import_preview, import_undo
from taavon.members.models import AnnualReturn, Contribution, Membership, Person
from taavon.projects.models import Facility, Project
from tests.factories import make_cooperative
from tests.imports.test_import import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def coop(admin_user, khorramabad):
    return make_cooperative(
        acting_user=admin_user,
        county=khorramabad,
        name="تعاونی تولیدی پوشاک نگین",
        legal_id="10380284790",
        registration_date=datetime.date(2015, 5, 1),
    )


def run(user, rows, kind, unit="toman", title="فهرست"):
    batch, outcome = import_preview(
        acting_user=user, kind=kind, data=xlsx(rows, title=title), filename=f"{kind}.xlsx", unit=unit
    )
    return batch, outcome


PROJECT_ROWS = [
    [
        "شناسه ملی",
        "عنوان طرح",
        "مرحله",
        "ملاحظات",
        "سرمایه گذاری",
        "آورده اعضا",
        "اشتغال",
        "تاریخ شروع",
        "تاریخ افتتاح",
        "بانک",
        "تسهیلات درخواستی",
        "تسهیلات مصوب",
        "تسهیلات پرداخت شده",
        "تاریخ پرداخت",
    ],
    [
        "۱۰۳۸۰۲۸۴۷۹۰",
        "کارگاه دوخت",
        "افتتاح شده",
        "",
        "۸٬۵۰۰٬۰۰۰٬۰۰۰",
        "۶٬۰۰۰٬۰۰۰٬۰۰۰",
        "۱۸",
        "۱۴۰۲/۰۱/۱۵",
        "۱۴۰۴/۰۶/۱۱",
        "بانک توسعه تعاون",
        "۱٬۰۰۰٬۰۰۰٬۰۰۰",
        "۹۰۰٬۰۰۰٬۰۰۰",
        "۸۰۰٬۰۰۰٬۰۰۰",
        "۱۴۰۳/۰۵/۰۱",
    ],
]


def test_projects_with_a_facility_and_their_stage(admin_user, coop):
    batch, outcome = run(admin_user, PROJECT_ROWS, "projects")
    assert outcome.counts["create"] == 1 and not outcome.problems()
    assert Project.objects.count() == 0
    import_commit(acting_user=admin_user, batch=batch)
    project = Project.objects.get()
    assert project.cooperative == coop and project.stage == "opened"
    assert project.actual_opening_date == datetime.date(2025, 9, 2)
    assert project.investment_rial == 85_000_000_000 and project.jobs_direct_planned == 18
    assert [s.to_stage for s in project.stage_changes.order_by("id")] == ["construction", "ready", "opened"]
    facility = Facility.objects.get()
    assert facility.paid_rial == 8_000_000_000 and facility.history.get().history_user == admin_user
    batch2, outcome = run(admin_user, PROJECT_ROWS, "projects")  # the same file again
    assert outcome.counts["unchanged"] == 1
    import_commit(acting_user=admin_user, batch=batch2)
    assert Project.objects.count() == 1 and Facility.objects.count() == 1
    import_undo(acting_user=admin_user, batch=batch)
    assert Project.objects.count() == 0 and Facility.objects.count() == 0


def test_new_amounts_for_a_facility_update_it_not_add_a_second(admin_user, coop):
    """A later file with the facility's new paid amount (same bank, scheme however typed) updates that facility: the
    totals must not count it twice. Undo puts the old amount back."""
    first, _ = run(admin_user, PROJECT_ROWS, "projects")
    import_commit(acting_user=admin_user, batch=first)
    rows = [PROJECT_ROWS[0], [*PROJECT_ROWS[1]]]
    rows[1][9] = "بانك توسعه  تعاون"  # Arabic kaf, two spaces
    rows[1][12] = "۸۵۰٬۰۰۰٬۰۰۰"
    batch, outcome = run(admin_user, rows, "projects")
    assert outcome.counts["update"] == 1 and not outcome.problems()
    import_commit(acting_user=admin_user, batch=batch)
    facility = Facility.objects.get()
    assert facility.paid_rial == 8_500_000_000 and facility.approved_rial == 9_000_000_000
    import_undo(acting_user=admin_user, batch=batch)
    assert Facility.objects.get().paid_rial == 8_000_000_000
    rows[1][9] = "بانک کشاورزی"  # another bank: a second facility
    batch, _ = run(admin_user, rows, "projects")
    import_commit(acting_user=admin_user, batch=batch)
    assert Facility.objects.count() == 2


def test_project_rules_hold_in_imports(admin_user, coop):
    rows = [PROJECT_ROWS[0], [*PROJECT_ROWS[1]]]
    rows[1][12] = "۹۵۰٬۰۰۰٬۰۰۰"  # paid above approved
    batch, outcome = run(admin_user, rows, "projects")
    assert outcome.counts["error"] == 1
    assert any("مصوب" in p["message"] for p in outcome.problems())
    assert not import_commit(acting_user=admin_user, batch=batch).committed
    assert Project.objects.count() == 0
    unknown = [PROJECT_ROWS[0], ["10000000001", *PROJECT_ROWS[1][1:]]]
    _, outcome = run(admin_user, unknown, "projects")
    assert outcome.counts["error"] == 1


MEMBER_ROWS = [
    ["شماره شناسنامه", "کد ملی", "نام", "نام خانوادگی", "جنسیت", "تاریخ عضویت", "سهام", "آورده"],
    [None, "۰۰۷۶۲۲۹۶۴۵", "مریم", "کرمی", "زن", "۱۳۹۵/۰۱/۱۰", "۱۰", "۵٬۰۰۰٬۰۰۰"],
    [None, "1583250689", "علی", "رضایی", "مرد", "1396-2-1", "5", "2,000,000"],
    [None, "1234567890", "نادرست", "کد", "مرد", "1396-2-1", "5", "1"],
]


def test_members_with_contributions(admin_user, coop):
    rows = [list(r) for r in MEMBER_ROWS]
    for r in rows[1:]:
        r[0] = coop.shenasnameh
    batch, outcome = run(admin_user, rows, "members", unit="rial")
    assert outcome.counts["create"] == 2 and outcome.counts["error"] == 1
    assert any(p["row"] == 6 and "کد ملی" in p["message"] for p in outcome.problems())
    assert not import_commit(acting_user=admin_user, batch=batch).committed  # all or nothing
    assert Person.objects.count() == 0
    batch, _ = run(admin_user, rows[:3], "members", unit="rial")
    import_commit(acting_user=admin_user, batch=batch)
    coop.refresh_from_db()
    assert (coop.members_women, coop.members_men, coop.capital_paid_rial) == (1, 1, 7_000_000)
    assert Contribution.objects.count() == 2
    _, again = run(admin_user, rows[:3], "members", unit="rial")
    assert again.counts["unchanged"] == 2
    import_undo(acting_user=admin_user, batch=batch)
    assert Membership.objects.count() == 0 and Person.objects.count() == 0


def test_a_member_row_naming_someone_else_is_refused_not_attached(admin_user, coop):
    """A national code typed with another person's name: a problem on the row, never a contribution to the
    registered person (whether or not they are already a member)."""
    rows = [list(r) for r in MEMBER_ROWS[:2]]
    rows[1][0] = coop.shenasnameh
    batch, _ = run(admin_user, rows, "members", unit="rial")
    import_commit(acting_user=admin_user, batch=batch)
    wrong = [rows[0], [coop.shenasnameh, "۰۰۷۶۲۲۹۶۴۵", "علی", "رضایی", "مرد", "۱۳۹۵/۰۱/۱۰", "۱۰", "۱٬۰۰۰"]]
    batch, outcome = run(admin_user, wrong, "members", unit="rial")
    assert outcome.counts["error"] == 1 and outcome.counts["update"] == 0
    assert "مریم کرمی" in outcome.problems()[0]["message"]
    assert not import_commit(acting_user=admin_user, batch=batch).committed
    assert Contribution.objects.count() == 1


def test_annual_returns(admin_user, coop):
    rows = [
        ["نام تعاونی", "شهرستان", "سال مالی", "تاریخ ارائه", "درآمد", "سود و زیان", "کارکنان"],
        ["تعاوني توليدي پوشاك نگين", "خرم آباد", "۱۴۰۲", "۱۴۰۳/۰۳/۰۱", "۱۲۰٬۰۰۰", "(۵٬۰۰۰)", "۴"],
        ["تعاونی تولیدی پوشاک نگین", "خرم‌آباد", "1390", "1391/03/01", "1", "0", "1"],
    ]
    batch, outcome = run(admin_user, rows, "returns", unit="toman")
    assert outcome.counts["create"] == 1 and outcome.counts["error"] == 1  # 1390 is before registration
    import_commit(acting_user=admin_user, batch=batch, valid_only=True)
    annual = AnnualReturn.objects.get()
    assert annual.profit_rial == -50_000 and annual.revenue_rial == 1_200_000 and annual.employees == 4


def test_staff_lists_export_and_import_back_unchanged(client, provincial, admin_user, coop):
    """Projects, members (a row per contribution) and returns: download, import the file, nothing changes."""
    from django.urls import reverse

    from taavon.members import services as members

    batch, _ = run(admin_user, PROJECT_ROWS, "projects")
    import_commit(acting_user=admin_user, batch=batch)
    person = members.person_register(
        acting_user=admin_user,
        national_code="0076229645",
        first_name="مریم",
        last_name="کرمی",
        gender="female",
        mobile="09161234567",
    )
    m = members.membership_add(
        acting_user=admin_user,
        cooperative=coop,
        person=person,
        join_date=datetime.date(2016, 3, 29),
        contribution_rial=5_000_000,
    )
    members.contribution_add(
        acting_user=admin_user, membership=m, date=datetime.date(2020, 1, 1), amount_rial=1_000_000
    )
    members.return_file(
        acting_user=admin_user,
        cooperative=coop,
        fiscal_year=1402,
        filed_on=datetime.date(2024, 5, 1),
        revenue_rial=10**9,
        profit_rial=-5 * 10**6,
    )
    client.force_login(provincial)
    downloads = {
        "projects": reverse("projects:export", args=["{fmt}"]),
        "members": reverse("members:members_export", args=[coop.shenasnameh, "{fmt}"]),
        "returns": reverse("members:returns_export", args=["{fmt}"]) + "?year=1402",
    }
    counts = (
        Project.objects.count(),
        Facility.objects.count(),
        Membership.objects.count(),
        Contribution.objects.count(),
        AnnualReturn.objects.count(),
    )
    for kind, url in downloads.items():
        for fmt in ("csv", "xlsx"):
            response = client.get(url.replace("%7Bfmt%7D", fmt))
            assert response.status_code == 200, (kind, fmt)
            data = response.content if fmt == "csv" else b"".join(response.streaming_content)
            b, outcome = import_preview(
                acting_user=admin_user, kind=kind, data=data, filename=f"x.{fmt}", unit="rial"
            )
            assert outcome.counts["create"] == outcome.counts["update"] == 0, (
                kind,
                fmt,
                outcome.problems(),
                outcome.counts,
            )
            assert not outcome.problems(), (kind, fmt, outcome.problems())
    assert counts == (
        Project.objects.count(),
        Facility.objects.count(),
        Membership.objects.count(),
        Contribution.objects.count(),
        AnnualReturn.objects.count(),
    )


def test_members_with_two_contributions_import_into_one_membership(admin_user, coop):
    rows = [
        MEMBER_ROWS[0],
        [coop.shenasnameh, "۰۰۷۶۲۲۹۶۴۵", "مریم", "کرمی", "زن", "۱۳۹۵/۰۱/۱۰", "۱۰", "۵٬۰۰۰٬۰۰۰"],
        [coop.shenasnameh, "۰۰۷۶۲۲۹۶۴۵", "مریم", "کرمی", "زن", "۱۳۹۵/۰۱/۱۰", "۱۰", "۲٬۰۰۰٬۰۰۰"],
    ]
    batch, outcome = run(admin_user, rows, "members", unit="rial")
    assert not outcome.problems(), outcome.problems()
    import_commit(acting_user=admin_user, batch=batch)
    assert Membership.objects.count() == 1 and Contribution.objects.count() == 2
