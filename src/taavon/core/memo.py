"""What one request would compute twice, computed once: a memo that lives for one request (RequestMemoMiddleware) or
one `request_memo()` block, and nowhere else — so nothing outlives the request that computed it (a search's index
answer, read by the list's page and again by its count). Outside such a block nothing is memoised."""

import contextlib
import contextvars
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("taavon_request_memo", default=None)


@contextlib.contextmanager
def request_memo():
    """A fresh memo for the block (one request, or what stands for one: the benchmark's page)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), once per key inside a `request_memo()` block; every time outside one. The key must hold all the
    value depends on (the caller's data version included)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class RequestMemoMiddleware:
    """Each request gets its own memo, dropped when its response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_memo():
            return self.get_response(request)
