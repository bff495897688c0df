"""A record page's history section costs the same whatever the length of the history: its queries and the rows it
renders do not grow with the number of changes, and what it shows is right (newest first, who, old and new values).
No timings here: bench/loadtest.py measures (`make loadtest`)."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taavon.core.audit import change_history
from taavon.core.templatetags.persian import jdate
from taavon.persian import to_persian_digits
from taavon.registry.models import Activity, Cooperative
from taavon.registry.services import cooperative_update
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db

LONG = 300


class _HistoryRows(HTMLParser):
    """The text of each row (li.list-group-item) of the change history (ul[data-testid=change-history])."""

    def __init__(self):
        super().__init__()
        self.rows: list[str] = []
        self.depth = 0  # <ul>s open inside the history, the history's own included
        self.more = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("data-testid") == "change-history-more":
            self.more = True
        if tag == "ul" and (self.depth or attrs.get("data-testid") == "change-history"):
            self.depth += 1
        elif tag == "li" and self.depth == 1 and "list-group-item" in (attrs.get("class") or ""):
            self.rows.append("")

    def handle_endtag(self, tag):
        if tag == "ul" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.rows:
            self.rows[-1] += data


def _page(client, coop):
    url = reverse("registry:detail", args=[coop.shenasnameh])
    client.get(url)  # the session's first request may refresh it (a write): not the page's own cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    parser = _HistoryRows()
    parser.feed(response.content.decode())
    return len(queries), parser


def _edit(user, coop, i):
    return cooperative_update(
        acting_user=user,
        cooperative=coop,
        reason=f"ویرایش {i}",
        address=f"خیابان {i}",
        phone=f"0661{i:07d}",
    )


def test_the_record_page_does_not_grow_with_the_history(client, provincial):
    client.force_login(provincial)
    fresh = make_cooperative(acting_user=provincial)
    edited = make_cooperative(acting_user=provincial)
    for i in range(LONG):
        edited = _edit(provincial, edited, i)
    assert edited.history.count() == LONG + 1

    fresh_queries, fresh_rows = _page(client, fresh)
    edited_queries, edited_rows = _page(client, edited)

    assert edited_queries == fresh_queries
    assert len(fresh_rows.rows) == 1 and not fresh_rows.more  # the registration
    assert 1 < len(edited_rows.rows) <= 50  # a page of the newest, not the history
    assert edited_rows.more  # ...and it says there is more
    # the newest first, each compared with the version before it
    for shown, i in zip(edited_rows.rows, range(LONG - 1, -1, -1), strict=False):
        assert f"ویرایش {i}" in shown
        assert f"خیابان {to_persian_digits(i - 1)} ← خیابان {to_persian_digits(i)}" in shown


def test_each_row_shows_who_changed_what_from_what_to_what(client, provincial, admin_user):
    client.force_login(provincial)
    coop = make_cooperative(acting_user=admin_user, address="")
    other = Activity.objects.filter(sector=coop.sector).exclude(pk=coop.activity_id).first()
    before = coop.activity
    coop = cooperative_update(acting_user=admin_user, cooperative=coop, address="خیابان نخست")
    coop = cooperative_update(
        acting_user=admin_user, cooperative=coop, address="خیابان دوم", reason="نشانی تازه"
    )
    coop = cooperative_update(acting_user=provincial, cooperative=coop, activity=other)

    _, page = _page(client, coop)
    newest, address, first_address, created = page.rows
    activity_label = Cooperative._meta.get_field("activity").verbose_name
    assert str(provincial) in newest and str(admin_user) not in newest
    assert f"{activity_label}: {before.name_fa} ← {other.name_fa}" in newest  # names, not ids
    assert str(admin_user) in address and "نشانی تازه" in address
    assert "نشانی: خیابان نخست ← خیابان دوم" in address
    assert "نشانی: — ← خیابان نخست" in first_address
    assert "ایجاد" in created and "←" not in created  # the registration: nothing to compare with
    assert "نسخه" not in "".join(page.rows)  # the version counter is bookkeeping, not a change


def test_older_versions_page_by_page_read_as_one_history(provincial):
    coop = make_cooperative(acting_user=provincial)
    for i in range(7):
        coop = _edit(provincial, coop, i)
    whole = change_history(coop, limit=100)
    assert len(whole) == 8 and not whole.more

    pages, before = [], None
    while True:
        page = change_history(coop, limit=3, before=before)
        pages.extend(page)
        if not page.more:
            break
        before = page.older
    assert pages == whole
    assert [row["reason"] for row in whole[:2]] == ["ویرایش 6", "ویرایش 5"]
    assert all(row["when"] == jdate(row["date"]) for row in whole)  # as the jdate filter shows it


def test_the_record_page_links_to_the_whole_history_page_by_page(client, provincial):
    client.force_login(provincial)
    coop = make_cooperative(acting_user=provincial)
    for i in range(60):
        coop = _edit(provincial, coop, i)
    detail = client.get(reverse("registry:detail", args=[coop.shenasnameh])).content.decode()
    history_url = reverse("registry:history", args=[coop.shenasnameh])
    assert f'href="{history_url}?before=' in detail

    first = client.get(history_url)
    parser = _HistoryRows()
    parser.feed(first.content.decode())
    assert len(parser.rows) == 50 and parser.more
    assert "ویرایش 59" in parser.rows[0] and "ویرایش 10" in parser.rows[-1]

    older = first.content.decode().split(f'href="{history_url}?before=')[1].split('"')[0]
    second = client.get(f"{history_url}?before={older}")
    parser = _HistoryRows()
    parser.feed(second.content.decode())
    assert len(parser.rows) == 11 and not parser.more  # 9 … 0, and the registration
    assert "ویرایش 9" in parser.rows[0] and "ایجاد" in parser.rows[-1]

    # whatever is typed after before= is the newest page, never an error
    for junk in ("abc", "-1", "۱۲", "9" * 40, ""):
        response = client.get(history_url, {"before": junk})
        assert response.status_code == 200 and "ویرایش 59" in response.content.decode()
