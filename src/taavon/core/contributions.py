"""Contribution points: where a lower page shows what higher apps know, without importing them.

The way Django's admin lets each app register its models: a page owns a `Slot` (the cooperative's record, a
project's page, the representative's portal, the home page); each app adds its `Section`s to it from its
`AppConfig.ready()`, with an order, a permission check and a template. The page loops over the sections the user
may see. A new app appears on a page without a line changed in the page's app.

The same pattern holds the kinds of `taavon export KIND` (`EXPORT_KINDS`) and the kinds of protected documents
served by `core.views.document` (`DOCUMENTS`).
"""

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


def _always(user, obj) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    """One part of a page, contributed by an app.

    key: unique within the slot; title: the section's heading (lazy gettext);
    template: rendered with the page's base context, `section`, `obj` and `context(request, obj)`;
    order: smaller first; visible(user, obj): whether this user sees it on this object;
    exists (optional): {name: ("app_label.Model", "field")}, the section's kinds of records that point at the page's
    object by that field. The page asks every visible section's kinds in one query (by their indexes), and calls such
    a section's context with a third argument, {name: whether such records exist}, so that it does not read what it
    knows to be empty (most records have no visits, cases or requests: a query each saved, and building a query is
    most of the page's time). A yes only says that records exist: the section still reads them through the user's
    jurisdiction."""

    key: str
    title: Any
    template: str
    context: Callable[..., dict]
    order: int = 100
    visible: Callable[[Any, Any], bool] = _always
    exists: dict[str, tuple[str, str]] | None = None


@dataclass
class RenderedSection:
    section: Section
    html: str

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self):
        return self.section.title


@dataclass
class Slot:
    """A page's list of contributed sections."""

    name: str
    _sections: dict[str, Section] = field(default_factory=dict)

    def register(self, section: Section) -> Section:
        """Add a section (again with the same key: replaced, so that ready() may run twice)."""
        self._sections[section.key] = section
        return section

    def unregister(self, key: str) -> None:
        self._sections.pop(key, None)

    def __iter__(self) -> Iterator[Section]:
        return iter(sorted(self._sections.values(), key=lambda s: (s.order, s.key)))

    def keys(self) -> list[str]:
        return [s.key for s in self]

    def render(self, request, obj, base: dict | None = None) -> list[RenderedSection]:
        """The sections this request's user may see on `obj`, each rendered with the page's `base` context and its
        own (`section`, `obj` and the section's context on top)."""
        from django.template.loader import render_to_string

        user = request.user
        shown = [s for s in self if s.visible(user, obj)]
        present = records_present(obj, shown)
        out = []
        for s in shown:
            own = s.context(request, obj, present[s.key]) if s.key in present else s.context(request, obj)
            context = {**(base or {}), "section": s, "obj": obj, **own}
            out.append(RenderedSection(s, render_to_string(s.template, context, request=request)))
        return out


def records_present(obj, sections) -> dict[str, dict[str, bool]]:
    """{section key: {name: whether the records exist}} for the sections that say what to ask (`exists`): one query
    for all of them, on the page's object."""
    from django.db import connection

    asked = [(s.key, name, *pointer) for s in sections if s.exists for name, pointer in s.exists.items()]
    if obj is None or obj.pk is None or not asked:
        return {}
    sql, targets = _exists_sql(tuple((label, field) for _key, _name, label, field in asked))
    # only yes or no of records pointing at the page's object (which the page found for this user), none read
    with connection.cursor() as cursor:
        cursor.execute(sql, [getattr(obj, target) for target in targets])
        row = cursor.fetchone()
    out: dict[str, dict[str, bool]] = {}
    for (key, name, _label, _field), value in zip(asked, row, strict=True):
        out.setdefault(key, {})[name] = bool(value)
    return out


@functools.lru_cache(maxsize=32)
def _exists_sql(pointers: tuple[tuple[str, str], ...]) -> tuple[str, tuple[str, ...]]:
    """SELECT EXISTS (SELECT 1 FROM <model's table> WHERE <field's column> = %s), ... for ("app_label.Model", field)
    pairs, and the attribute of the page's object each parameter is (the field's target: its primary key). Written
    from the models' metadata once per process: no query to build on every page."""
    from django.apps import apps
    from django.db import connection

    qn = connection.ops.quote_name
    parts, targets = [], []
    for label, name in pointers:
        model = apps.get_model(label)
        field = model._meta.get_field(name)
        parts.append(f"EXISTS (SELECT 1 FROM {qn(model._meta.db_table)} WHERE {qn(field.column)} = %s)")
        targets.append(field.target_field.attname)
    return "SELECT " + ", ".join(parts), tuple(targets)


# the pages that take contributions
RECORD_SECTIONS = Slot("the cooperative's identity record")
PROJECT_SECTIONS = Slot("a project's page")
PORTAL_SECTIONS = Slot("the representative's portal")
HOME_PANELS = Slot("the home page")


@dataclass(frozen=True)
class ExportKind:
    """A kind of `taavon export KIND`: the columns, and the rows for the command's filters.

    rows(**filters) → (objects, count), called with the filters the kind lists (province: an ISO code; status);
    a value it does not know raises ValueError with a message."""

    code: str
    label: str
    columns: list
    rows: Callable[..., tuple[Iterable, int]]
    sheet: str
    filters: tuple[str, ...] = ("province",)


class _Registry(dict):
    def register(self, item):
        self[item.code] = item
        return item


EXPORT_KINDS: _Registry = _Registry()


@dataclass(frozen=True)
class DocumentKind:
    """Uploaded documents served through `core.views.document` (never as a public path): the records of this kind
    the user may see, and the file field.

    visible(user) → a queryset of the records whose document the user may open."""

    code: str
    visible: Callable[[Any], Any]
    field: str


DOCUMENTS: _Registry = _Registry()


@dataclass(frozen=True)
class Fact:
    """Records a capability keeps that others reason about without importing it (triage's early-warning rules,
    a revival plan's commitments): `rows(cooperative_ids)` → rows of (cooperative_id, date, ...) for those
    cooperatives (a queryset of ids: one query, set-based — it runs for 100,000 cooperatives).

    Kinds known today: "activity" (cooperative_id, last date: any recorded activity of the capability — the
    `inactive` rule takes the latest over all of them; `label` names it), "assembly" (cooperative_id, date:
    ordinary general assemblies held), "board" (cooperative_id, date: a board's term starting), "return"
    (cooperative_id, fiscal year, filing date: annual returns filed)."""

    code: str
    kind: str
    label: Any
    rows: Callable[[Any], Iterable[tuple]]


FACTS: _Registry = _Registry()


@dataclass(frozen=True)
class TriageRule:
    """An early-warning rule a capability adds to triage's (visits: «the last visit found the unit closed»):
    `find(cooperatives, threshold, today)` → {cooperative_id: params} for the cooperatives (a queryset) it holds for;
    `explain(params, today)` → the sentence naming the dates and figures behind it, in the reader's language.
    `threshold_unit`: "months", "years", "members", "attempts" or "" (no threshold)."""

    code: str
    label: Any
    find: Callable[..., dict]
    explain: Callable[..., str]
    default_threshold: int | None = None
    threshold_unit: str = ""
    default_weight: int = 1
    order: int = 100


TRIAGE_RULES: _Registry = _Registry()


@dataclass(frozen=True)
class PressLine:
    """A sentence a capability adds to the press summary (events: «the openings were held at … on …»):
    `text(province_id, start, end, as_of)` → the sentence in the reader's language, or "" when it has nothing to
    say; `as_of` (None: now): as Taavon knew the records at that moment (a published paragraph reproduced later).
    Public text, like the summary's own: figures and names of events, never a person's or a private record's."""

    code: str
    text: Callable[[int, Any, Any, Any], str]
    order: int = 100


PRESS_LINES: _Registry = _Registry()


def press_lines(*, province_id: int, start, end, as_of=None) -> list[str]:
    """The contributed sentences of the press summary, in their order (empty ones left out)."""
    lines = (
        p.text(province_id, start, end, as_of)
        for p in sorted(PRESS_LINES.values(), key=lambda p: (p.order, p.code))
    )
    return [line for line in lines if line]
