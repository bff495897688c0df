"""Figures as Taavon knew them at a moment (issue 18's first selector): the registry's status counts taken after
each of a random sequence of the services' changes equal the counts computed afterwards as of each step's time."""

import itertools

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taavon.places.models import County
from taavon.registry.bulk import cooperatives_register_many
from taavon.registry.models import Activity, CooperativeType, Status
from taavon.registry.selectors import status_counts, status_counts_as_of
from taavon.registry.services import TRANSITIONS, cooperative_change_status, cooperative_update
from tests.factories import UserFactory, ensure_reference_data, make_cooperative, valid_legal_id

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


class _Rollback(Exception):
    pass


def _row(county, activity, status):
    n = next(_serial)
    return {
        "name": f"تعاونی گذشته {n}",
        "county": county,
        "sector": activity.sector,
        "activity": activity,
        "type": CooperativeType.objects.first(),
        "status": status,
        "legal_id": valid_legal_id(),
        "registration_number": str(880000 + n),
    }


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_counts_as_of_each_step_equal_what_was_counted_then(data, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                ensure_reference_data()
                admin = UserFactory(role="admin", username="as-of-admin")
                counties = list(County.objects.filter(province__code="IR-15").order_by("id")[:3])
                officer = UserFactory(role="county", username="as-of-county", county=counties[0])
                activity = Activity.objects.select_related("sector").first()
                coops = [make_cooperative(acting_user=admin, county=counties[0], activity=activity)]
                taken = []
                for _ in range(data.draw(st.integers(1, 7), label="steps")):
                    op = data.draw(st.sampled_from(["register", "status", "move", "bulk"]), label="operation")
                    if op == "register":
                        coops.append(
                            make_cooperative(
                                acting_user=admin,
                                county=data.draw(st.sampled_from(counties)),
                                activity=activity,
                                status=data.draw(st.sampled_from(["active", "unknown", "dormant"])),
                            )
                        )
                    elif op == "status":
                        coop = data.draw(st.sampled_from(coops))
                        coop.refresh_from_db()
                        allowed = sorted(TRANSITIONS[coop.status])
                        if allowed:
                            cooperative_change_status(
                                acting_user=admin,
                                cooperative=coop,
                                to_status=data.draw(st.sampled_from(allowed)),
                                reason="آزمون ارقام گذشته",
                            )
                    elif op == "move":  # to another county: the officer's counts change with it
                        coop = data.draw(st.sampled_from(coops))
                        coop.refresh_from_db()
                        cooperative_update(
                            acting_user=admin, cooperative=coop, county=data.draw(st.sampled_from(counties))
                        )
                    else:
                        rows = [
                            _row(data.draw(st.sampled_from(counties)), activity, Status.ACTIVE)
                            for _ in range(data.draw(st.integers(1, 3)))
                        ]
                        coops += cooperatives_register_many(acting_user=admin, rows=rows)
                    moment = timezone.now()
                    taken.append((moment, status_counts(user=admin), status_counts(user=officer)))
                for moment, everyone, county in taken:
                    assert status_counts_as_of(user=admin, as_of=moment) == everyone
                    assert status_counts_as_of(user=officer, as_of=moment) == county
                raise _Rollback
        except _Rollback:
            pass


def test_before_the_records_begin_nothing_is_counted(admin_user, khorramabad):
    before = timezone.now()
    make_cooperative(acting_user=admin_user, county=khorramabad)
    assert sum(status_counts_as_of(user=admin_user, as_of=before).values()) == 0
    assert status_counts_as_of(user=admin_user, as_of=timezone.now()) == status_counts(user=admin_user)


def test_outside_the_jurisdiction_nothing_is_counted(admin_user, khorramabad, borujerd):
    from tests.factories import UserFactory as Users

    officer = Users(role="county", username="as-of-borujerd", county=borujerd)
    make_cooperative(acting_user=admin_user, county=khorramabad)
    assert sum(status_counts_as_of(user=officer, as_of=timezone.now()).values()) == 0


def test_a_representative_as_of_sees_their_own_cooperative_only(admin_user, khorramabad):
    """On a history row `pk` is the row's id; the representative's scope is read by the record's id."""
    from taavon.accounts.jurisdiction import as_of_for_user
    from taavon.registry.models import Cooperative
    from tests.factories import UserFactory as Users

    own = make_cooperative(acting_user=admin_user, county=khorramabad)
    other = make_cooperative(acting_user=admin_user, county=khorramabad)
    cooperative_update(acting_user=admin_user, cooperative=other, notes="ویرایش برای جابه‌جایی شناسه‌ها")
    for n in range(2):  # the record's newest history row must not carry the record's id as its own
        if Cooperative.history.filter(id=own.pk).order_by("-history_id").first().history_id != own.pk:
            break
        cooperative_update(acting_user=admin_user, cooperative=own, notes=f"ویرایش {n}")
    rep = Users(role="representative", username="as-of-rep", cooperative=own)
    rows = as_of_for_user(Cooperative, rep, timezone.now())
    assert list(rows.values_list("id", flat=True)) == [own.pk]
