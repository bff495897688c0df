"""Each capability shows its part of a page by contributing a section (registered in its AppConfig.ready), never by
the page's app importing it: a new section appears without a line changed in registry, and only for the users its
permission admits."""

import pytest
from django.template import engines
from django.urls import reverse

from taavon.core.contributions import HOME_PANELS, PORTAL_SECTIONS, PROJECT_SECTIONS, RECORD_SECTIONS, Section
from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db


def test_the_apps_contribute_their_sections():
    assert RECORD_SECTIONS.keys() == [
        "triage_flags",
        "record_health",
        "members",
        "projects",
        "triage-cases",
        "visits-record",
        "events-booths",
        "servicedesk-requests",
    ]
    assert PORTAL_SECTIONS.keys() == ["members", "servicedesk", "projects", "festival"]
    assert PROJECT_SECTIONS.keys() == ["events-openings", "facilities", "stages"]
    assert HOME_PANELS.keys() == [
        "registry",
        "reviews",
        "projects",
        "servicedesk-mine",
        "servicedesk-due",
        "visits-inspector",
        "visits-overdue",
        "imports",
        "triage-my-cases",
        "triage-overdue",
    ]


@pytest.fixture
def visits_section(settings, tmp_path):
    """A section as a new capability (say, field visits) would add it, with a permission: county staff only."""
    (tmp_path / "visits").mkdir()
    (tmp_path / "visits" / "_record.html").write_text(
        '<div data-testid="visits">بازدیدهای {{ coop.name }}: {{ count }}</div>', encoding="utf-8"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]},
    ]
    engines._templates = None
    engines.__dict__.pop("templates", None)
    section = RECORD_SECTIONS.register(
        Section(
            key="visits",
            title="بازدیدها",
            template="visits/_record.html",
            context=lambda request, coop: {"count": 3},
            order=30,
            visible=lambda user, coop: user.role == "county",
        )
    )
    yield section
    RECORD_SECTIONS.unregister("visits")
    engines.__dict__.pop("templates", None)


def test_a_new_capability_appears_on_the_record_without_touching_registry(
    client, visits_section, admin_user, county_officer, provincial, khorramabad
):
    coop = make_cooperative(acting_user=admin_user, county=khorramabad)
    make_project(acting_user=admin_user, cooperative=coop, title="طرح توسعهٔ کارگاه")
    client.force_login(county_officer)
    body = client.get(reverse("registry:detail", args=[coop.shenasnameh])).content.decode()
    order = [body.index(f'data-section="{key}"') for key in ("members", "visits", "projects")]
    assert order == sorted(order)  # by the sections' order: members 20, visits 30, projects 50
    assert f"بازدیدهای {coop.name}: ۳" in body or f"بازدیدهای {coop.name}: 3" in body
    assert "طرح توسعهٔ کارگاه" in body
    client.force_login(provincial)  # the section's permission: not for provincial staff
    body = client.get(reverse("registry:detail", args=[coop.shenasnameh])).content.decode()
    assert 'data-section="visits"' not in body and 'data-section="projects"' in body
