"""`taavon serve`: the production server (gunicorn, 2 workers; whitenoise serves the static files)."""

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Taavon with gunicorn (2 workers) on 127.0.0.1:8000 by default."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, host, port, workers, **options):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write("Migrations are pending: run `taavon migrate` first.")
            sys.exit(2)
        self.stdout.write(f"Taavon on http://{host}:{port}/ (Ctrl+C to stop)")
        argv = [
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
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taavon.settings")
        os.execv(sys.executable, argv)
