"""The console script's own commands: demo (idempotent, refuses a real database) and serve."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from taavon.accounts.models import User
from taavon.registry.models import Cooperative, StatusChange
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db


def test_demo_loads_lorestan_through_the_services_and_is_idempotent(reference_data):
    from taavon.projects.demo import REPORT_PROJECTS
    from taavon.projects.models import Project

    call_command("demo", "--cooperatives", "60", verbosity=0)
    coops = Cooperative.objects.select_related("county")
    assert coops.count() == 60 + len(REPORT_PROJECTS)  # the report's projects bring their own cooperatives
    projects = Project.objects.count()
    assert projects >= len(REPORT_PROJECTS)
    assert len({c.county_id for c in coops}) == 12
    assert {c.status for c in coops} == {"active", "dormant", "liquidating", "dissolved", "unknown"}
    assert any("ي" in c.name or "ك" in c.name for c in coops)  # typed with Arabic letters, as people do
    assert all(c.history.filter(history_user__username="admin").exists() for c in coops)
    assert StatusChange.objects.filter(to_status="dissolved").exists()
    assert set(User.objects.values_list("role", flat=True)) == {
        "admin",
        "provincial",
        "county",
        "viewer",
        "representative",
        "juror",
    }
    call_command("demo", "--cooperatives", "60", verbosity=0)
    assert Cooperative.objects.count() == 60 + len(REPORT_PROJECTS)
    assert Project.objects.count() == projects


def test_demo_refuses_a_database_with_real_records(admin_user):
    make_cooperative(acting_user=admin_user)
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", "--cooperatives", "5", verbosity=0)
    call_command("demo", "--cooperatives", "5", "--force", verbosity=0)
    assert Cooperative.history.filter(history_type="+", history_user__username="admin").count() >= 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_serve_runs_gunicorn_and_answers(tmp_path, settings):
    """`taavon serve` starts a production server that answers with the login page and static files."""
    import os

    db = settings.DATABASES["default"]
    port = _free_port()
    env = dict(os.environ, TAAVON_DATA_DIR=str(tmp_path))
    env.pop("TAAVON_DATABASE_URL", None)
    if db["ENGINE"].endswith("sqlite3"):
        # the SQLite test database lives in memory: give the server a fresh file database of its own
        subprocess.run(
            [sys.executable, "-m", "taavon.cli", "migrate", "-v0"], env=env, check=True, timeout=600
        )
    else:
        env["TAAVON_DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "taavon.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = (
            time.monotonic() + 120
        )  # a bound against hanging, not a speed test (a busy machine is slow)
        body = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        assert body is not None, proc.stdout.read().decode() if proc.poll() is not None else "no answer"
        assert "ورود به سامانهٔ تعاون" in body
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/vendor/bootstrap/bootstrap.rtl.min.css"
        ) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(10)
