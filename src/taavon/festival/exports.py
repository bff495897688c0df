"""`taavon export festival-results --edition N`: an edition's published ranking, one row a ranked candidate, with the
stable English CSV columns `edition, category, rank, shenasnameh, name, county, computed_score, jury_score,
total_score` (category: the sector's code; scores 0–100 with three decimals). `festival-national`: the same columns,
the provincial winners sent to the national round (the first of each category)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taavon.core.exports import Column
from taavon.festival.models import Edition, Ranking


def _score(value) -> str:
    return f"{value:.3f}"


COLUMNS = [
    Column("edition", _("Edition"), lambda r: r.candidate.edition.number, "int"),
    Column("category", pgettext_lazy("festival", "Category"), lambda r: r.candidate.category.code),
    Column("rank", _("Rank"), lambda r: r.rank, "int"),
    Column(
        "shenasnameh", _("Cooperative's shenasnameh number"), lambda r: r.candidate.cooperative.shenasnameh
    ),
    Column("name", _("Cooperative's name"), lambda r: r.candidate.cooperative.name),
    Column("county", _("County"), lambda r: r.candidate.cooperative.county.name),
    Column("computed_score", _("Computed score"), lambda r: _score(r.computed_score)),
    Column("jury_score", _("Jury score"), lambda r: _score(r.jury_score)),
    Column("total_score", _("Total score"), lambda r: _score(r.total_score)),
]


def edition_of(number) -> Edition:
    """The edition by its number, its results published; ValueError (the command's message) otherwise."""
    try:
        edition = Edition.objects.get(number=int(number))
    except (TypeError, ValueError, Edition.DoesNotExist):
        raise ValueError(f"unknown edition {number!r}") from None
    if edition.results_published_at is None:
        raise ValueError(f"the results of edition {edition.number} are not published")
    return edition


def results_export_list(*, edition: Edition, national: bool = False):
    """The edition's ranking by category and rank (national: the first of each category only)."""
    # jurisdiction: the export command runs for the operator, over the whole database (like the other export kinds)
    qs = (
        Ranking.objects.filter(candidate__edition=edition)
        .select_related("candidate__edition", "candidate__category", "candidate__cooperative__county")
        .order_by("candidate__category__order", "candidate__category__code", "rank")
    )
    if national:
        qs = qs.filter(rank=1)
    return qs
