"""Which cooperative a spreadsheet row names — one matcher for every kind of import — and only among the cooperatives
of the importing user's jurisdiction.

A row outside the user's counties is a problem of that row («outside your jurisdiction») before anything is
looked up, and a lookup never reaches a cooperative the user may not see: what exists elsewhere is not named in a
message, a near-name decision or a count (accounts.jurisdiction decides; Cooperative.objects.for_user applies it).
"""

from django.db.models import Q
from django.utils.translation import gettext_noop

from taavon.accounts.jurisdiction import can_change_in
from taavon.imports.messages import Message, digits_of, message, name_of
from taavon.persian import search_key, to_ascii_digits
from taavon.registry.models import Cooperative


def outside_message(county) -> Message:
    """What a row outside the user's jurisdiction is told: its own county's name, nothing about what is there."""
    return message(gettext_noop("County “%(county)s” is not in your jurisdiction."), county=name_of(county))


class CooperativeMatcher:
    """The cooperatives a set of rows may name, loaded in a fixed number of queries: by shenasnameh, legal ID, or
    name in a county — within what `user` may change."""

    def __init__(self, user, *, shenasnamehs=(), legal_ids=(), counties=()):
        self.user = user
        self._allowed: dict[int, bool] = {}
        wanted = Q(pk__in=[])
        shen = {to_ascii_digits(s).strip() for s in shenasnamehs if s}
        if shen:
            wanted |= Q(shenasnameh__in=shen)
        legal = {x for x in legal_ids if x}
        if legal:
            wanted |= Q(legal_id__in=legal)
        county_ids = {c.pk for c in counties if c is not None and self.may_change_in(c)}
        if county_ids:
            wanted |= Q(county_id__in=county_ids)
        coops = list(
            Cooperative.objects.for_user(user).filter(wanted).select_related("county", "sector", "activity")
        )
        # a representative's scope reaches their own cooperative, but imports are for staff who change records
        coops = [c for c in coops if self.may_change_in(c.county)]
        self.cooperatives = coops
        self.by_shen = {c.shenasnameh: c for c in coops}
        self.by_legal = {c.legal_id: c for c in coops if c.legal_id}
        self.by_name = {(c.county_id, c.name_key): c for c in coops}

    def may_change_in(self, county) -> bool:
        """Whether the user may change records in this county (asked once per county)."""
        if county.pk not in self._allowed:
            self._allowed[county.pk] = can_change_in(self.user, county)
        return self._allowed[county.pk]

    def in_county(self, county) -> list[Cooperative]:
        return [c for c in self.cooperatives if c.county_id == county.pk]

    def find(
        self,
        *,
        shenasnameh: str | None = None,
        legal_id: str | None = None,
        county=None,
        name: str | None = None,
        legal_id_identifies: bool = True,
    ) -> tuple[Cooperative | None, Message | None]:
        """(the cooperative, None), (None, None) when none is named, or (None, a message).

        Every identifier given must name a cooperative in the user's jurisdiction, and they must agree. With
        `legal_id_identifies=False` (the cooperatives' own import) an unknown legal ID is a new cooperative's."""
        if county is not None and not self.may_change_in(county):
            return None, outside_message(county)
        shen = to_ascii_digits(shenasnameh).strip() if shenasnameh else ""
        by_shen = self.by_shen.get(shen) if shen else None
        by_legal = self.by_legal.get(legal_id) if legal_id else None
        if shen and by_shen is None:
            # the same words whether the number does not exist or belongs to another jurisdiction
            return None, message(
                gettext_noop("Shenasnameh %(number)s was not found in your jurisdiction."),
                number=digits_of(shen),
            )
        if legal_id and by_legal is None and legal_id_identifies:
            return None, message(
                gettext_noop(
                    "No cooperative with the national ID %(legal_id)s was found in your jurisdiction."
                ),
                legal_id=digits_of(legal_id),
            )
        if by_shen is not None and by_legal is not None and by_shen.pk != by_legal.pk:
            return None, message(
                gettext_noop(
                    "The shenasnameh number and the national ID point to two different cooperatives."
                )
            )
        found = by_shen or by_legal
        if found is None and county is not None and name:
            found = self.by_name.get((county.pk, search_key(name)))
        return found, None


def differs(current, value) -> bool:
    """Whether a row's value differs from a record's: related records by id, and an empty identifier (None or "")
    the same as no identifier."""
    if hasattr(current, "pk"):
        return current.pk != getattr(value, "pk", value)
    if current in (None, "") and value in (None, ""):
        return False
    return current != value
