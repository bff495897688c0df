"""An import's status changes only through imports.services.batch_move: allowed steps, one of two clicks, an event
row per change naming who and why."""

import datetime

import pytest
from django.utils import timezone

from taavon.imports import services, tasks
from taavon.imports.models import BatchEvent, ImportBatch
from taavon.imports.services import batch_move, import_commit, import_preview, import_put_back, import_undo
from tests.imports.test_import import GOOD, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(admin_user, reference_data):
    batch, _ = import_preview(
        acting_user=admin_user, kind="cooperatives", data=xlsx(GOOD), filename="c.xlsx", unit="toman"
    )
    return batch


def _steps(batch) -> list[tuple[str, str]]:
    return list(BatchEvent.objects.filter(batch=batch).values_list("from_status", "to_status"))


def test_every_step_leaves_an_event_with_its_user(batch, admin_user):
    import_commit(acting_user=admin_user, batch=batch)
    import_undo(acting_user=admin_user, batch=batch)
    assert _steps(batch) == [
        ("queued", "queued"),
        ("queued", "previewed"),
        ("previewed", "committed"),
        ("committed", "undone"),
    ]
    events = BatchEvent.objects.filter(batch=batch)
    assert {e.user_id for e in events} == {admin_user.pk}
    assert "جدید" in events[2].note


def test_a_step_the_table_does_not_allow_is_not_taken(batch, admin_user):
    assert not batch_move(batch_id=batch.pk, to="undone", acting_user=admin_user)  # previewed → undone: no
    assert not batch_move(batch_id=batch.pk, to="queued", acting_user=admin_user)
    batch.refresh_from_db()
    assert batch.status == "previewed" and len(_steps(batch)) == 2


def test_of_two_clicks_one_takes_the_batch(batch, admin_user, settings):
    assert services.batch_start(batch=batch, acting_user=admin_user, step="commit")
    assert not services.batch_start(batch=batch, acting_user=admin_user, step="commit")
    assert not services.batch_start(batch=batch, acting_user=admin_user, step="preview")
    assert _steps(batch)[-1] == ("previewed", "running")


def test_a_step_whose_worker_died_is_put_back_with_an_event(batch, admin_user):
    assert services.batch_start(batch=batch, acting_user=admin_user, step="commit")
    # not yet stale: nothing happens
    assert not import_put_back(
        batch_id=batch.pk, error="x", older_than=timezone.now() - datetime.timedelta(hours=1)
    )
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=2))
    batch.refresh_from_db()
    assert services.import_release_stale(batch=batch)
    assert batch.status == "previewed" and "نیمه‌کاره" in batch.error
    last = BatchEvent.objects.filter(batch=batch).last()
    assert (last.from_status, last.to_status, last.user) == ("running", "previewed", None)
    assert "نیمه‌کاره" in last.note


def test_the_page_shows_the_steps(client, batch, admin_user):
    tasks.enqueue(batch, admin_user, "commit")  # the immediate backend runs it at once in tests
    client.force_login(admin_user)
    body = client.get(f"/imports/{batch.pk}/").content.decode()
    assert 'data-testid="batch-events"' in body and "واردشده" in body and "در حال پردازش" in body
    title = body[body.index("<title>") : body.index("</title>")]
    assert "batch-events" not in title and "<div" not in title
