"""Views every app uses: the one shape of every form page, and protected documents.

The one shape of every form page: validate the form, call a service, put the service's ValidationError back on
the form's fields, or say so and go on."""

import os
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from taavon.core.concurrency import ConflictError
from taavon.core.contributions import DOCUMENTS


def form_page(
    request,
    form,
    *,
    call: Callable[[dict], object],
    success: str,
    next_url: Callable[[object], str] | str,
    template: str,
    context: dict,
):
    """GET: show the form. POST: when the form is valid, `call(cleaned_data)`; a ValidationError from the service
    lands on the fields; success redirects to `next_url` (a URL, or a function of the service's result)."""
    if request.method == "POST" and form.is_valid():
        try:
            # one transaction for the page's whole action (a person and their membership, say): all or nothing
            with transaction.atomic():
                result = call(form.cleaned_data)
        except ConflictError as exc:
            # someone changed the record since this form showed it: both values are told; the form now carries the
            # current version, so saving again is the user's deliberate choice
            form.add_error(None, exc)
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render(request, template, {"form": form, **context}, status=form_status(request, form))


# A form sent back with what is wrong is "422 Unprocessable Content": not a success, not a server error. Browsers
# show the page as usual; tests, proxies and monitoring see a refusal.
REFUSED = 422


def form_status(request, form) -> int:
    return REFUSED if request.method == "POST" and form.errors else 200


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has that field, else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


MIME = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


@login_required
def document(request, kind: str, pk: int):
    """An uploaded document (status evidence, assembly minutes, financial statements...), for a user who may see its
    record; 404 otherwise, whether or not it exists. Served by the web server when it is set up for it
    (TAAVON_X_ACCEL_REDIRECT for nginx, TAAVON_X_SENDFILE for Apache/lighttpd), else by Django."""
    doc = DOCUMENTS.get(kind)
    if doc is None:
        raise Http404
    obj = doc.visible(request.user).filter(pk=pk).first()
    stored = getattr(obj, doc.field, None) if obj is not None else None
    if not stored:
        raise Http404
    ext = os.path.splitext(stored.name)[1].lower()
    filename = f"{kind}-{pk}{ext}"
    accel = getattr(settings, "TAAVON_X_ACCEL_REDIRECT", "")
    if accel or getattr(settings, "TAAVON_X_SENDFILE", False):
        response = HttpResponse(content_type=MIME.get(ext, "application/octet-stream"))
        if accel:
            response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(stored.name)
        else:
            response["X-Sendfile"] = stored.path
    else:
        try:
            handle = stored.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=MIME.get(ext, "application/octet-stream"))
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
