"""Outside the user's jurisdiction a record reveals nothing: not its name, its shenasnameh, a person's name or
gender — in an import's problems and near-name decisions, a form's error, or a proposal's review. Each of these
tests failed on the code before the jurisdiction gate (the import engine read cooperatives and people unscoped)."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from taavon.imports.services import import_preview
from taavon.members.models import Person
from taavon.members.services import membership_add, person_register
from tests.factories import make_cooperative
from tests.imports.test_import import xlsx

pytestmark = pytest.mark.django_db

SECRET_NAME = "تعاونی تولیدی پوشاک زاگرس بروجرد"
SECRET_PERSON = ("کیومرث", "سپهوند")
SECRET_CODE = "0076229645"


@pytest.fixture
def elsewhere(admin_user, borujerd):
    """A cooperative of Borujerd, with a member: what a Khorramabad officer must learn nothing about."""
    coop = make_cooperative(
        acting_user=admin_user,
        county=borujerd,
        name=SECRET_NAME,
        legal_id="10380284790",
        registration_date=datetime.date(2015, 5, 1),
    )
    person = person_register(
        acting_user=admin_user,
        national_code=SECRET_CODE,
        first_name=SECRET_PERSON[0],
        last_name=SECRET_PERSON[1],
        gender="male",
    )
    membership_add(
        acting_user=admin_user, cooperative=coop, person=person, join_date=datetime.date(2016, 1, 1)
    )
    return coop


def _told(batch) -> str:
    """Everything an import's pages show of a preview (problems, near-name decisions, the sample)."""
    batch.refresh_from_db()
    return json.dumps([batch.problems, batch.near, batch.sample, batch.error], ensure_ascii=False)


def _assert_secret_kept(text: str, coop) -> None:
    assert SECRET_NAME not in text and "زاگرس" not in text
    assert coop.shenasnameh not in text
    assert SECRET_PERSON[0] not in text and SECRET_PERSON[1] not in text and "(مرد)" not in text


COOP_HEADER = ["ردیف", "نام تعاونی", "شهرستان", "شناسه ملی", "نوع", "گرایش", "شماره شناسنامه"]


def test_a_cooperatives_import_row_of_another_county_says_only_outside_your_jurisdiction(
    county_officer, elsewhere, khorramabad
):
    rows = [
        COOP_HEADER,
        # a near name in the other county (one letter apart): held for a decision on the old code, naming it
        ["1", "تعاونی تولیدی پوشاک زاگرث بروجرد", "بروجرد", "", "تولیدی", "صنعتی", ""],
        # the other county's shenasnameh on a row of the officer's own county
        ["2", "تعاونی نو", "خرم آباد", "", "تولیدی", "صنعتی", elsewhere.shenasnameh],
        # the other county's cooperative's legal ID on a new cooperative of the officer's county
        ["3", "تعاونی دیگر", "خرم آباد", "10380284790", "تولیدی", "صنعتی", ""],
    ]
    batch, outcome = import_preview(
        acting_user=county_officer, kind="cooperatives", data=xlsx(rows), filename="c.xlsx"
    )
    told = _told(batch)
    _assert_secret_kept(told, elsewhere)
    problems = {p["row"]: p["message"] for p in outcome.problems()}
    assert "«بروجرد» در حوزهٔ کاری شما نیست" in problems[4]
    assert "در حوزهٔ کاری شما یافت نشد" in problems[5]
    assert "تعاونی دیگری" in problems[6]
    assert not batch.near
    # a shenasnameh that exists elsewhere reads exactly like one that does not exist at all
    rows[2][6] = "15-1390-99999"
    _, missing = import_preview(
        acting_user=county_officer, kind="cooperatives", data=xlsx(rows), filename="c.xlsx"
    )
    missing_message = {p["row"]: p["message"] for p in missing.problems()}[5]
    assert _without_digits(missing_message) == _without_digits(problems[5])


def _without_digits(text: str) -> str:
    return re.sub(r"[0-9۰-۹\-]", "", text)


def test_a_projects_import_naming_another_countys_cooperative_reveals_nothing(county_officer, elsewhere):
    rows = [
        ["شماره شناسنامه", "شناسه ملی", "عنوان طرح", "سرمایه گذاری"],
        [elsewhere.shenasnameh, "", "طرح توسعه", "1000000"],
        ["", "10380284790", "طرح دوم", "1000000"],
        ["", "", "طرح سوم", "1000000"],
    ]
    batch, outcome = import_preview(
        acting_user=county_officer, kind="projects", data=xlsx(rows), filename="p.xlsx"
    )
    _assert_secret_kept(_told(batch), elsewhere)
    assert outcome.counts["error"] == 3 and outcome.counts.get("create", 0) == 0


def test_a_members_import_with_a_wrong_name_does_not_tell_who_owns_the_national_code(
    county_officer, elsewhere, khorramabad, admin_user
):
    mine = make_cooperative(
        acting_user=admin_user, county=khorramabad, registration_date=datetime.date(2015, 5, 1)
    )
    rows = [
        ["شماره شناسنامه", "کد ملی", "نام", "نام خانوادگی", "جنسیت", "تاریخ عضویت"],
        [mine.shenasnameh, SECRET_CODE, "زهرا", "احمدی", "زن", "1398/01/10"],
    ]
    batch, outcome = import_preview(
        acting_user=county_officer, kind="members", data=xlsx(rows), filename="m.xlsx"
    )
    told = _told(batch)
    _assert_secret_kept(told, elsewhere)
    assert outcome.counts["error"] == 1 and "کد ملی" in told
    # staff who can see the person are told whose code it is (they resolve the conflict)
    batch, outcome = import_preview(
        acting_user=admin_user, kind="members", data=xlsx(rows), filename="m.xlsx"
    )
    assert "کیومرث سپهوند" in _told(batch)


def test_the_member_form_does_not_tell_a_county_officer_who_owns_a_national_code(
    client, county_officer, elsewhere, khorramabad, admin_user
):
    mine = make_cooperative(
        acting_user=admin_user, county=khorramabad, registration_date=datetime.date(2015, 5, 1)
    )
    client.force_login(county_officer)
    response = client.post(
        reverse("members:member_add", args=[mine.shenasnameh]),
        {
            "national_code": SECRET_CODE,
            "first_name": "زهرا",
            "last_name": "احمدی",
            "gender": "female",
            "join_date": "۱۳۹۸/۰۱/۱۰",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    _assert_secret_kept(body, elsewhere)
    assert "کد ملی" in body and "نمی‌خواند" in body
    assert Person.objects.filter(national_code=SECRET_CODE).count() == 1


def test_a_housing_membership_elsewhere_is_refused_without_naming_it(
    county_officer, admin_user, khorramabad, borujerd
):
    from django.core.exceptions import ValidationError

    from taavon.registry.models import Activity

    housing = Activity.objects.get(code="housing")
    theirs = make_cooperative(
        acting_user=admin_user, county=borujerd, activity=housing, name="تعاونی مسکن سیمره بروجرد"
    )
    mine = make_cooperative(acting_user=admin_user, county=khorramabad, activity=housing)
    person = person_register(
        acting_user=admin_user, national_code="1583250689", first_name="علی", last_name="رضایی", gender="male"
    )
    membership_add(
        acting_user=admin_user, cooperative=theirs, person=person, join_date=datetime.date(2016, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        membership_add(
            acting_user=county_officer, cooperative=mine, person=person, join_date=datetime.date(2017, 1, 1)
        )
    text = " ".join(refused.value.messages)
    assert "مسکن دیگری" in text and "سیمره" not in text and theirs.shenasnameh not in text
    assert "علی رضایی" not in text and "این شخص" in text  # the registered name is not told either


def test_registering_a_legal_id_taken_elsewhere_does_not_name_the_other_cooperative(
    county_officer, elsewhere, khorramabad, admin_user
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        make_cooperative(acting_user=county_officer, county=khorramabad, legal_id="10380284790")
    text = " ".join(refused.value.messages)
    assert "تعاونی دیگری" in text
    assert SECRET_NAME not in text and elsewhere.shenasnameh not in text
    # the provincial office, who sees both, is told which cooperative has it
    with pytest.raises(ValidationError) as refused:
        make_cooperative(acting_user=admin_user, county=khorramabad, legal_id="10380284790")
    assert SECRET_NAME in " ".join(refused.value.messages)


@pytest.mark.parametrize("first,last", [(".", "-"), ("ـ", "\u200c"), ("1", "2"), ("", "")])
def test_a_name_without_letters_cannot_stand_for_a_registered_person(
    client, county_officer, elsewhere, khorramabad, admin_user, first, last
):
    """A name that normalises to nothing used to agree with any registered name: the code's owner was attached to the
    officer's cooperative, and their page showed their name and mobile."""
    mine = make_cooperative(
        acting_user=admin_user, county=khorramabad, registration_date=datetime.date(2015, 5, 1)
    )
    client.force_login(county_officer)
    for gender in ("male", "female"):
        response = client.post(
            reverse("members:member_add", args=[mine.shenasnameh]),
            {
                "national_code": SECRET_CODE,
                "first_name": first,
                "last_name": last,
                "gender": gender,
                "join_date": "۱۳۹۸/۰۱/۱۰",
            },
        )
        assert response.status_code == 422
        _assert_secret_kept(response.content.decode(), elsewhere)
    assert not mine.memberships.exists()


def test_a_failed_membership_leaves_no_person_behind(client, county_officer, khorramabad, admin_user):
    """The person and their membership are one action: a refused join date must not leave a person holding the code."""
    mine = make_cooperative(
        acting_user=admin_user, county=khorramabad, registration_date=datetime.date(2015, 5, 1)
    )
    client.force_login(county_officer)
    response = client.post(
        reverse("members:member_add", args=[mine.shenasnameh]),
        {
            "national_code": "1583250689",
            "first_name": "زهرا",
            "last_name": "احمدی",
            "gender": "female",
            "join_date": "۱۳۸۰/۰۱/۱۰",
        },  # before the cooperative was registered
    )
    assert response.status_code == 422 and "پیش از ثبت تعاونی" in response.content.decode()
    assert not Person.objects.filter(national_code="1583250689").exists()


def test_another_users_import_is_followed_not_carried_on(
    client, county_officer, provincial, elsewhere, khorramabad
):
    """A provincial officer may follow a county officer's import but not re-run it: a preview computed with the
    province's reach would be stored on the batch and shown to the county officer."""
    rows = [COOP_HEADER, ["1", "تعاونی تولیدی پوشاک زاگرث بروجرد", "خرم آباد", "", "تولیدی", "صنعتی", ""]]
    batch, _ = import_preview(
        acting_user=county_officer, kind="cooperatives", data=xlsx(rows), filename="c.xlsx"
    )
    client.force_login(provincial)
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert 'data-testid="not-yours"' in page and 'data-testid="commit' not in page
    for name in ("imports:remap", "imports:decide", "imports:commit", "imports:undo"):
        assert client.post(reverse(name, args=[batch.pk]), {}).status_code == 403, name
    _assert_secret_kept(_told(batch), elsewhere)


def test_a_project_of_another_countys_cooperative_is_not_shown(
    client, admin_user, county_officer, elsewhere, khorramabad
):
    """A project lies in Khorramabad but belongs to Borujerd's cooperative: the Khorramabad officer does not see it
    (it would name that cooperative)."""
    from tests.factories import make_project

    project = make_project(
        acting_user=admin_user, cooperative=elsewhere, county=khorramabad, title="کارگاه مشترک"
    )
    client.force_login(county_officer)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404
    listing = client.get(reverse("projects:list")).content.decode()
    assert "کارگاه مشترک" not in listing
    _assert_secret_kept(listing, elsewhere)
