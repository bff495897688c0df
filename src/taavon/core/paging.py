"""A paginator that does not count a whole table for every page.

`CappedPaginator(qs, 25)` counts at most CAP + 1 rows (`SELECT COUNT(*) FROM (SELECT … LIMIT 10001)`): past the cap
it says so (`capped`, and the pages say «more than 10,000») and its pages reach the first CAP rows only; the exact
count and the last pages are one `exact=True` away (the lists' «exact count» link, `?exact=1`).
"""

from collections.abc import Callable
from functools import cached_property

from django.core.paginator import Paginator

CAP = 10_000


def wants_exact(params) -> bool:
    """The request asks for the exact count (`?exact=1`)."""
    return params.get("exact") in ("1", "true", "yes")


class CappedPaginator(Paginator):
    """`counter(limit)`, when given, counts the same rows as the list, stopping at `limit`, by a cheaper query (the
    search index alone), or returns None when it cannot say; the list's own capped count is the fallback."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        cap: int | None = None,
        exact: bool = False,
        counter: Callable[[int], int | None] | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap
        self.exact = exact
        self.counter = counter

    @cached_property
    def count(self) -> int:
        """The number of rows, or CAP + 1 when there are more than CAP (and the count was not asked to be exact)."""
        if not self._counts_capped:
            return super().count
        if self.counter is not None:
            counted = self.counter(self.cap + 1)
            if counted is not None:
                return counted
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """More rows than the cap, not counted exactly: show «more than CAP», no last page."""
        return self._counts_capped and self.count > self.cap

    @property
    def _counts_capped(self) -> bool:
        return not self.exact and hasattr(self.object_list, "query")  # a list is counted by len()
