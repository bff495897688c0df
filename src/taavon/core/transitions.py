"""Lifecycles as tables of allowed steps: one check for every status field (a cooperative's status, a project's
stage, an import's state)."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


def check_transition(
    table: Mapping[str, frozenset[str]],
    current: str,
    target: str,
    *,
    labels: Mapping[str, str],
    field: str,
    already: str,
    refused: str,
) -> None:
    """Raise a ValidationError on `field` unless `table` allows `current` → `target`.

    already: the message when target == current ("%(label)s" is the target's label); refused: when the step is not
    in the table ("%(current)s", "%(target)s")."""
    if target not in labels:
        raise ValidationError({field: [gettext("The target is not valid.")]})
    if target == current:
        raise ValidationError({field: [already % {"label": labels[target]}]})
    if target not in table.get(current, frozenset()):
        raise ValidationError({field: [refused % {"current": labels[current], "target": labels[target]}]})


def allowed(table: Mapping[str, frozenset[str]], current: str, order) -> list[str]:
    """The steps allowed from `current`, in the order of `order` (a TextChoices' values)."""
    return [s for s in order if s in table.get(current, frozenset())]
