"""The demo data set: Lorestan, through the same services (rules and audit rows) as users' edits."""

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext

from taavon.accounts.models import Role, User
from taavon.core.history import day_moment, recorded_at
from taavon.persian import to_gregorian
from taavon.places.models import County, Province

DEMO_PASSWORD = "taavon-demo-1404"
REGISTER_ENTERED = (1404, 5, 1)  # the demo's register is recorded as entered on this day (its history begins)
PROGRAMME_ENTERED = (1404, 6, 5)  # Cooperative Week 1404's programme
LORESTAN = "IR-15"
REPRESENTED = "شرکت تعاونی تولیدی پوشاک بانوان زاگرس"  # one of the report's cooperatives (خرم‌آباد)


def demo_users_spec() -> list[dict]:
    return [
        {
            "username": "admin",
            "first_name": "مدیر",
            "last_name": "سامانه",
            "role": Role.ADMIN,
            "is_staff": True,
            "is_superuser": True,
        },
        {
            "username": "ostan",
            "first_name": "زهرا",
            "last_name": "کرمی",
            "role": Role.PROVINCIAL,
            "province": LORESTAN,
        },
        {
            "username": "khorramabad",
            "first_name": "علی",
            "last_name": "رضایی",
            "role": Role.COUNTY,
            "county": "خرم‌آباد",
        },
        {
            "username": "borujerd",
            "first_name": "مریم",
            "last_name": "حسنوند",
            "role": Role.COUNTY,
            "county": "بروجرد",
        },
        {
            "username": "nazer",
            "first_name": "حسین",
            "last_name": "میرزایی",
            "role": Role.VIEWER,
            "province": LORESTAN,
        },
        {
            "username": "namayande",
            "first_name": "مهناز",
            "last_name": "بیرانوند",
            "role": Role.REPRESENTATIVE,
            "cooperative": REPRESENTED,
        },
        {
            "username": "davar1",
            "first_name": "احمد",
            "last_name": "سلیمانی",
            "role": Role.JUROR,
            "province": LORESTAN,
        },
    ]


DEMO_USERNAMES = [u["username"] for u in demo_users_spec()]


def is_real_database() -> bool:
    """True when the database holds cooperatives created by someone other than the demo (or is marked production)."""
    if os.environ.get("TAAVON_PRODUCTION", "").lower() in {"1", "true", "yes"}:
        return True
    from taavon.registry.models import Cooperative

    return (
        Cooperative.history.filter(history_type="+")
        .exclude(history_user__username__in=DEMO_USERNAMES)
        .exists()
    )


def ensure_admin() -> User:
    spec = demo_users_spec()[0]
    user, created = User.objects.get_or_create(username=spec["username"], defaults=spec)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _password_hashes(n: int) -> list[str]:
    """n hashes of the demo password by the project's hasher (Argon2), each with its own salt."""
    return [make_password(DEMO_PASSWORD) for _ in range(n)]


@transaction.atomic
def ensure_demo_users(hashes: Iterator[str] | None = None) -> list[tuple[str, str, str]]:
    """The demo logins (created when missing). `hashes`: password hashes made beforehand (see load_demo)."""
    from taavon.persian import search_key

    lorestan = Province.objects.get(code=LORESTAN)
    rows = []
    for spec in demo_users_spec():
        spec = dict(spec)
        province = Province.objects.get(code=spec.pop("province")) if "province" in spec else None
        county = (
            County.objects.get(province=lorestan, name_key=search_key(spec.pop("county")))
            if "county" in spec
            else None
        )
        cooperative = None
        if "cooperative" in spec:
            from taavon.registry.models import Cooperative

            cooperative = Cooperative.objects.get(name_key=search_key(spec.pop("cooperative")))
            county = cooperative.county
        spec["province"] = province or (county.province if county else None)
        spec["county"] = county
        spec["cooperative"] = cooperative
        user, created = User.objects.get_or_create(username=spec["username"], defaults=spec)
        if created:
            hashed = next(hashes, None) if hashes is not None else None
            if hashed:
                user.password = hashed  # make_password(DEMO_PASSWORD): what set_password stores
            else:
                user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        where = str(user.county or user.province or gettext("the whole country"))
        rows.append((user.username, user.get_role_display(), where))
    return rows


def load_demo(*, n_cooperatives: int = 320, progress: bool = True) -> dict:
    from taavon.events.demo import load_events_demo
    from taavon.festival.demo import load_festival_demo
    from taavon.members.demo import load_members_demo
    from taavon.projects.demo import load_projects_demo
    from taavon.registry.demo import load_registry_demo
    from taavon.reports.demo import load_publications_demo
    from taavon.servicedesk.demo import load_servicedesk_demo
    from taavon.triage.demo import load_triage_demo
    from taavon.triage.evaluation import triage_run
    from taavon.visits.demo import load_visits_demo

    admin = ensure_admin()
    missing = len(DEMO_USERNAMES) - User.objects.filter(username__in=DEMO_USERNAMES).count()
    # Argon2 is slow on purpose (~0.2 s a login) and releases the GIL: the missing logins' hashes are made in a
    # thread, on the second core, while the records load on this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashes = pool.submit(_password_hashes, missing)
        # the history is dated as the records would have been recorded (issue 18: figures as of a past day): the
        # register entered before Cooperative Week 1404, the projects from 1 Shahrivar 1404 with each stage on its
        # day (projects.demo), the week's programme on 5 Shahrivar; what follows is recorded now
        with recorded_at(day_moment(to_gregorian(*REGISTER_ENTERED), hour=8)):
            summary = load_registry_demo(acting_user=admin, n=n_cooperatives, progress=progress)
        summary.update(load_projects_demo(acting_user=admin, progress=progress))
        with recorded_at(day_moment(to_gregorian(*PROGRAMME_ENTERED), hour=9)):
            summary.update(load_events_demo(acting_user=admin, progress=progress))
        summary["users"] = ensure_demo_users(iter(hashes.result()))
        publisher = User.objects.filter(username="ostan").first()
        summary.update(load_publications_demo(acting_user=admin, publisher=publisher, progress=progress))
        summary.update(load_members_demo(acting_user=admin, progress=progress))
        from taavon.registry.models import Cooperative

        summary["cooperatives"] = Cooperative.objects.filter(county__province__code=LORESTAN).count()
        summary.update(load_triage_demo(acting_user=admin, progress=progress))
        summary.update(load_servicedesk_demo(acting_user=admin, progress=progress))
        summary.update(load_visits_demo(acting_user=admin, progress=progress))
        summary.update(load_festival_demo(acting_user=admin, progress=progress))
        # the visits' rule (`visit_closed`) and activity (`inactive`) count from the demo's visits on
        triage_run(acting_user=admin, province_code=LORESTAN)
    # the open data's bulk files, from what was just loaded (the page rebuilds them nightly after that)
    from taavon.public.opendata import build

    build()
    return summary
