"""The demo's publication (issue 18): the Cooperative Week 1404 press paragraph, published on 18 Shahrivar 1404 with
its figures as of the end of the 17th; then what a month and more brought — a project's investment corrected, two
facilities paid in full, a cooperative in liquidation dissolved — each recorded on its day, through the services.
The paragraph written again as of 17 Shahrivar 1404 is the one published; today's is not."""

import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation

from taavon.accounts.models import User
from taavon.core.history import day_moment, recorded_at
from taavon.persian import to_gregorian
from taavon.places.models import Province
from taavon.projects.models import Facility, Project, Stage
from taavon.projects.services import facility_update, project_update
from taavon.registry.models import Cooperative, Status
from taavon.registry.services import cooperative_change_status
from taavon.reports.models import Publication
from taavon.reports.publications import publication_publish_press

WEEK = ((1404, 6, 11), (1404, 6, 17))
PUBLISHED = (1404, 6, 18)
CORRECTED = (1404, 7, 20)  # a project's investment corrected (+3 billion toman)
PAID = (1404, 8, 5)  # two facilities paid in full
DISSOLVED = (1404, 9, 1)  # a cooperative in liquidation dissolved


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def load_publications_demo(
    *, acting_user: User, publisher: User | None = None, progress: bool = True
) -> dict:
    province = Province.objects.get(code="IR-15")
    if Publication.objects.filter(province=province).exists():
        return {"publications": Publication.objects.filter(province=province).count()}
    start, end = to_gregorian(*WEEK[0]), to_gregorian(*WEEK[1])
    # published in the site's language (Persian), as the province's press office writes it
    with (
        recorded_at(day_moment(to_gregorian(*PUBLISHED), hour=9)),
        translation.override(settings.LANGUAGE_CODE),
    ):
        pub = publication_publish_press(
            acting_user=publisher or acting_user, province=province, start=start, end=end, as_of=_end_of(end)
        )
    week = (
        # jurisdiction: the demo's own records (an operator's load)
        Project.objects.filter(
            county__province=province, stage=Stage.OPENED, actual_opening_date__range=(start, end)
        ).order_by("id")
    )
    corrected = week.first()
    if corrected is not None:
        with recorded_at(day_moment(to_gregorian(*CORRECTED))):
            project_update(
                acting_user=acting_user,
                project=corrected,
                investment_rial=corrected.investment_rial + 30_000_000_000,
            )
    paid_day = to_gregorian(*PAID)
    with recorded_at(day_moment(paid_day)):
        # jurisdiction: the demo's own records
        for facility in Facility.objects.filter(project__in=week, paid_rial__lt=F("approved_rial"))[:2]:
            facility_update(
                acting_user=acting_user,
                facility=facility,
                paid_rial=facility.approved_rial,
                paid_date=paid_day,
            )
    # jurisdiction: the demo's own records
    liquidating = Cooperative.objects.filter(county__province=province, status=Status.LIQUIDATING).order_by(
        "id"
    )
    dissolved = liquidating.first()
    if dissolved is not None:
        with recorded_at(day_moment(to_gregorian(*DISSOLVED))):
            cooperative_change_status(
                acting_user=acting_user,
                cooperative=dissolved,
                to_status=Status.DISSOLVED,
                reason="پایان تصفیه و ثبت انحلال در اداره ثبت شرکت‌ها",
                effective_date=to_gregorian(*DISSOLVED),
            )
    return {"publications": 1, "publication": pub.token}
