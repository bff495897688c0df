"""`taavon serve`: the production server (gunicorn, 2 workers; whitenoise serves the static files) and the
background worker for imports (`db_worker`), stopped together."""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Serve Taavon with gunicorn (2 workers) on 127.0.0.1:8000 by default, with the background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="do not start the background worker")

    def handle(self, *args, host, port, workers, no_worker, **options):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write(_("Migrations are pending: run `taavon migrate` first."))
            sys.exit(2)
        connection.close()
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="taavon.settings")
        children = []
        if not no_worker:
            children.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "taavon.cli",
                        "db_worker",
                        "--interval",
                        "0.5",
                        "--no-startup-delay",
                    ],
                    env=env,
                )
            )
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "taavon.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                "--timeout",
                "120",
            ],
            env=env,
        )
        children.append(web)
        self.stdout.write(_("Taavon on %(address)s (Ctrl+C to stop)") % {"address": f"http://{host}:{port}/"})

        def stop(signum, frame):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        code = web.wait()
        stop(None, None)
        for child in children:
            child.wait(timeout=20)
        sys.exit(code)
