"""Crash safety: a real background worker, on a file database, is killed (`kill -9`) in the middle of an import's
commit. The database is as it was, the import says it did not finish, and running the commit again succeeds."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROWS = 10_000
PROGRESS_KEY = "taavon-import-progress-{}"

SETUP = r"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taavon.settings")
import django
django.setup()
from taavon.accounts.models import User
from taavon.imports import services, tasks
from tests.imports.test_import import xlsx

step = sys.argv[1]
admin, _ = User.objects.get_or_create(username="crash-admin", defaults={"role": "admin", "is_superuser": True})
if step == "prepare":
    header = ["نام تعاونی", "شهرستان", "نوع", "گرایش"]
    rows = [header] + [[f"تعاونی آزمون شماره {i}", "خرم آباد", "تولیدی", "صنعتی"] for i in range(int(sys.argv[2]))]
    batch, outcome = services.import_preview(acting_user=admin, kind="cooperatives", data=xlsx(rows, title=None),
                                             filename="big.xlsx")
    assert outcome.counts["create"] == int(sys.argv[2]), outcome.counts
    assert tasks.enqueue(batch, admin, "commit")
    print(batch.pk)
elif step == "release":
    import datetime
    from django.utils import timezone
    from taavon.imports.models import ImportBatch
    batch = ImportBatch.objects.get(pk=int(sys.argv[2]))
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=2))
    batch.refresh_from_db()
    assert services.import_release_stale(batch=batch)
    print(batch.status, "|", batch.error)
elif step == "commit":
    from taavon.imports.models import ImportBatch
    batch = ImportBatch.objects.get(pk=int(sys.argv[2]))
    outcome = services.import_commit(acting_user=admin, batch=batch)
    print(outcome.committed, outcome.counts["create"])
"""


def _run(env, *args, timeout=300) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=Path.cwd()
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


@pytest.mark.skipif(
    bool(os.environ.get("TAAVON_DATABASE_URL")), reason="a file database: SQLite (CI's first run)"
)
def test_a_worker_killed_mid_commit_leaves_the_database_unchanged_and_a_rerun_succeeds(tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache

    data_dir = tmp_path / "var"
    env = {
        **os.environ,
        "TAAVON_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join([str(Path.cwd()), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("TAAVON_DATABASE_URL", None)
    _run(env, "-m", "taavon.cli", "migrate", "--noinput")
    setup = tmp_path / "setup.py"
    setup.write_text(SETUP, encoding="utf-8")
    batch_id = int(_run(env, str(setup), "prepare", str(ROWS)).splitlines()[-1])
    database = data_dir / "taavon.sqlite3"

    def count() -> int:
        with sqlite3.connect(database) as db:
            return db.execute("SELECT COUNT(*) FROM registry_cooperative").fetchone()[0]

    def status() -> str:
        with sqlite3.connect(database) as db:
            return db.execute("SELECT status FROM imports_importbatch WHERE id = ?", (batch_id,)).fetchone()[
                0
            ]

    assert count() == 0 and status() == "running"  # taken for the commit, waiting for a worker
    progress = FileBasedCache(str(data_dir / "cache"), {})
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "taavon.cli",
            "db_worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    killed_at = None
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            done, total = progress.get(PROGRESS_KEY.format(batch_id), (0, 0))
            if total and done >= 2 * total // 3:  # checked; the rows are being written
                os.killpg(worker.pid, signal.SIGKILL)
                killed_at = done
                break
            if worker.poll() is not None:
                break
            time.sleep(0.01)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert killed_at is not None, "the worker never reached the writing phase"
    # the commit's transaction died with the worker: not one cooperative of it is in the database
    assert count() == 0
    # the batch says the step did not finish; released (as after an hour), it is back to previewed with the reason
    assert status() == "running"
    released = _run(env, str(setup), "release", str(batch_id))
    assert released.startswith("previewed") and "نیمه‌کاره" in released
    # and the commit, run again, succeeds
    assert _run(env, str(setup), "commit", str(batch_id)).splitlines()[-1] == f"True {ROWS}"
    assert count() == ROWS
