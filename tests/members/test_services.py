"""Members, organs, assemblies and returns: the rules, the derived figures, the warnings."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from taavon.members import selectors, services
from taavon.members.models import AnnualReturn, GeneralAssembly, Membership, Person
from taavon.persian import national_code_check_digit, to_gregorian
from taavon.registry.models import Activity
from taavon.registry.services import cooperative_update
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db
REG = datetime.date(2015, 5, 1)


def code(n: int) -> str:
    first9 = f"{n:09d}"
    return first9 + national_code_check_digit(first9)


def person(admin, n, gender="female"):
    return services.person_register(
        acting_user=admin, national_code=code(n), first_name="مریم", last_name=f"کرمی{n}", gender=gender
    )


@pytest.fixture
def coop(admin_user):
    return make_cooperative(acting_user=admin_user, registration_date=REG, capital_registered_rial=10**12)


def test_invalid_national_code_is_refused_and_not_stored(admin_user):
    with pytest.raises(ValidationError) as exc:
        services.person_register(
            acting_user=admin_user, national_code="0076229646", first_name="الف", last_name="ب", gender="male"
        )
    assert "national_code" in exc.value.message_dict
    assert Person.objects.count() == 0
    p = services.person_register(
        acting_user=admin_user, national_code="۰۰۷۶-۲۲۹۶۴۵", first_name="الف", last_name="ب", gender="male"
    )
    assert p.national_code == "0076229645"


def test_membership_cannot_start_before_registration(admin_user, coop):
    with pytest.raises(ValidationError) as exc:
        services.membership_add(
            acting_user=admin_user,
            cooperative=coop,
            person=person(admin_user, 1),
            join_date=REG - datetime.timedelta(days=1),
        )
    assert "join_date" in exc.value.message_dict
    assert Membership.objects.count() == 0


def test_no_two_open_memberships_in_one_cooperative(admin_user, coop):
    p = person(admin_user, 1)
    m = services.membership_add(acting_user=admin_user, cooperative=coop, person=p, join_date=REG)
    with pytest.raises(ValidationError) as exc:
        services.membership_add(acting_user=admin_user, cooperative=coop, person=p, join_date=REG)
    assert "person" in exc.value.message_dict
    services.membership_end(
        acting_user=admin_user, membership=m, leave_date=datetime.date(2020, 1, 1), reason="انصراف"
    )
    services.membership_add(
        acting_user=admin_user, cooperative=coop, person=p, join_date=datetime.date(2021, 1, 1)
    )
    assert Membership.objects.filter(person=p).count() == 2


def test_housing_membership_conflict_names_both_cooperatives(admin_user):
    housing = Activity.objects.get(code="housing")
    a = make_cooperative(
        acting_user=admin_user, name="تعاونی مسکن فرهنگیان", activity=housing, registration_date=REG
    )
    b = make_cooperative(
        acting_user=admin_user, name="تعاونی مسکن کارکنان", activity=housing, registration_date=REG
    )
    p = person(admin_user, 7)
    services.membership_add(acting_user=admin_user, cooperative=a, person=p, join_date=REG)
    with pytest.raises(ValidationError) as exc:
        services.membership_add(acting_user=admin_user, cooperative=b, person=p, join_date=REG)
    message = exc.value.message_dict["person"][0]
    assert a.name in message and b.name in message
    # a non-housing cooperative is no conflict
    services.membership_add(
        acting_user=admin_user, cooperative=make_cooperative(acting_user=admin_user), person=p, join_date=REG
    )


def test_member_counts_and_capital_come_from_the_records(admin_user, coop):
    members = []
    for i in range(7):
        members.append(
            services.membership_add(
                acting_user=admin_user,
                cooperative=coop,
                person=person(admin_user, 100 + i, "female" if i < 3 else "male"),
                join_date=REG,
                contribution_rial=1_000_000,
            )
        )
    services.contribution_add(
        acting_user=admin_user, membership=members[0], date=datetime.date(2020, 1, 1), amount_rial=500_000
    )
    coop.refresh_from_db()
    assert (coop.members_women, coop.members_men, coop.capital_paid_rial) == (3, 4, 7_500_000)
    services.membership_end(
        acting_user=admin_user, membership=members[0], leave_date=datetime.date(2021, 1, 1), reason="انتقال"
    )
    coop.refresh_from_db()
    assert (coop.members_women, coop.members_men, coop.capital_paid_rial) == (2, 4, 6_000_000)
    with pytest.raises(ValidationError) as exc:
        cooperative_update(acting_user=admin_user, cooperative=coop, members_women=50)
    assert "members_women" in exc.value.message_dict
    assert coop.history.filter(history_change_reason__contains="محاسبه").exists()


def test_overlapping_terms_are_refused(admin_user, coop):
    p, q = person(admin_user, 1), person(admin_user, 2)
    services.officer_appoint(
        acting_user=admin_user,
        cooperative=coop,
        person=p,
        role="board",
        start=datetime.date(2022, 1, 1),
        end=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.officer_appoint(
            acting_user=admin_user,
            cooperative=coop,
            person=p,
            role="board",
            start=datetime.date(2024, 1, 1),
            end=datetime.date(2027, 1, 1),
        )
    services.officer_appoint(
        acting_user=admin_user,
        cooperative=coop,
        person=p,
        role="managing_director",
        start=datetime.date(2022, 1, 1),
        end=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.officer_appoint(
            acting_user=admin_user,
            cooperative=coop,
            person=q,
            role="managing_director",
            start=datetime.date(2024, 6, 1),
            end=datetime.date(2026, 1, 1),
        )
    assert "هم‌پوشانی" in exc.value.message_dict["start"][0]
    with pytest.raises(ValidationError):
        services.officer_appoint(
            acting_user=admin_user,
            cooperative=coop,
            person=q,
            role="inspector",
            start=datetime.date(2024, 6, 1),
            end=datetime.date(2024, 1, 1),
        )
    coop.refresh_from_db()
    assert coop.board_term_end == datetime.date(2025, 1, 1)


def test_warnings_on_the_record(admin_user, coop):
    services.officer_appoint(
        acting_user=admin_user,
        cooperative=coop,
        person=person(admin_user, 1),
        role="board",
        start=datetime.date(2019, 1, 1),
        end=datetime.date(2022, 1, 1),
    )
    coop.refresh_from_db()
    codes = {
        w.code for w in selectors.cooperative_warnings(cooperative=coop, today=datetime.date(2025, 9, 2))
    }
    assert codes == {"board_expired", "no_assembly"}  # 9 declared members: enough
    services.assembly_record(acting_user=admin_user, cooperative=coop, date=datetime.date(2025, 5, 1))
    for i in range(3):
        services.membership_add(
            acting_user=admin_user, cooperative=coop, person=person(admin_user, 50 + i), join_date=REG
        )
    coop.refresh_from_db()
    codes = {
        w.code for w in selectors.cooperative_warnings(cooperative=coop, today=datetime.date(2025, 9, 2))
    }
    assert codes == {"board_expired", "few_members"}  # 3 members on record now


def test_assembly_minutes_must_be_pdf_or_image_within_size(admin_user, coop, settings):
    fake = SimpleUploadedFile("minutes.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError) as exc:
        services.assembly_record(
            acting_user=admin_user, cooperative=coop, date=datetime.date(2024, 5, 1), minutes=fake
        )
    assert "minutes" in exc.value.message_dict
    settings.TAAVON_EVIDENCE_MAX_BYTES = 10
    big = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4" + b"0" * 100)
    with pytest.raises(ValidationError) as exc:
        services.assembly_record(
            acting_user=admin_user, cooperative=coop, date=datetime.date(2024, 5, 1), minutes=big
        )
    assert "مگابایت" in exc.value.message_dict["minutes"][0]
    assert GeneralAssembly.objects.count() == 0


def test_return_rules_and_the_late_and_missing_report(admin_user, provincial, coop):
    with pytest.raises(ValidationError) as exc:
        services.return_file(
            acting_user=admin_user, cooperative=coop, fiscal_year=1392, filed_on=datetime.date(2016, 1, 1)
        )
    assert "fiscal_year" in exc.value.message_dict
    with pytest.raises(ValidationError):  # filed before the year ended
        services.return_file(
            acting_user=admin_user, cooperative=coop, fiscal_year=1402, filed_on=to_gregorian(1402, 6, 1)
        )
    other = make_cooperative(acting_user=admin_user, registration_date=REG)
    services.return_file(
        acting_user=admin_user, cooperative=coop, fiscal_year=1402, filed_on=to_gregorian(1403, 4, 31)
    )
    services.return_file(
        acting_user=admin_user, cooperative=other, fiscal_year=1402, filed_on=to_gregorian(1403, 5, 1)
    )
    with pytest.raises(ValidationError):
        services.return_file(
            acting_user=admin_user, cooperative=coop, fiscal_year=1402, filed_on=to_gregorian(1403, 6, 1)
        )
    status = selectors.returns_status(user=provincial, fiscal_year=1402)
    assert [r.cooperative for r in status["late"]] == [other]  # 1 Mordad is past the 4-month deadline
    assert list(status["missing"]) == []
    status_1403 = selectors.returns_status(user=provincial, fiscal_year=1403)
    assert set(status_1403["missing"]) == {coop, other}
    assert AnnualReturn.objects.count() == 2


@override_settings(TAAVON_RETURN_DEADLINE_MONTHS=6)
def test_the_deadline_is_a_setting():
    assert services.return_deadline(1402) == to_gregorian(1403, 6, 31)
