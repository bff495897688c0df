"""Cooperative Week's pages: thin views over events.selectors and events.services — a year's programme by Jalali
day (printable, a county filter), adding an event, an event's page (its form, its removal, the projects an opening
opens), the exhibition (booths, visitors per day and their chart, forms to add them)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taavon.accounts.access import change_required, province_staff_required, staff_required
from taavon.accounts.jurisdiction import can_change, counties_for, scope_of
from taavon.core.formatting import date as show_date
from taavon.core.views import form_page
from taavon.events import selectors, services
from taavon.events.forms import BoothForm, EventForm, ProgrammeFilterForm, ProjectsForm, VisitorsForm
from taavon.events.models import Booth, Event, EventKind, Exhibition
from taavon.persian import jalali_today
from taavon.places.models import Province
from taavon.registry.models import Cooperative

MIN_YEAR, MAX_YEAR = 1300, 1500


def _year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("No programme for this year."))
    return year


def _home_province(user) -> Province | None:
    """The province whose programme the user plans: their own (their county's), else the installation's."""
    if user.county_id:
        return user.county.province
    if user.province_id:
        return user.province
    s = scope_of(user)
    if len(s.provinces) == 1:
        return Province.objects.filter(pk=next(iter(s.provinces))).first()
    return Province.objects.filter(code=settings.TAAVON_HOME_PROVINCE).first()


def _event(request, pk: int) -> Event:
    try:
        return selectors.event_get(user=request.user, pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404(_("Event not found.")) from exc


def _changing_event(request, pk: int) -> Event:
    event = _event(request, pk)
    if not services.can_change_event(request.user, event):
        raise PermissionDenied(_("You may not change this event."))
    return event


def _event_counties(user, province: Province | None):
    qs = counties_for(user).order_by("name_fa")
    return qs.filter(province=province) if province is not None else qs


def _url(event: Event) -> str:
    return reverse("events:event", args=[event.pk])


# --- the programme ------------------------------------------------------------------------------------------------


@staff_required
def index(request):
    return redirect("events:programme", year=jalali_today().year)


@staff_required
def programme(request, year: int):
    year = _year(year)
    form = ProgrammeFilterForm(request.GET)
    form.is_valid()
    counties = list(counties_for(request.user).order_by("name_fa"))
    county_id = form.cleaned_data.get("county")
    if county_id not in {c.pk for c in counties}:
        county_id = None
    events = selectors.programme(user=request.user, year=year, county_id=county_id)
    province = _home_province(request.user)
    exhibition = selectors.exhibition_of(user=request.user, year=year, province_id=province and province.pk)
    start, end = selectors.week_days(year)
    context = {
        "year": year,
        "days": selectors.programme_days(events),
        "week_start": start,
        "week_end": end,
        "figures": selectors.week_figures(user=request.user, year=year, events=events, exhibition=exhibition),
        "exhibition": exhibition,
        "counties": counties,
        "county": next((c for c in counties if c.pk == county_id), None),
        "can_add": can_change(request.user),
        "prev_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "events/programme.html", context)


@change_required
@require_http_methods(["GET", "POST"])
def event_new(request, year: int):
    year = _year(year)
    province = _home_province(request.user)
    if province is None:
        raise Http404
    form = EventForm(request.POST or None, counties=_event_counties(request.user, province))
    if not form.is_bound:
        start, _end = selectors.week_days(year)
        form.initial = {"day": start, "county": request.user.county_id}
    return form_page(
        request,
        form,
        call=lambda d: services.event_add(
            acting_user=request.user,
            kind=d["kind"],
            title=d["title"],
            starts_at=d["starts_at"],
            ends_at=d.get("ends_at"),
            place=d.get("place") or "",
            organiser=d.get("organiser") or "",
            province=province,
            county=d.get("county"),
            description=d.get("description") or "",
        ),
        success=lambda e: (
            _("The event was added to the programme of %(date)s.") % {"date": show_date(e.starts_at)}
        ),
        next_url=_url,
        template="events/event_new.html",
        context={"title": _("Add an event"), "year": year},
    )


# --- an event -----------------------------------------------------------------------------------------------------


def _event_context(request, event: Event, *, form=None, projects_form=None) -> dict:
    can = services.can_change_event(request.user, event)
    context = {
        "event": event,
        "can_change": can,
        "projects": selectors.event_projects(user=request.user, event=event)
        if event.kind == EventKind.OPENING
        else [],
        "is_opening": event.kind == EventKind.OPENING,
    }
    if can:
        context["form"] = form or EventForm(
            counties=_event_counties(request.user, event.province), event=event
        )
        if event.kind == EventKind.OPENING:
            chosen = {p.pk for p in context["projects"]}
            context["projects_form"] = projects_form or ProjectsForm(
                initial={"projects": sorted(chosen)},
                choices=_project_choices(request.user, event),
            )
    return context


def _project_choices(user, event: Event) -> list[tuple[int, str]]:
    sep = pgettext("list separator", ", ")
    return [
        (p.pk, f"{p.title} — {sep.join([p.cooperative.name, p.county.name, p.get_stage_display()])}")
        for p in selectors.openable_projects(user=user, event=event)
    ]


@staff_required
def event(request, pk: int):
    e = _event(request, pk)
    return render(request, "events/event.html", _event_context(request, e))


@change_required
@require_POST
def event_edit(request, pk: int):
    e = _changing_event(request, pk)
    form = EventForm(request.POST, counties=_event_counties(request.user, e.province))
    return form_page(
        request,
        form,
        call=lambda d: services.event_update(
            acting_user=request.user,
            event=e,
            version=d.get("version"),
            kind=d["kind"],
            title=d["title"],
            starts_at=d["starts_at"],
            ends_at=d.get("ends_at"),
            place=d.get("place") or "",
            organiser=d.get("organiser") or "",
            county=d.get("county"),
            description=d.get("description") or "",
        ),
        success=_("The event was saved."),
        next_url=_url,
        template="events/event.html",
        context=_event_context(request, e, form=form),
    )


@change_required
@require_POST
def event_delete(request, pk: int):
    e = _changing_event(request, pk)
    year = e.year
    services.event_delete(acting_user=request.user, event=e)
    messages.success(request, _("The event was removed from the programme."))
    return redirect("events:programme", year=year)


@change_required
@require_POST
def event_projects(request, pk: int):
    e = _changing_event(request, pk)
    form = ProjectsForm(request.POST, choices=_project_choices(request.user, e))
    return form_page(
        request,
        form,
        call=lambda d: services.event_set_projects(acting_user=request.user, event=e, projects=d["projects"]),
        success=_("The projects opened were saved."),
        next_url=_url(e),
        template="events/event.html",
        context={**_event_context(request, e, projects_form=form), "form": None},
    )


# --- the exhibition -----------------------------------------------------------------------------------------------


def _exhibition(request, year: int) -> Exhibition:
    province = _home_province(request.user)
    found = selectors.exhibition_of(user=request.user, year=_year(year), province_id=province and province.pk)
    if found is None:
        raise Http404(_("This year has no exhibition."))
    return found


def _changing_exhibition(request, year: int) -> Exhibition:
    ex = _exhibition(request, year)
    if not services.can_change_province(request.user, ex.province):
        raise PermissionDenied(_("The exhibition is run by the province's staff."))
    return ex


def _exhibition_context(request, year: int, ex: Exhibition | None, **forms) -> dict:
    context = {"year": year, "exhibition": ex}
    if ex is None:
        province = _home_province(request.user)
        context["can_change"] = province is not None and services.can_change_province(request.user, province)
        return context
    booths = selectors.exhibition_booths(exhibition=ex)
    visitors = selectors.exhibition_visitors(exhibition=ex)
    can = services.can_change_province(request.user, ex.province)
    persian = (get_language() or "fa").startswith("fa")
    chart = {
        "ui": {"digits": "fa" if persian else "latn"},
        "visitors": {
            "labels": [show_date(day, "short") for day, _n in visitors],
            "values": [n or 0 for _day, n in visitors],
            "label": _("Visitors"),
        },
    }
    context.update(
        booths=booths,
        visitors=visitors,
        figures=selectors.week_figures(user=request.user, year=year, exhibition=ex),
        chart=chart,
        can_change=can,
    )
    if can:
        context["booth_form"] = forms.get("booth_form") or BoothForm(cooperatives=_cooperatives(request, ex))
        context["visitors_form"] = forms.get("visitors_form") or VisitorsForm()
    return context


def _cooperatives(request, ex: Exhibition):
    return Cooperative.objects.for_user(request.user).filter(county__province=ex.province)


@staff_required
def exhibition(request, year: int):
    year = _year(year)
    province = _home_province(request.user)
    ex = selectors.exhibition_of(user=request.user, year=year, province_id=province and province.pk)
    return render(request, "events/exhibition.html", _exhibition_context(request, year, ex))


@province_staff_required
@require_POST
def booth_add(request, year: int):
    ex = _changing_exhibition(request, year)
    form = BoothForm(request.POST, cooperatives=_cooperatives(request, ex))
    return form_page(
        request,
        form,
        call=lambda d: services.booth_add(
            acting_user=request.user,
            exhibition=ex,
            number=d["number"],
            cooperative=d["cooperative"],
            products=d["products"],
        ),
        success=_("The booth was added."),
        next_url=reverse("events:exhibition", args=[year]),
        template="events/exhibition.html",
        context=_exhibition_context(request, year, ex, booth_form=form),
    )


@province_staff_required
@require_POST
def booth_remove(request, pk: int):
    booth = (
        Booth.objects.for_user(request.user)
        .select_related("exhibition", "exhibition__province")
        .filter(pk=pk)
        .first()
    )
    if booth is None:
        raise Http404(_("Booth not found."))
    if not services.can_change_province(request.user, booth.exhibition.province):
        raise PermissionDenied(_("The exhibition is run by the province's staff."))
    year = booth.exhibition.year
    services.booth_remove(acting_user=request.user, booth=booth)
    messages.success(request, _("The booth was removed."))
    return redirect("events:exhibition", year=year)


@province_staff_required
@require_POST
def visitors(request, year: int):
    ex = _changing_exhibition(request, year)
    form = VisitorsForm(request.POST)
    return form_page(
        request,
        form,
        call=lambda d: services.visitors_record(
            acting_user=request.user, exhibition=ex, date=d["date"], visitors=d["visitors"]
        ),
        success=_("The visitors of the day were recorded."),
        next_url=reverse("events:exhibition", args=[year]),
        template="events/exhibition.html",
        context=_exhibition_context(request, year, ex, visitors_form=form),
    )
