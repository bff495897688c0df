"""`taavon synth`: fill the database with a synthetic nation (see taavon.demo.synth), in bulk, with a progress bar."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from taavon.demo.loader import ensure_admin, is_real_database
from taavon.demo.synth import synth


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic cooperatives over every province and county, with members, "
        "assemblies, returns, status histories and projects (valid, reproducible, written in bulk)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cooperatives", type=int, required=True, help="how many cooperatives")
        parser.add_argument("--members-per-coop", type=int, default=3, help="members of each (default 3)")
        parser.add_argument("--projects", type=int, default=0, help="how many projects (default 0)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--batch", type=int, default=20_000, help="cooperatives per transaction (default 20000)"
        )
        parser.add_argument(
            "--force", action="store_true", help="load even into a database with real records"
        )

    def handle(self, *args, cooperatives, members_per_coop, projects, seed, batch, force, **options):
        if is_real_database() and not force:
            raise CommandError(
                _(
                    "This database holds records that the demo did not make (a production database?). "
                    "Refusing to add demo data; pass --force to do it anyway."
                )
            )
        if cooperatives < 0 or members_per_coop < 0 or projects < 0 or batch < 1:
            raise CommandError(_("The numbers must not be negative."))
        result = synth(
            cooperatives=cooperatives,
            members_per_coop=members_per_coop,
            projects=projects,
            seed=seed,
            batch=batch,
            progress=options.get("verbosity", 1) > 0,
            acting_user=ensure_admin(),
        )
        self.stdout.write(json.dumps(result, ensure_ascii=False))
