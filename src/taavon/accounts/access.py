"""View decorators that enforce what accounts.jurisdiction decides: staff pages, pages that change records, and the
representatives' portal. Every page uses one of them (the access-matrix test walks every URL to prove it)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from taavon.accounts.jurisdiction import (
    can_change,
    ensure_can_run_province,
    ensure_juror,
    ensure_staff,
    represented_cooperative_id,
)


def staff_required(view):
    """Signed in, and staff of the cooperative offices (any role but the representative: they are sent a clear
    refusal that names their portal)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        ensure_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def change_required(view):
    """Staff whose role changes records (administrator, provincial or county staff); the record's county is checked
    by the view and the service."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        ensure_staff(request.user)
        if not can_change(request.user):
            raise PermissionDenied(_("Your role may not change records."))
        return view(request, *args, **kwargs)

    return wrapped


def representative_required(view):
    """The portal: a cooperative's representative only."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if represented_cooperative_id(request.user) is None:
            raise PermissionDenied(_("This part is for cooperatives' representatives."))
        return view(request, *args, **kwargs)

    return wrapped


def juror_required(view):
    """The jury's pages: a festival juror only (which candidates, festival.jury decides)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        ensure_juror(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def province_staff_required(view):
    """What a province runs for itself (the festival, the week's exhibition): administrators and the province's
    staff; county offices, viewers, representatives and jurors are refused (403) whatever the method. The record's
    own province is checked again by the service."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        ensure_staff(request.user)
        ensure_can_run_province(request.user)
        return view(request, *args, **kwargs)

    return wrapped
