"""`taavon cards [--county ID] [--status S] [--sector ID] [-q TEXT] [--size wallet|a5] -o FILE`: the identity cards
of the registry's cooperatives that match, in one PDF (one card a page), with a progress bar."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from tqdm import tqdm

from taavon.accounts.models import User
from taavon.public.cards_tasks import MAX_CARDS
from taavon.registry.cards import DEFAULT_SIZE, SIZES, cards_pdf
from taavon.registry.models import Status
from taavon.registry.selectors import CooperativeFilters, cooperative_list


class Command(BaseCommand):
    help = "Print the identity cards of a filter of the registry into one PDF (A5 or wallet size)."

    def add_arguments(self, parser):
        parser.add_argument("--county", type=int, default=None, help="the county's id")
        parser.add_argument("--sector", type=int, default=None, help="the sector's id")
        parser.add_argument("--status", choices=Status.values, default="")
        parser.add_argument("-q", dest="q", default="", help="search text, as on the registry's list")
        parser.add_argument("--size", choices=sorted(SIZES), default=DEFAULT_SIZE)
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument(
            "--user", default=None, help="whose jurisdiction (default: the first administrator)"
        )
        parser.add_argument(
            "--base-url",
            default=os.environ.get("TAAVON_BASE_URL", "http://127.0.0.1:8000"),
            help="scheme and host of the public site, for the QR codes (default: $TAAVON_BASE_URL)",
        )

    def handle(self, *args, county, sector, status, q, size, output, user, base_url, **options):
        admins = User.objects.filter(Q(is_superuser=True) | Q(role="admin")).order_by("pk")
        acting = (User.objects.filter(username=user) if user else admins).first()
        if acting is None:
            raise CommandError(
                "no acting user: create an administrator (taavon createsuperuser) or pass --user"
            )
        filters = CooperativeFilters(q=q, county=county, sector=sector, status=status)
        coops = list(cooperative_list(user=acting, filters=filters)[: MAX_CARDS + 1])
        if not coops:
            raise CommandError("no cooperative matches")
        if len(coops) > MAX_CARDS:
            raise CommandError(
                f"more than {MAX_CARDS} cooperatives match: narrow the filters (a county, a status)"
            )
        bar = tqdm(total=len(coops), unit="card", desc="cards", disable=options.get("verbosity", 1) == 0)

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        pdf = cards_pdf(coops, base_url=base_url, size=size, progress=progress)
        bar.close()
        Path(output).write_bytes(pdf)
        self.stdout.write(f"{len(coops)} cards → {output} ({len(pdf) // 1024} KB)")
