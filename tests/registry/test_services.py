"""The registry's services: registration, edits, the status lifecycle, and the audit they leave."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from taavon.registry.models import Cooperative, Status, StatusChange
from taavon.registry.services import TRANSITIONS, cooperative_change_status, cooperative_update
from tests.factories import make_cooperative, valid_legal_id

pytestmark = pytest.mark.django_db


def test_register_issues_a_shenasnameh_and_audits(admin_user, khorramabad):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی پوشاک زاگرس")
    assert coop.shenasnameh.startswith("15-14")
    assert len(coop.shenasnameh.split("-")[2]) == 5
    assert coop.name_key == "تعاونیپوشاکزاگرس"
    first = coop.history.earliest("history_date")
    assert first.history_type == "+" and first.history_user == admin_user
    change = coop.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("unknown", "active", admin_user)


def test_shenasnameh_numbers_are_sequential_per_province(admin_user, khorramabad, borujerd):
    a = make_cooperative(acting_user=admin_user, county=khorramabad)
    b = make_cooperative(acting_user=admin_user, county=borujerd)
    seq_a, seq_b = int(a.shenasnameh.rsplit("-", 1)[1]), int(b.shenasnameh.rsplit("-", 1)[1])
    assert seq_b == seq_a + 1
    assert a.shenasnameh != b.shenasnameh


@pytest.mark.parametrize(
    "start,to",
    [
        (s, t)
        for s, targets in TRANSITIONS.items()
        for t in sorted(targets)
        if s in (Status.ACTIVE, Status.DORMANT)
    ],
)
def test_allowed_transitions_happen(admin_user, start, to):
    coop = make_cooperative(acting_user=admin_user, status=start)
    change = cooperative_change_status(
        acting_user=admin_user, cooperative=coop, to_status=to, reason="تصمیم مجمع عمومی"
    )
    coop.refresh_from_db()
    assert coop.status == to
    assert (change.from_status, change.to_status) == (start, to)
    assert coop.history.latest("history_date").history_user == admin_user


@pytest.mark.parametrize(
    "start,to",
    [
        (Status.DISSOLVED, Status.ACTIVE),
        (Status.DISSOLVED, Status.DORMANT),
        (Status.ACTIVE, Status.DISSOLVED),
        (Status.DORMANT, Status.DISSOLVED),
        (Status.ACTIVE, Status.UNKNOWN),
        (Status.LIQUIDATING, Status.DORMANT),
    ],
)
def test_refused_transitions_change_nothing(admin_user, start, to):
    coop = make_cooperative(acting_user=admin_user, status=start)
    before = StatusChange.objects.count()
    with pytest.raises(ValidationError) as exc:
        cooperative_change_status(
            acting_user=admin_user, cooperative=coop, to_status=to, reason="دلیل آزمایشی"
        )
    assert "مجاز نیست" in exc.value.message_dict["to_status"][0]
    coop.refresh_from_db()
    assert coop.status == start
    assert StatusChange.objects.count() == before


def test_same_status_and_missing_reason_are_refused(admin_user):
    coop = make_cooperative(acting_user=admin_user)
    with pytest.raises(ValidationError) as exc:
        cooperative_change_status(
            acting_user=admin_user, cooperative=coop, to_status="active", reason="دلیل کافی"
        )
    assert "هم‌اکنون «فعال» است" in exc.value.message_dict["to_status"][0]
    with pytest.raises(ValidationError) as exc:
        cooperative_change_status(acting_user=admin_user, cooperative=coop, to_status="dormant", reason="  ")
    assert "reason" in exc.value.message_dict


def test_evidence_must_be_pdf_or_image(admin_user):
    coop = make_cooperative(acting_user=admin_user)
    fake_pdf = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        cooperative_change_status(
            acting_user=admin_user,
            cooperative=coop,
            to_status="dormant",
            reason="گزارش بازدید",
            evidence=fake_pdf,
        )
    assert "PDF" in exc.value.message_dict["evidence"][0]
    real_pdf = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n%...", content_type="application/pdf")
    change = cooperative_change_status(
        acting_user=admin_user,
        cooperative=coop,
        to_status="dormant",
        reason="گزارش بازدید",
        evidence=real_pdf,
        effective_date=datetime.date(2025, 9, 2),
    )
    assert change.evidence.name.endswith(".pdf")
    assert change.effective_date == datetime.date(2025, 9, 2)


def test_county_officer_cannot_change_another_county(county_officer, borujerd, admin_user):
    coop = make_cooperative(acting_user=admin_user, county=borujerd)
    with pytest.raises(PermissionDenied):
        cooperative_change_status(
            acting_user=county_officer, cooperative=coop, to_status="dormant", reason="دلیل آزمون"
        )
    with pytest.raises(PermissionDenied):
        cooperative_update(acting_user=county_officer, cooperative=coop, name="نام دیگر")
    with pytest.raises(PermissionDenied):
        make_cooperative(acting_user=county_officer, county=borujerd)


def test_viewer_cannot_change_anything(viewer, admin_user):
    coop = make_cooperative(acting_user=admin_user)
    with pytest.raises(PermissionDenied):
        cooperative_change_status(
            acting_user=viewer, cooperative=coop, to_status="dormant", reason="دلیل آزمون"
        )
    with pytest.raises(PermissionDenied):
        cooperative_update(acting_user=viewer, cooperative=coop, name="نام دیگر")


def test_duplicate_legal_id_is_refused_with_a_persian_message(admin_user):
    legal_id = valid_legal_id()
    first = make_cooperative(acting_user=admin_user, legal_id=legal_id)
    with pytest.raises(ValidationError) as exc:
        make_cooperative(acting_user=admin_user, legal_id=legal_id)
    assert "legal_id" in exc.value.message_dict
    assert first.name in exc.value.message_dict["legal_id"][0]
    assert Cooperative.objects.count() == 1


def test_same_name_typed_differently_in_same_county_is_refused(admin_user, khorramabad, borujerd):
    make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاونی سرمایه‌گذاری کیو")
    with pytest.raises(ValidationError) as exc:
        make_cooperative(acting_user=admin_user, county=khorramabad, name="تعاوني سرمايه گذاري كيو")
    assert "name" in exc.value.message_dict
    # the same name in another county is a different cooperative
    make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی سرمایه‌گذاری کیو")


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"name": "<script>alert(1)</script>"}, "name"),
        ({"capital_paid_rial": 5, "capital_registered_rial": 1}, "capital_paid_rial"),
        ({"registration_date": datetime.date.today() + datetime.timedelta(days=3)}, "registration_date"),
        ({"name": "ت" * 201}, "name"),
        ({"capital_registered_rial": 10**18}, "capital_registered_rial"),
        ({"legal_id": "1038028479"}, "legal_id"),
        ({"postal_code": "12ab"}, "postal_code"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(admin_user, fields, field):
    with pytest.raises(ValidationError) as exc:
        make_cooperative(acting_user=admin_user, **fields)
    assert field in exc.value.message_dict
    assert Cooperative.objects.count() == 0


def test_update_records_who_and_what(admin_user, provincial):
    coop = make_cooperative(acting_user=admin_user, name="تعاونی قدیم")
    cooperative_update(acting_user=provincial, cooperative=coop, name="تعاونی جدید", members_women=12)
    coop.refresh_from_db()
    assert coop.name == "تعاونی جدید" and coop.name_key == "تعاونیجدید"
    last = coop.history.latest("history_date")
    assert last.history_user == provincial
    delta = last.diff_against(last.prev_record)
    assert set(delta.changed_fields) >= {"name", "members_women"}


def test_update_cannot_touch_status(admin_user):
    coop = make_cooperative(acting_user=admin_user)
    with pytest.raises(TypeError):
        cooperative_update(acting_user=admin_user, cooperative=coop, status="dissolved")


def _bulk_row(county, **fields):
    from taavon.registry.models import CooperativeType, Sector

    row = {
        "name": "تعاونی بلوط زاگرس",
        "county": county,
        "sector": Sector.objects.get(code="industry"),
        "type": CooperativeType.objects.order_by("pk").first(),
        "registration_date": datetime.date(2020, 5, 1),
        "members_women": 3,
        "members_men": 9,
        "capital_paid_rial": 5_000_000,
        "status": Status.ACTIVE,
    }
    row.update(fields)
    return row


def test_bulk_records_are_built_as_the_model_would_build_them(khorramabad):
    """The fast construction (values set directly) gives the same record as Model.__init__ does."""
    from taavon.registry import bulk as services

    row = _bulk_row(khorramabad, legal_id="")
    template = [f.get_default() for f in Cooperative._meta.concrete_fields]
    fast = services._build(row, template, plain=True)
    slow = services._build(row, template, plain=False)
    for f in Cooperative._meta.concrete_fields:
        assert getattr(fast, f.attname) == getattr(slow, f.attname), f.name
    assert fast.county == khorramabad and fast.sector == row["sector"]  # cached, no query
    assert fast.legal_id is None and fast.name_key == "تعاونیبلوطزاگرس"
    assert fast._state.adding and fast.pk is None
    with pytest.raises(TypeError):
        services._build({**row, "shenasnameh": "15-1404-00001"}, template, plain=True)


def test_bulk_validation_remembers_values_but_not_their_verdicts_across_fields(khorramabad, admin_user):
    """A value checked once is not checked again (the memo), yet each row still gets its own messages."""
    from taavon.registry.bulk import cooperatives_validate_many
    from taavon.registry.models import MAX_MEMBERS

    big = MAX_MEMBERS + 1  # too many members, a fine amount of rials
    rows = [
        _bulk_row(khorramabad, name=f"تعاونی شماره {i}", capital_paid_rial=big, capital_registered_rial=big)
        for i in range(3)
    ]
    rows += [
        _bulk_row(khorramabad, name=f"تعاونی ردیف {i}", members_men=big if i % 2 else 9) for i in range(4)
    ]
    rows += [_bulk_row(khorramabad, name="تعاونی آینده", registration_date=datetime.date(2999, 1, 1))]
    errors = cooperatives_validate_many(rows, acting_user=admin_user)
    assert sorted(errors) == [4, 6, 7]
    assert list(errors[4]) == list(errors[6]) == ["members_men"]
    assert errors[7] == {"registration_date": ["تاریخ ثبت نمی‌تواند در آینده باشد."]}
