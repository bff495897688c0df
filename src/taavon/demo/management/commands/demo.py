"""`taavon demo`: load the Lorestan demo data set through the same services as users' edits (idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from taavon.core.formatting import digits
from taavon.demo.loader import DEMO_PASSWORD, is_real_database, load_demo


class Command(BaseCommand):
    help = "Load the demo data set (Lorestan): users for every role and 300+ cooperatives. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="load even into a database with real records"
        )
        parser.add_argument(
            "--cooperatives", type=int, default=320, help="how many cooperatives (default 320)"
        )

    def handle(self, *args, force, cooperatives, **options):
        if is_real_database() and not force:
            raise CommandError(
                _(
                    "This database holds records that the demo did not make (a production database?). "
                    "Refusing to add demo data; pass --force to do it anyway."
                )
            )
        summary = load_demo(n_cooperatives=cooperatives, progress=options.get("verbosity", 1) > 0)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo ready: %(cooperatives)s cooperatives (%(created)s new), %(projects)s projects "
                    "(%(projects_created)s new), %(people)s people in the member lists of %(members_cooperatives)s "
                    "cooperatives (new this run)."
                )
                % {key: digits(value) for key, value in summary.items() if key != "users"}
            )
        )
        self.stdout.write(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for username, role, where in summary["users"]:
            self.stdout.write(f"  {username:<12} {role:<28} {where}")
