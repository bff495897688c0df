"""CappedPaginator: counts at most cap + 1 rows, says when it stopped, counts exactly on demand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taavon.core.paging import CappedPaginator, wants_exact
from taavon.places.models import County

pytestmark = pytest.mark.django_db


def test_below_the_cap_the_count_is_exact(reference_data):
    paginator = CappedPaginator(County.objects.order_by("id"), 25, cap=10_000)
    assert paginator.count == County.objects.count()
    assert not paginator.capped


def test_past_the_cap_it_counts_cap_plus_one_with_a_limit(reference_data):
    qs = County.objects.order_by("id")
    paginator = CappedPaginator(qs, 25, cap=100)
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.count == 101
    assert paginator.capped
    assert "LIMIT 101" in ctx.captured_queries[0]["sql"]
    assert paginator.num_pages == 5  # the pages reach the first cap + 1 rows
    assert len(paginator.get_page(5).object_list) == 1


def test_exact_counts_everything(reference_data):
    paginator = CappedPaginator(County.objects.order_by("id"), 25, cap=100, exact=True)
    assert paginator.count == County.objects.count() > 100
    assert not paginator.capped


def test_lists_are_counted_as_lists():
    paginator = CappedPaginator(list(range(30)), 10, cap=5)
    assert paginator.count == 30
    assert not paginator.capped


@pytest.mark.parametrize(
    ("value", "exact"), [("1", True), ("true", True), ("0", False), (None, False), ("x", False)]
)
def test_wants_exact(value, exact):
    assert wants_exact({} if value is None else {"exact": value}) is exact
