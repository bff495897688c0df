"""The home page gathers what waits for each role, from the panels the apps contribute; its figures are the
user's jurisdiction only, with a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(admin_user, khorramabad, borujerd):
    ours = [make_cooperative(acting_user=admin_user, county=khorramabad) for _ in range(2)]
    make_cooperative(acting_user=admin_user, county=khorramabad, status="dormant")
    theirs = make_cooperative(acting_user=admin_user, county=borujerd, name="تعاونی مرزبانان بروجرد")
    make_project(acting_user=admin_user, cooperative=ours[0], title="طرح آمادهٔ خرم‌آباد", stage="ready")
    make_project(acting_user=admin_user, cooperative=theirs, title="طرح آمادهٔ بروجرد", stage="ready")
    return ours, theirs


def test_county_officer_sees_their_county_only(client, county_officer, place):
    client.force_login(county_officer)
    body = client.get(reverse("home")).content.decode()
    registry = body[body.index('data-testid="home-registry"') :]
    assert "?status=active" in registry and "۲</span>" in registry and "۱</span>" in registry
    assert "طرح آمادهٔ خرم‌آباد" in body and "طرح آمادهٔ بروجرد" not in body
    assert 'data-testid="home-reviews"' in body and 'data-testid="home-imports"' in body


def test_a_viewer_has_no_review_or_import_panels(client, viewer, place):
    client.force_login(viewer)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-registry"' in body and "طرح آمادهٔ بروجرد" in body
    assert 'data-testid="home-reviews"' not in body and 'data-testid="home-imports"' not in body


def test_home_query_count_does_not_grow(client, provincial, place, admin_user, khorramabad):
    client.force_login(provincial)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("home"))
    for _ in range(6):
        coop = make_cooperative(acting_user=admin_user, county=khorramabad)
        make_project(
            acting_user=admin_user, cooperative=coop, stage="ready", start_date=datetime.date(2023, 1, 1)
        )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("home"))
    assert len(after) == len(before)
