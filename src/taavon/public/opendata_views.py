"""Bulk downloads of the open data (the register, the projects) and their data package."""

import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taavon.accounts.jurisdiction import can_run_province
from taavon.public import opendata, opendata_tasks

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    """The files with their size, rows and build time; staff of a province may rebuild them now (POST)."""
    may_rebuild = can_run_province(request.user)
    if request.method == "POST":
        if not may_rebuild:
            raise PermissionDenied(_("Only the province's staff may rebuild the files."))
        if opendata_tasks.enqueue():
            messages.success(request, _("The files are being rebuilt; reload this page in a minute."))
        else:
            messages.info(request, _("A rebuild is already under way."))
        return redirect("public:opendata")
    queued = opendata_tasks.enqueue_if_stale()
    files = opendata.built_files()
    for f in files:
        f["size_kb"] = max(1, math.ceil(f["size"] / 1024))
    return render(
        request,
        "public/opendata.html",
        {
            "files": files,
            "built_at": opendata.built_at(),
            "queued": queued,
            "may_rebuild": may_rebuild,
            "license": opendata.LICENSE,
        },
    )


@require_GET
def download(request, filename: str):
    """One built file, with an ETag and a Last-Modified (a client's current copy gets a 304)."""
    if filename not in opendata.filenames():
        raise Http404
    path = opendata.folder() / filename
    if not path.exists():
        opendata_tasks.enqueue_if_stale()  # never built (or gone): queue it; a worker that runs at once serves it
    try:
        stat = path.stat()
    except OSError:
        raise Http404 from None
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if not_modified is not None:
        return not_modified
    fmt = filename.rsplit(".", 1)[-1]
    response = FileResponse(
        open(path, "rb"), content_type=CONTENT_TYPES[fmt], as_attachment=fmt != "json", filename=filename
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = "public, max-age=3600"
    return response
