"""The province's running of an edition from its pages: eligibility checked again and stage 1 computed by a
provincial officer (a message with the count, in the reader's digits); county offices and viewers refused."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.festival.outputs_setup import published_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(admin_user, lorestan, khorramabad, borujerd):
    edition, _rankings = published_edition(
        acting_user=admin_user, province=lorestan, counties=[khorramabad, borujerd], publish=False
    )
    return edition


@pytest.mark.parametrize("name", ["festival:recheck", "festival:stage1"])
def test_the_province_runs_the_edition(client, provincial, county_officer, viewer, edition, name):
    url = reverse(name, args=[edition.number])
    for refused in (county_officer, viewer):
        client.force_login(refused)
        assert client.post(url).status_code == 403
        assert client.get(url).status_code == 403  # refused whatever the method: not «method not allowed»
    client.force_login(provincial)
    response = client.post(url)
    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said and any(ch in said[0] for ch in "۰۱۲۳۴۵۶۷۸۹"), said


def test_eligibility_is_not_checked_again_once_the_results_are_published(client, provincial, edition):
    from django.utils import timezone

    edition.results_published_at = timezone.now()
    edition.save(update_fields=["results_published_at"])
    client.force_login(provincial)
    response = client.post(reverse("festival:recheck", args=[edition.number]), follow=True)
    assert "منتشر شده" in response.content.decode()
    assert not edition.candidates.filter(status="flagged").exists()


def test_the_results_link_the_score_sheets_and_certificates_the_user_may_open(
    client, admin_user, lorestan, khorramabad, borujerd, county_officer, provincial
):
    edition, rankings = published_edition(
        acting_user=admin_user, province=lorestan, counties=[khorramabad, borujerd], publish=True
    )
    url = reverse("festival:results", args=[edition.number])
    client.force_login(provincial)
    html = client.get(url).content.decode()
    assert html.count('data-testid="certificate-link"') == 3  # the first three
    assert html.count('data-testid="sheet-link"') == 4
    client.force_login(county_officer)  # Khorramabad: the first and the third (counties alternate)
    html = client.get(url).content.decode()
    for r in rankings:
        sheet = reverse("festival:candidate", args=[edition.number, r.candidate_id])
        assert (sheet in html) == (r.candidate.cooperative.county_id == khorramabad.pk)


def test_no_weight_form_once_the_results_are_published(client, admin_user, lorestan, khorramabad, provincial):
    edition, _rankings = published_edition(
        acting_user=admin_user, province=lorestan, counties=[khorramabad], publish=True
    )
    client.force_login(provincial)
    html = client.get(reverse("festival:criteria", args=[edition.number])).content.decode()
    assert 'data-testid="weights-closed"' in html
    assert f'action="/festival/{edition.number}/criteria/' not in html
