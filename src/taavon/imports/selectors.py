"""Reads for the import pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from taavon.imports.models import ImportBatch
from taavon.members.models import AnnualReturn, Contribution, Membership, Person
from taavon.projects.models import Facility, Project

# for each kind of record an import touches: what to fetch with it, its label, the page that shows it
_RECORD_PAGES = {
    Project: (("cooperative",), str, lambda o: reverse("projects:detail", args=[o.pk])),
    Facility: (
        ("project",),
        lambda o: _("Facilities from %(bank)s — %(project)s") % {"bank": o.bank, "project": o.project},
        lambda o: reverse("projects:detail", args=[o.project_id]),
    ),
    Person: ((), str, lambda o: reverse("members:person", args=[o.pk])),
    Membership: (
        ("person", "cooperative"),
        lambda o: (
            _("Membership of %(person)s in %(cooperative)s")
            % {"person": o.person, "cooperative": o.cooperative}
        ),
        lambda o: reverse("members:members", args=[o.cooperative.shenasnameh]),
    ),
    Contribution: (
        ("membership__person", "membership__cooperative"),
        lambda o: (
            _("Contribution of %(person)s in %(cooperative)s")
            % {"person": o.membership.person, "cooperative": o.membership.cooperative}
        ),
        lambda o: reverse("members:members", args=[o.membership.cooperative.shenasnameh]),
    ),
    AnnualReturn: (
        ("cooperative",),
        lambda o: _("Annual return of %(cooperative)s") % {"cooperative": o.cooperative},
        lambda o: reverse("registry:detail", args=[o.cooperative.shenasnameh]),
    ),
}


def touched_records(batch: ImportBatch, limit: int = 200) -> list[dict]:
    """The records an import made or changed, each with its label and page (a fixed number of queries: one per
    kind of record). A record deleted since is said to be so."""
    records = list(batch.records.select_related("cooperative", "content_type")[:limit])
    wanted: dict = {}
    for r in records:
        if r.content_type_id:
            wanted.setdefault(r.content_type.model_class(), set()).add(r.object_id)
    found = {}
    for model, ids in wanted.items():
        related = _RECORD_PAGES.get(model, ((), str, None))[0]
        found[model] = model.objects.select_related(*related).in_bulk(ids)
    out = []
    for r in records:
        label, url = _("(deleted)"), ""
        if r.cooperative_id and r.cooperative:
            label, url = r.cooperative.name, reverse("registry:detail", args=[r.cooperative.shenasnameh])
        elif r.content_type_id:
            model = r.content_type.model_class()
            obj = found.get(model, {}).get(r.object_id)
            if obj is not None:
                _related, label_of, url_of = _RECORD_PAGES.get(model, ((), str, None))
                label, url = label_of(obj), url_of(obj) if url_of else ""
        out.append({"row": r.row_number, "action": r.action, "label": label, "url": url})
    return out


def batch_events(batch: ImportBatch) -> list:
    """The import's steps, newest first: who moved it, when, from and to what, and why."""
    return list(batch.events.select_related("user").order_by("-at", "-id")[:50])
