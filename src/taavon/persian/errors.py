"""The Persian core's errors speak both languages: each carries its Persian message and an English one, and
str() gives the one of the interface's language. The core imports no Django: the Django side tells it the
language once (core.apps: `use_language(translation.get_language)`); until then, and outside Django, Persian."""

from collections.abc import Callable

_current: Callable[[], str | None] = lambda: "fa"  # noqa: E731


def use_language(source: Callable[[], str | None]) -> None:
    """Where the current language code comes from (a function, called at each str())."""
    global _current
    _current = source


def english() -> bool:
    return (_current() or "fa").startswith("en")


class BilingualError(ValueError):
    """``message`` is Persian (Persian digits), ``english`` the same in English (ASCII digits)."""

    def __init__(self, message: str, english: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.english = english or message

    def __str__(self) -> str:
        return self.english if english() else self.message
