"""`taavon triage run [--province CODE]`: evaluate the early-warning rules (raise and clear flags; never open a case).
Run nightly by the system's scheduler (docs/deploy.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from taavon.places.models import Province
from taavon.triage.cases import commitments_refresh_all
from taavon.triage.evaluation import triage_run
from taavon.triage.rules import all_rules

SYSTEM_USERNAME = "taavon-scheduler"


def system_user():
    """The user the nightly run acts as (its flags' history names it): an inactive account no one signs in with."""
    from taavon.accounts.models import Role, User

    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"role": Role.ADMIN, "is_active": False, "first_name": "Taavon", "last_name": "scheduler"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = "Early warning: evaluate the rules over the cooperatives, raising and clearing flags (never opens a case)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="evaluate the rules now")
        run.add_argument("--province", help="only this province (ISO code, e.g. IR-15)")

    def handle(self, *args, action, province=None, **options):
        if province and not Province.objects.filter(code=province).exists():
            raise CommandError(_("There is no province with the code %(code)s.") % {"code": province})
        rules = all_rules()
        quiet = options.get("verbosity", 1) == 0
        with tqdm(total=len(rules), unit="rule", desc="triage", disable=quiet) as bar:

            def step(code):
                bar.set_postfix_str(code)
                bar.update(1)

            user = system_user()
            summary = triage_run(acting_user=user, province_code=province, progress=step)
            # revival plans: a commitment whose record has arrived (an assembly held, a return filed) is closed
            fulfilled = commitments_refresh_all(acting_user=user)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(evaluated)s cooperatives evaluated: %(raised)s flags raised, %(cleared)s cleared, "
                    "%(kept)s unchanged or updated."
                )
                % {
                    "evaluated": summary.evaluated,
                    "raised": summary.raised,
                    "cleared": summary.cleared,
                    "kept": summary.kept,
                }
            )
        )
        if fulfilled:
            self.stdout.write(_("%(count)s commitments of revival plans fulfilled.") % {"count": fulfilled})
        for code, counts in sorted(summary.by_rule.items()):
            self.stdout.write(f"  {code:<20} +{counts['raised']:<7} -{counts['cleared']}")
