"""The import pages: upload, follow the background work, correct the mapping, decide on similar names,
commit (all or only the valid rows), undo; templates and rejected rows as spreadsheets."""

import re

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from taavon.accounts.access import change_required
from taavon.accounts.jurisdiction import ensure_own_work, is_own_work
from taavon.core.formatting import english
from taavon.core.views import form_status
from taavon.imports import selectors, services, spreadsheets, tasks
from taavon.imports.forms import UploadForm
from taavon.imports.kinds import KINDS, UNITS
from taavon.imports.models import BatchStatus, ImportBatch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

BUSY = gettext_lazy("This import is being done right now, or was done already.")  # another step took it first


def _batch(request, pk: int, *, act: bool = False) -> ImportBatch:
    """The batch, if the user may follow it (404 otherwise); with act, only its maker carries it on (403)."""
    try:
        batch = ImportBatch.objects.for_user(request.user).select_related("created_by").get(pk=pk)
    except ImportBatch.DoesNotExist as exc:
        raise Http404 from exc
    if act:
        ensure_own_work(request.user, batch.created_by_id)
    return batch


@change_required
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                acting_user=request.user,
                kind=form.cleaned_data["kind"],
                data=upload.read(),
                filename=upload.name,
                unit=form.cleaned_data["unit"],
            )
        except services.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            tasks.enqueue(batch, request.user, "preview")
            return redirect("imports:detail", pk=batch.pk)
    return render(
        request,
        "imports/list.html",
        {
            "form": form,
            "batches": ImportBatch.objects.for_user(request.user).select_related("created_by")[:50],
            "kinds": KINDS.values(),
        },
        status=form_status(request, form),
    )


@change_required
def import_detail(request, pk: int):
    batch = _batch(request, pk)
    if batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.UNDOING):
        services.import_release_stale(batch=batch)
    context = {
        "batch": batch,
        "running": batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.UNDOING),
        "unit_label": UNITS.get(batch.unit, batch.unit),
    }
    if batch.status == BatchStatus.PREVIEWED:
        header = batch.header  # kept by the preview: the file is not read again for a page view
        kind = KINDS[batch.kind]
        context["columns"] = [
            {"index": i, "title": str(h or ""), "field": batch.mapping.get(str(i), "")}
            for i, h in enumerate(header)
        ]
        context["fields"] = kind.fields
    if batch.sample:
        labels = {spec.name: spec.label for spec in KINDS[batch.kind].fields} if batch.kind in KINDS else {}
        context["sample"] = [
            {
                **r,
                # the code of what the row would do; a batch previewed before kept the Persian words themselves
                "action": services.ACTION_LABELS.get(r.get("action"), r.get("action")),
                "changes": (", " if english() else "، ").join(
                    str(labels.get(c, c)) for c in r.get("changes", [])
                ),
            }
            for r in batch.sample[:100]
        ]
    if batch.status == BatchStatus.COMMITTED:
        context["records"] = selectors.touched_records(batch)
    done, total = services.progress_get(batch)
    context["done"], context["total"] = done, total
    context["percent"] = int(100 * done / total) if total else 0
    context["events"] = selectors.batch_events(batch)
    context["can_act"] = is_own_work(request.user, batch.created_by_id)
    return render(request, "imports/detail.html", context)


@change_required
def import_progress(request, pk: int):
    batch = _batch(request, pk)
    if batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.UNDOING):
        response = HttpResponse("", content_type="text/plain")  # nothing to show: the page reloads (htmx)
        response["HX-Refresh"] = "true"
        return response
    done, total = services.progress_get(batch)
    return render(
        request,
        "imports/_progress.html",
        {
            "batch": batch,
            "done": done,
            "total": total,
            "percent": int(100 * done / total) if total else 0,
        },
    )


@change_required
@require_POST
def import_remap(request, pk: int):
    batch = _batch(request, pk, act=True)
    if batch.status != BatchStatus.PREVIEWED:
        messages.error(request, _("The column mapping can be changed only before the import is done."))
        return redirect("imports:detail", pk=batch.pk)
    names = set(KINDS[batch.kind].by_name)
    mapping = {}
    for key, value in request.POST.items():
        if key.startswith("col_") and key[4:].isdigit() and value in names and value not in mapping.values():
            mapping[key[4:]] = value
    missing = services.mapping_missing(batch.kind, mapping)
    if missing:  # refused here: a saved mapping without a required column would refuse every later file
        messages.error(request, services.missing_columns(missing))
        return redirect("imports:detail", pk=batch.pk)
    if request.POST.get("remember"):
        services.mapping_save(acting_user=request.user, batch=batch, mapping=mapping)
    if not tasks.enqueue(batch, request.user, "preview", updates={"mapping": mapping}):
        messages.error(request, BUSY)
    return redirect("imports:detail", pk=batch.pk)


@change_required
@require_POST
def import_decide(request, pk: int):
    batch = _batch(request, pk, act=True)
    if batch.status != BatchStatus.PREVIEWED:
        messages.error(request, _("Decisions can be made only before the import is done."))
        return redirect("imports:detail", pk=batch.pk)
    decisions = dict(batch.decisions)
    for key, value in request.POST.items():
        if (
            key.startswith("row_")
            and key[4:].isdigit()
            and (value == "new" or re.fullmatch(r"same:\d+", value))
        ):
            decisions[key[4:]] = value
    if not tasks.enqueue(batch, request.user, "preview", updates={"decisions": decisions}):
        messages.error(request, BUSY)
    return redirect("imports:detail", pk=batch.pk)


@change_required
@require_POST
def import_commit(request, pk: int):
    batch = _batch(request, pk, act=True)
    if batch.status != BatchStatus.PREVIEWED:
        messages.error(request, _("This import is not ready to be done."))
        return redirect("imports:detail", pk=batch.pk)
    if not tasks.enqueue(batch, request.user, "commit", valid_only=bool(request.POST.get("valid_only"))):
        messages.error(request, BUSY)
    return redirect("imports:detail", pk=batch.pk)


@change_required
@require_POST
def import_undo(request, pk: int):
    batch = _batch(request, pk, act=True)
    # in the background: undoing 100,000 records takes longer than a web request may
    if not tasks.enqueue(batch, request.user, "undo"):
        messages.error(request, _(services.ONLY_DONE))
    return redirect("imports:detail", pk=batch.pk)


@change_required
def import_rejected(request, pk: int):
    batch = _batch(request, pk)
    response = HttpResponse(spreadsheets.rejected_rows_xlsx(batch=batch), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rejected-{batch.pk}.xlsx"'
    return response


@change_required
def import_template(request, kind: str):
    if kind not in KINDS:
        raise Http404
    response = HttpResponse(spreadsheets.template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="taavon-{kind}-template.xlsx"'
    return response
