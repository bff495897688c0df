"""The score sheet: every criterion with its value, formula, evidence linked to its source records, normalised value,
weight and points; the jurors' mean without their names; the rank once published; the representative's own sheet
only after publication, and the county's staff only for their county."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from taavon.festival.candidates import candidate_nominate
from taavon.festival.models import JuryScore, Ranking
from taavon.festival.stage1 import stage1_compute
from tests.factories import UserFactory, make_project
from tests.festival.candidates_setup import good_cooperative, open_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(admin_user, lorestan, khorramabad):
    edition = open_edition(acting_user=admin_user, province=lorestan)
    coops = [
        good_cooperative(
            acting_user=admin_user,
            county=khorramabad,
            name=name,
            registration_date=reg,
        )
        for name, reg in (
            ("تعاونی پوشاک الوند", datetime.date(2015, 5, 1)),
            ("تعاونی دوم", datetime.date(2020, 5, 1)),
        )
    ]
    project = make_project(
        acting_user=admin_user,
        cooperative=coops[0],
        stage="opened",
        stage_date=timezone.localdate() - datetime.timedelta(days=100),
        title="کارگاه دوخت الوند",
        jobs_direct_actual=7,
    )
    candidates = [candidate_nominate(acting_user=admin_user, edition=edition, cooperative=c) for c in coops]
    stage1_compute(acting_user=admin_user, edition=edition)
    principles = edition.criteria.get(code="principles")
    for i, score in enumerate((6, 8)):
        juror = UserFactory(role="juror", username=f"juror{i}", first_name="داور", last_name=f"شماره{i}")
        JuryScore.objects.create(candidate=candidates[0], criterion=principles, juror=juror, score=score)
    return edition, candidates, project


def test_the_score_sheet_explains_every_point(client, sheet, county_officer, django_assert_max_num_queries):
    edition, candidates, project = sheet
    client.force_login(county_officer)
    url = reverse("festival:candidate", args=[edition.number, candidates[0].pk])
    with django_assert_max_num_queries(15):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    for code in edition.criteria.values_list("code", flat=True):
        assert f'data-criterion="{code}"' in body
    # the formula and the evidence, linked to the project
    assert "رشد فروش" in body
    assert reverse("projects:detail", args=[project.pk]) in body and "کارگاه دوخت الوند" in body
    assert reverse("registry:detail", args=[candidates[0].cooperative.shenasnameh]) in body
    # the jurors' mean (6 and 8 → 7 on 0–10 → 70), not their names
    assert "شماره0" not in body and "شماره1" not in body
    row = body[body.index('data-criterion="principles"') :]
    row = row[: row.index("</tr>")]
    assert '<td data-testid="normalised">۷۰</td>' in row and "۱۵" in row and "۱۰٫۵" in row  # 15% × 70 = 10.5
    assert 'data-testid="rank"' not in body  # not published


def test_the_rank_once_published_and_the_representatives_own_sheet(client, sheet, admin_user):
    edition, candidates, project = sheet
    rep = UserFactory(role="representative", cooperative=candidates[0].cooperative, username="rep-sheet")
    client.force_login(rep)
    body = client.get(reverse("festival:portal_sheet", args=[edition.number])).content.decode()
    assert 'data-testid="sheet"' not in body
    Ranking.objects.create(
        candidate=candidates[0],
        rank=1,
        computed_score=Decimal("40"),
        jury_score=Decimal("10.5"),
        total_score=Decimal("50.5"),
    )
    edition.results_published_at = timezone.now()
    edition.save()
    body = client.get(reverse("festival:portal_sheet", args=[edition.number])).content.decode()
    assert 'data-testid="sheet"' in body and 'data-testid="rank"' in body
    assert "شماره0" not in body
    assert (
        reverse("projects:detail", args=[project.pk]) not in body
    )  # staff pages are not linked in the portal
    assert "کارگاه دوخت الوند" in body


def test_outside_the_county_the_sheet_is_not_found(client, sheet, borujerd):
    edition, candidates, _project = sheet
    officer = UserFactory(role="county", county=borujerd, province=borujerd.province, username="bo-t")
    client.force_login(officer)
    response = client.get(reverse("festival:candidate", args=[edition.number, candidates[0].pk]))
    assert response.status_code == 404
    # the record's names, whole (the officer's own random name may hold «الوند»: الوندی)
    body = response.content.decode()
    assert "تعاونی پوشاک الوند" not in body and "کارگاه دوخت الوند" not in body


def test_weights_not_summing_to_100_are_refused_nothing_saved(client, sheet, provincial):
    edition, candidates, _project = sheet
    sector = candidates[0].category
    before = list(edition.weights.filter(category=sector).values_list("percent", flat=True))
    data = {f"{sector.code}-{c.code}": "10" for c in edition.criteria.all()}  # 12 × 10 = 120
    client.force_login(provincial)
    response = client.post(reverse("festival:weights", args=[edition.number, sector.code]), data)
    assert response.status_code == 422
    assert 'data-testid="weights-error"' in response.content.decode()
    assert list(edition.weights.filter(category=sector).values_list("percent", flat=True)) == before
    data[f"{sector.code}-principles"] = "۱۰"
    data[f"{sector.code}-years_active"] = "-10"  # 11 × 10 − 10 = 100, but a weight below 0
    response = client.post(reverse("festival:weights", args=[edition.number, sector.code]), data)
    assert response.status_code == 422
    data[f"{sector.code}-years_active"] = "0"
    data[f"{sector.code}-jobs_created"] = "20"
    data[f"{sector.code}-exhibitions"] = "0"
    data[f"{sector.code}-performance"] = "0"  # 20 + 0 + 0 + 0 + 8 × 10 = 100
    response = client.post(reverse("festival:weights", args=[edition.number, sector.code]), data)
    assert response.status_code == 302
    assert edition.weights.get(category=sector, criterion__code="jobs_created").percent == Decimal(20)
    body = client.get(reverse("festival:criteria", args=[edition.number])).content.decode()
    assert "فروش سال" in body or "Growth of sales" in body
