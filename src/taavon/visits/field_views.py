"""The inspector's installable offline app: its page (the plan and the report form), the data the device caches, the
endpoint that receives one report at a time (a retry is harmless: the device's id), the manifest and the service
worker (served from here so that its scope covers /visits/)."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from taavon.accounts.access import change_required
from taavon.registry.models import Cooperative
from taavon.visits import field, services
from taavon.visits.models import Visit


def _errors(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            key: [str(m) for m in ValidationError(value).messages] for key, value in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


def _reused(exc: ValidationError) -> bool:
    """A refusal of the report's id: the same id with other content (the service's code says so)."""
    if not hasattr(exc, "error_dict") or "client_id" not in exc.error_dict:
        return False
    return any(e.code == "client_id_reused" for e in exc.error_dict["client_id"])


def _visit_url(visit: Visit) -> str:
    return reverse("visits:visit", args=[visit.pk])


def _not_found() -> JsonResponse:
    return JsonResponse({"status": "not_found", "message": _("Not found.")}, status=404)


@change_required
@require_GET
def field_app(request):
    return render(request, "visits/field.html", {})


@change_required
@require_GET
@never_cache
def field_data(request):
    return JsonResponse(field.field_data(user=request.user), json_dumps_params={"ensure_ascii": False})


@change_required
@require_POST
def field_sync(request):
    try:
        raw = request.POST.get("report")
        files = request.FILES
    except (RequestDataTooBig, TooManyFilesSent):
        return JsonResponse(
            {"status": "refused", "errors": {"report": [_("The report is too large.")]}}, status=422
        )
    try:
        data = field.parse_report(raw)
    except field.BadReport as exc:
        return JsonResponse({"status": "refused", "errors": exc.errors}, status=422)
    try:
        cooperative = field.report_cooperative(user=request.user, pk=data.pop("cooperative"))
        visit_id = data.pop("visit")
        visit = field.report_visit(user=request.user, pk=visit_id) if visit_id is not None else None
    except (Cooperative.DoesNotExist, Visit.DoesNotExist):
        return _not_found()
    try:
        result = services.visit_report(
            acting_user=request.user,
            cooperative=cooperative,
            visit=visit,
            photos=field.report_photos(files),
            **data,
        )
    except PermissionDenied as exc:
        return JsonResponse({"status": "forbidden", "message": str(exc)}, status=403)
    except ValidationError as exc:
        status = 409 if _reused(exc) else 422
        return JsonResponse({"status": "refused", "errors": _errors(exc)}, status=status)
    return JsonResponse(
        {
            "status": "created" if result.created else "duplicate",
            "visit_url": _visit_url(result.visit),
            "conflict": result.conflict,
        },
        status=201 if result.created else 200,
    )


@require_GET
def field_manifest(request):
    manifest = {
        "name": _("Taavon field visits"),
        "short_name": _("Field visits"),
        "description": _("The inspector's visit plan and report form; works without a network."),
        "start_url": reverse("visits:field"),
        "scope": "/visits/",
        "display": "standalone",
        "dir": "rtl",
        "lang": "fa",
        "background_color": "#ffffff",
        "theme_color": "#0f5132",
        "icons": [
            {"src": static("taavon/icons/visits-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("taavon/icons/visits-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@never_cache
def field_sw(request):
    """The service worker, its file list made with `static` (the names the static storage gives them)."""
    body = render_to_string("visits/field_sw.js", {}, request=request)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/visits/"
    return response
