"""The national-scale benchmark suite (issue 17): `taavon bench --scale 10k --db sqlite` and `make bench`.

`run()` fills a fresh database at the scale (SQLite in its own data dir, or its own PostgreSQL database) in a child
process that migrates it, calls `taavon.demo.synth.synth` and measures every figure beside its baselines in the same
run (`measure()`); then the HTTP figure under gunicorn and, when asked, the imports benchmark (bench/
import_cooperatives.py) as subprocesses. The figures go to a table on stdout and to JSON (bench/results/).

Every figure is a ratio to something measured in the same run on the same machine (two shared cores: absolute
milliseconds move with the neighbours' load, ratios much less):

  staff_search       registry.selectors.cooperative_list (first page of 25 + its count, as the list page does),
                     30 terms of every shape from the generated data; vs the same SQL alone on the cursor; vs
                     Django admin's ChangeList with search_fields (peer)
  public_api         /api/v1/cooperatives/?search= through the test Client, the same 30 terms; vs its SQL alone
  dashboard_country  /dashboard/ as an administrator (the whole country); vs its SQL alone
  dashboard_province /dashboard/ as a provincial officer; vs its SQL alone
  record_page        /cooperatives/<shenasnameh>/ through the Client; vs its SQL alone
  cards              seconds per identity card (cards_pdf) vs a bare page in the same fonts, one document
  http               the public profile under gunicorn (as `taavon serve` starts it) with N connections vs a
                     hello-world view on the same server: req/s and errors
  imports            bench/import_cooperatives.py (its own baselines), at 10k or with --with-imports

`measure()` works on the current database connection: the smoke test calls it inside pytest-django's database.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
RESULTS = REPO / "bench" / "results"
SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
# every figure the JSON holds (the smoke test checks them all)
FIGURES = (
    "staff_search",
    "public_api",
    "dashboard_country",
    "dashboard_province",
    "dashboard_as_of_country",
    "dashboard_as_of_province",
    "record_page",
    "cards",
    "http",
    "imports",
)
# the targets (at 1M cooperatives, both databases); shown beside the figures, never asserted
TARGETS = {
    "staff_search": "p95 <= 30 ms and >= 10x faster than the admin changelist",
    "public_api": "p95 <= 30 ms",
    "dashboard_country": "p95 <= 150 ms",
    "dashboard_province": "p95 <= 150 ms",
    "dashboard_as_of_country": "measured (issue 18: a year back at the demo's size < 1 s)",
    "dashboard_as_of_province": "measured (issue 18)",
    "record_page": "p95 <= 15 ms",
    "cards": "<= 0.3 s a card",
    "http": ">= 60% of hello-world req/s, 0 errors",
    "imports": ">= 20x django-import-export",
}
BENCH_PASSWORD = "taavon-bench-1404"


def parse_scale(text: str) -> int:
    text = str(text).strip().lower().replace("_", "").replace(",", "")
    if text in SCALES:
        return SCALES[text]
    if text.endswith("k") and text[:-1].isdigit():
        return int(text[:-1]) * 1000
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise ValueError(f"not a scale: {text!r} (10k, 100k, 1m or a number)")


def scale_label(n: int) -> str:
    for label, value in SCALES.items():
        if value == n:
            return label
    return str(n)


# --- timing helpers ------------------------------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def summary(samples: list[float]) -> dict:
    """Median and p95 (nearest rank) in ms of samples in seconds."""
    if not samples:
        return {"n": 0, "median_ms": None, "p95_ms": None}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"n": len(ordered), "median_ms": _ms(statistics.median(ordered)), "p95_ms": _ms(p95)}


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _capture(fn) -> list[str]:
    """The SQL statements `fn` runs, as the database was sent them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]


def _replay(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


# --- filling the database ------------------------------------------------------------------------------------------


def fill(n: int, progress: bool = True) -> dict:
    """A synthetic nation of n cooperatives (taavon.demo.synth; the demo loaders stand in if it is missing)."""
    t = time.perf_counter()
    try:
        from taavon.demo.synth import synth
    except ImportError:
        synth = None
    if synth is not None:
        synth(cooperatives=n, members_per_coop=3, projects=n // 10, seed=1, progress=progress)
        how = "taavon.demo.synth"
    else:  # stand-in: the demo's registry and projects (one province; slower, through the services)
        from taavon.demo.loader import ensure_admin
        from taavon.projects.demo import load_projects_demo
        from taavon.registry.demo import load_registry_demo

        acting = ensure_admin()
        load_registry_demo(acting_user=acting, n=n, progress=progress)
        load_projects_demo(acting_user=acting, progress=progress)
        how = "stand-in (demo loader; taavon.demo.synth missing)"
    return {"seconds": round(time.perf_counter() - t, 1), "how": how}


def bench_users():
    """An administrator (superuser, whole country) and a provincial officer of the province with most records."""
    from django.db.models import Count

    from taavon.accounts.models import Role, User
    from taavon.places.models import Province

    admin, _ = User.objects.get_or_create(
        username="bench-admin",
        defaults={"role": Role.ADMIN, "is_staff": True, "is_superuser": True},
    )
    province = Province.objects.annotate(n=Count("counties__cooperatives")).order_by("-n", "id").first()
    provincial, _ = User.objects.get_or_create(
        username="bench-provincial", defaults={"role": Role.PROVINCIAL, "province": province}
    )
    return admin, provincial


def search_terms(limit: int = 30) -> list[tuple[str, str]]:
    """(shape, term): 30 terms of every shape, taken from the generated data."""
    from collections import Counter

    from taavon.places.models import County
    from taavon.registry.models import Cooperative

    sample = list(
        Cooperative.objects.order_by("pk").values("name", "shenasnameh", "legal_id", "registration_number")[
            :2000
        ]
    )
    stop = {"تعاونی", "شرکت", "تولیدی", "توزیعی", "خدماتی"}
    words = Counter(w for row in sample for w in row["name"].split() if w not in stop and len(w) > 2)
    common = [w for w, _ in words.most_common(4)]
    rare = [w for w, c in sorted(words.items(), key=lambda x: (x[1], x[0])) if c == 1][:4] or common[-2:]
    picks = sample[:: max(1, len(sample) // 7)] or sample
    exact = [row["name"] for row in picks[:4]]
    arabic = [
        name.replace("ی", "ي").replace("ک", "ك")
        for name in [row["name"] for row in picks] + common
        if "ی" in name or "ک" in name
    ][:3]
    persian_digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    shen = [row["shenasnameh"] for row in picks[:3]]
    if shen:
        shen[-1] = shen[-1].translate(persian_digits)
    legal = [row["legal_id"] for row in picks if row["legal_id"]][:3]
    regs = [row["registration_number"] for row in picks if row["registration_number"]][:2]
    two = [w[:2] for w in common[:3]]
    county = list(County.objects.order_by("?").values_list("name_fa", flat=True)[:2])
    terms = (
        [("common word", w) for w in common]
        + [("rare name", w) for w in rare]
        + [("exact name", w) for w in exact]
        + [("arabic letters", w) for w in arabic]
        + [("shenasnameh", w) for w in shen]
        + [("legal id", w) for w in legal]
        + [("registration number", w) for w in regs]
        + [("digits", d) for d in ("123", "1404", "77")]
        + [("two letters", w) for w in two]
        + [("county", w) for w in county]
        + [("no match", "زززززز")]
    )
    seen, out = set(), []
    for shape, term in terms:
        if term and term not in seen:
            seen.add(term)
            out.append((shape, term))
    return out[:limit]


# --- the figures ---------------------------------------------------------------------------------------------------


def _staff_admin():
    from django.contrib import admin as django_admin

    from taavon.registry.models import Cooperative

    class CooperativeBenchAdmin(django_admin.ModelAdmin):
        """The peer: what a Django admin with search_fields over the same fields does (not registered)."""

        search_fields = ("name", "shenasnameh", "legal_id", "registration_number")
        list_display = ("shenasnameh", "name", "county", "sector", "status")
        list_select_related = ("county__province", "sector")
        list_per_page = 25

    return CooperativeBenchAdmin(Cooperative, django_admin.site)


def measure_staff_search(user, terms, reps: int) -> dict:
    from django.test import RequestFactory

    from taavon.core.memo import request_memo
    from taavon.core.paging import CappedPaginator
    from taavon.registry.selectors import CooperativeFilters, cooperative_list, cooperative_list_counter

    model_admin = _staff_admin()
    factory = RequestFactory()

    def ours(term):  # as the list page: the first page of 25 and the count, capped at 10,001, in one request
        with request_memo():
            filters = CooperativeFilters(q=term)
            qs = cooperative_list(user=user, filters=filters)
            paginator = CappedPaginator(qs, 25, counter=cooperative_list_counter(user=user, filters=filters))
            list(paginator.page(1).object_list)
            return paginator.count

    def peer(term):
        request = factory.get("/admin/registry/cooperative/", {"q": term})
        request.user = user
        changelist = model_admin.get_changelist_instance(request)
        list(changelist.result_list)
        return changelist.result_count

    taavon, raw, admin, per_term = [], [], [], []
    for shape, term in terms:
        found = ours(term)  # warm
        sql = _capture(lambda t=term: ours(t))
        t_ours = [_timed(lambda t=term: ours(t)) for _ in range(reps)]
        t_raw = [_timed(lambda s=sql: _replay(s)) for _ in range(reps)]
        peer(term)
        t_admin = [_timed(lambda t=term: peer(t)) for _ in range(reps)]
        taavon += t_ours
        raw += t_raw
        admin += t_admin
        per_term.append(
            {
                "shape": shape,
                "term": term,
                "found": found,
                "taavon_ms": _ms(statistics.median(t_ours)),
                "sql_ms": _ms(statistics.median(t_raw)),
                "admin_ms": _ms(statistics.median(t_admin)),
                "queries": len(sql),
            }
        )
    out = {
        "taavon": summary(taavon),
        "sql_alone": summary(raw),
        "peer_admin_changelist": summary(admin),
        "terms": per_term,
    }
    out["ratio_admin_over_taavon_p95"] = _ratio(
        out["peer_admin_changelist"]["p95_ms"], out["taavon"]["p95_ms"]
    )
    return out


def _ratio(a, b):
    return round(a / b, 2) if a and b else None


def measure_public_api(terms, reps: int) -> dict:
    from django.test import Client

    taavon, raw, errors = [], [], 0
    counter = [0]

    def get(term):
        counter[0] += 1
        i = counter[0]
        # a different address per request: the public API's throttle is per address
        client = Client(REMOTE_ADDR=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")
        return client.get("/api/v1/cooperatives/", {"search": term})

    for _shape, term in terms:
        response = get(term)
        errors += response.status_code != 200
        sql = _capture(lambda t=term: get(t))
        taavon += [_timed(lambda t=term: get(t)) for _ in range(reps)]
        raw += [_timed(lambda s=sql: _replay(s)) for _ in range(reps)]
    return {"taavon": summary(taavon), "sql_alone": summary(raw), "errors": errors}


def _page(user, path: str, reps: int, expect_status: int = 200, expect_text: bytes = b"") -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(path)
    status = response.status_code
    shown = expect_text in response.content
    sql = _capture(lambda: client.get(path))
    times = [_timed(lambda: client.get(path)) for _ in range(reps)]
    raw = [_timed(lambda: _replay(sql)) for _ in range(reps)]
    return {
        "path": path,
        "status": status,
        "ok": status == expect_status and shown,
        "queries": len(sql),
        "taavon": summary(times),
        "sql_alone": summary(raw),
    }


def _as_of_page(user, reps: int) -> dict:
    """The dashboard as of a past moment (issue 18): from the history rows, not the summaries. The moment is half-way
    through the fill's history (the synthetic records are all recorded during the fill), so about half the records
    were known then; the baseline beside it is the same SQL alone."""
    from django.db.models import Max, Min

    from taavon.registry.models import Cooperative
    from taavon.reports.params import as_of_query

    span = Cooperative.history.model.objects.aggregate(first=Min("history_date"), last=Max("history_date"))
    moment = span["first"] + (span["last"] - span["first"]) / 2
    path = "/dashboard/?as_of=" + urllib.parse.quote(as_of_query(moment))
    # the page must say "figures as of": an as-of it could not use shows today's figures (and a message), which
    # would be the summaries' time reported as the history's
    return {**_page(user, path, reps, expect_text=b'data-testid="as-of"'), "as_of": str(moment)}


def measure_record_pages(user, reps: int, pages: int = 10) -> dict:
    from taavon.registry.models import Cooperative

    total = Cooperative.objects.count()
    step = max(1, total // pages)
    numbers = list(Cooperative.objects.order_by("pk").values_list("shenasnameh", flat=True)[::step][:pages])
    times, raw, queries, errors = [], [], [], 0
    for number in numbers:
        one = _page(user, f"/cooperatives/{number}/", max(2, reps // 2))
        errors += not one["ok"]
        queries.append(one["queries"])
        times.append(one["taavon"]["median_ms"] / 1000)
        raw.append(one["sql_alone"]["median_ms"] / 1000)
    return {
        "records": len(numbers),
        "queries": max(queries) if queries else 0,
        "errors": errors,
        "taavon": summary(times),
        "sql_alone": summary(raw),
    }


BARE = """<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><style>
@font-face {{ font-family: Vazirmatn; src: url("{regular}"); font-weight: 400; }}
@font-face {{ font-family: Vazirmatn; src: url("{bold}"); font-weight: 700; }}
@page {{ size: 148mm 210mm; margin: 10mm; }} html {{ font-family: Vazirmatn; }}
section {{ page-break-after: always; }}</style></head><body>{pages}</body></html>"""
PAGE = "<section><h1>شناسنامهٔ تعاونی</h1><p>تعاونی تولیدی نمونهٔ {i} — خرم‌آباد، لرستان</p></section>"


def measure_cards(n: int) -> dict:
    """bench/cards.py's approach: n cards in one document vs n bare pages in the same fonts."""
    from django.utils import translation

    from taavon.registry.cards import FONTS, cards_pdf, html_to_pdf
    from taavon.registry.models import Cooperative

    coops = list(Cooperative.objects.select_related("county__province").order_by("pk")[:n])
    n = len(coops)
    fonts = {
        "regular": (FONTS / "Vazirmatn-Regular.ttf").as_uri(),
        "bold": (FONTS / "Vazirmatn-Bold.ttf").as_uri(),
    }
    with translation.override("fa"):
        html_to_pdf(BARE.format(pages=PAGE.format(i=0), **fonts))  # warm up
        bare = _timed(
            lambda: html_to_pdf(BARE.format(pages="".join(PAGE.format(i=i) for i in range(n)), **fonts))
        )
        cards = _timed(lambda: cards_pdf(coops, base_url="https://taavon.example", size="a5"))
    per_card, per_page = cards / max(n, 1), bare / max(n, 1)
    return {
        "cards": n,
        "seconds_per_card": round(per_card, 4),
        "bare_seconds_per_page": round(per_page, 4),
        "ratio": _ratio(per_card, per_page),
    }


def measure(*, reps: int = 5, cards: int = 50, terms: int = 30) -> dict:
    """Every in-process figure on the current database (filled beforehand)."""
    from taavon.registry.models import Cooperative

    admin, provincial = bench_users()
    chosen = search_terms(terms)
    steps = {
        "staff_search": lambda: measure_staff_search(admin, chosen, reps),
        "public_api": lambda: measure_public_api(chosen, max(1, reps // 2)),
        "dashboard_country": lambda: _page(admin, "/dashboard/", reps),
        "dashboard_province": lambda: {
            **_page(provincial, "/dashboard/", reps),
            "province": str(provincial.province),
        },
        "dashboard_as_of_country": lambda: _as_of_page(admin, reps),
        "dashboard_as_of_province": lambda: {
            **_as_of_page(provincial, reps),
            "province": str(provincial.province),
        },
        "record_page": lambda: measure_record_pages(admin, reps),
        "cards": lambda: measure_cards(cards),
    }
    figures = {}
    for name, step in steps.items():
        try:
            figures[name] = step()
        except Exception as error:  # one broken figure does not lose the others (a long run's minutes)
            figures[name] = {"error": f"{type(error).__name__}: {error}"[:2000]}
    figures["_counts"] = {"cooperatives": Cooperative.objects.count()}
    return figures


# --- HTTP under gunicorn -------------------------------------------------------------------------------------------


def hello(request):
    from django.http import HttpResponse

    return HttpResponse("hello")


def __getattr__(name):
    # this module is also the bench server's URLconf: taavon's URLs and one hello-world view, same middleware
    if name == "urlpatterns":
        from django.urls import include, path

        return [path("bench/hello/", hello), path("", include("taavon.urls"))]
    raise AttributeError(name)


_application = None


def application(environ, start_response):
    """Taavon's WSGI application with this module as its URLconf (the hello-world view beside every page)."""
    global _application
    if _application is None:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taavon.settings")
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application

        _application = get_wsgi_application()
        settings.ROOT_URLCONF = __name__
    return _application(environ, start_response)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _load(port: int, path: str, connections: int, seconds: float, expect: bytes) -> dict:
    end = time.monotonic() + seconds
    lock = threading.Lock()
    done = {"ok": 0, "errors": 0, "latency": []}

    def client():
        ok = errors = 0
        latency = []
        while time.monotonic() < end:
            t = time.perf_counter()
            try:
                status, body = _get(port, path)
                good = status == 200 and expect in body
            except OSError:
                good = False
            latency.append(time.perf_counter() - t)
            ok += good
            errors += not good
        with lock:
            done["ok"] += ok
            done["errors"] += errors
            done["latency"] += latency

    start = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.monotonic() - start
    return {
        "requests_per_s": round(done["ok"] / elapsed, 1),
        "errors": done["errors"],
        "latency": summary(done["latency"]),
    }


def measure_http(env: dict, shenasnameh: str, connections: int, seconds: float, workers: int = 2) -> dict:
    """The public profile vs a hello-world view, one gunicorn started as `taavon serve` starts it (2 workers)."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "taavon.demo.bench:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError("the bench server stopped: " + proc.stderr.read()[-2000:])
            try:
                if _get(port, "/bench/hello/", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the bench server did not answer in 90 s")
            time.sleep(0.3)
        profile = f"/register/{urllib.parse.quote(shenasnameh)}/"
        status, body = _get(port, profile)
        expect = shenasnameh.encode()[:4] if status == 200 else b""
        _load(port, "/bench/hello/", connections, min(2.0, seconds), b"hello")  # warm up
        hello_figure = _load(port, "/bench/hello/", connections, seconds, b"hello")
        profile_figure = _load(port, profile, connections, seconds, expect)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)  # the session started above, by its id
                proc.wait()
    return {
        "connections": connections,
        "seconds": seconds,
        "profile_status": status,
        "profile": profile_figure,
        "hello_world": hello_figure,
        "profile_share_of_hello": _ratio(profile_figure["requests_per_s"], hello_figure["requests_per_s"]),
    }


# --- the whole run -------------------------------------------------------------------------------------------------


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True)
        return out.stdout.strip() or "?"
    except OSError:
        return "?"


def _git_dirty() -> bool | None:
    """Whether the working tree had uncommitted changes to tracked files (the figures are of that tree)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
        )
        return bool(out.stdout.strip()) if out.returncode == 0 else None
    except OSError:
        return None


def machine() -> dict:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024} MB"
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def child(args: dict) -> None:
    """(In the child process, with the fresh database's environment.) Migrate, fill, measure, write JSON."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - t
    from taavon.registry.models import Cooperative

    if args.get("reuse") and Cooperative.objects.count() >= args["scale"]:
        filled = {"seconds": None, "how": "reused an already filled database"}
    else:
        filled = fill(args["scale"], progress=args.get("progress", True))
    rss_after_fill = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        disk = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT pg_database_size(current_database())")
            disk = cursor.fetchone()[0]
    figures = measure(reps=args["reps"], cards=args["cards"])

    figures["_fill"] = {
        **filled,
        "migrate_seconds": round(migrate_s, 1),
        "database_bytes": disk,
        "peak_rss_mb_after_fill": rss_after_fill,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "profile_shenasnameh": Cooperative.objects.order_by("pk")
        .values_list("shenasnameh", flat=True)
        .first(),
    }
    Path(args["out"]).write_text(json.dumps(figures, ensure_ascii=False, indent=1))


def _postgres_env(env: dict, scale: int, reuse: bool = False) -> tuple[dict, str]:
    """The benchmark's own PostgreSQL database, made afresh — or, with `reuse`, the one a run with `--keep` left
    (made if there is none)."""
    import psycopg

    base = os.environ.get("TAAVON_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    name = f"taavon_bench_{scale_label(scale).lower()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        there = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (reuse and there):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    env["TAAVON_DATABASE_URL"] = f"{base}/{name}"
    return env, name


def run(
    *,
    scale: int,
    db: str = "sqlite",
    out: Path | None = None,
    reps: int = 5,
    cards: int = 50,
    connections: int = 64,
    http_seconds: float = 10,
    with_imports: bool | None = None,
    data_dir: Path | None = None,
    keep: bool = False,
    reuse: bool = False,
    progress: bool = True,
    write=print,
) -> dict:
    """Fill a fresh database at `scale`, measure every figure, write the table and the JSON; returns the JSON."""
    started = datetime.datetime.now()
    own_dir = data_dir is None
    data_dir = Path(data_dir or tempfile.mkdtemp(prefix=f"taavon-bench-{scale_label(scale)}-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TAAVON_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="taavon.settings")
    env["TAAVON_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"  # the test Client's host, in the child
    env["TAAVON_API_RATE"] = "100000000/minute"  # the figures measure the work, not the throttle
    for name in ("TAAVON_DATABASE_URL", "TAAVON_DEBUG", "TAAVON_HTTPS", "TAAVON_OTP_REQUIRED_ROLES"):
        env.pop(name, None)
    database = "sqlite"
    if db == "postgres":
        env, database = _postgres_env(env, scale, reuse)
    write(f"Filling {scale:,} cooperatives on {db} ({data_dir if db == 'sqlite' else database}) ...")
    figures_path = data_dir / "bench-figures.json"
    args = {
        "scale": scale,
        "reps": reps,
        "cards": cards,
        "out": str(figures_path),
        "progress": progress,
        "reuse": reuse,
    }
    t = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import json,sys; from taavon.demo.bench import child; child(json.loads(sys.argv[1]))",
            json.dumps(args),
        ],
        env=env,
        check=True,
    )
    figures = json.loads(figures_path.read_text())
    filled = figures.pop("_fill")
    counts = figures.pop("_counts")
    write(f"... filled and measured in {time.perf_counter() - t:.0f} s")
    if connections > 0:
        figures["http"] = measure_http(env, filled["profile_shenasnameh"], connections, http_seconds)
    else:
        figures["http"] = {"skipped": True}
    if with_imports is None:
        with_imports = scale == SCALES["10k"]
    script = REPO / "bench" / "import_cooperatives.py"
    if with_imports and script.exists():
        rows = min(scale, 100_000)
        done = subprocess.run(
            [sys.executable, str(script), "--rows", str(rows), "--peer-rows", str(max(500, rows // 10))],
            capture_output=True,
            text=True,
            env=dict(os.environ),
        )
        figures["imports"] = {
            "rows": rows,
            "returncode": done.returncode,
            "output": done.stdout[-4000:].splitlines(),
        }
    else:
        figures["imports"] = {"skipped": True}
    result = {
        "scale": scale,
        "database": db,
        "date": started.isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "git_dirty": _git_dirty(),
        "machine": machine(),
        "cooperatives": counts["cooperatives"],
        "fill": filled,
        "targets": TARGETS,
        "figures": figures,
    }
    if out is None:
        out = RESULTS / f"{started:%Y-%m-%d}-{scale_label(scale)}-{db}.json"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    write(table(result))
    write(f"JSON: {out}")
    if own_dir and not keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    if db == "postgres" and not keep:
        import psycopg

        base = os.environ.get("TAAVON_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
    return result


def _cell(fig: dict | None) -> str:
    if not fig or fig.get("median_ms") is None:
        return "—"
    return f"{fig['median_ms']:,.1f} / {fig['p95_ms']:,.1f}"


def _imports_ratio(figure: dict) -> str:
    """The imports benchmark's own ratio line (Taavon import / django-import-export)."""
    for line in figure.get("output") or []:
        if "django-import-export =" in line:
            return line.split(":", 1)[-1].strip()
    return ""


def table(result: dict) -> str:
    """A plain-text table (median / p95 in ms) of the figures beside their baselines."""
    f = result["figures"]
    rows = [("work", "taavon (median / p95 ms)", "the same SQL alone", "peer / baseline", "target")]
    s = f.get("staff_search", {})
    rows.append(
        (
            "staff search, 30 terms",
            _cell(s.get("taavon")),
            _cell(s.get("sql_alone")),
            f"admin changelist {_cell(s.get('peer_admin_changelist'))}",
            TARGETS["staff_search"],
        )
    )
    a = f.get("public_api", {})
    rows.append(
        (
            "public API search",
            _cell(a.get("taavon")),
            _cell(a.get("sql_alone")),
            f"errors {a.get('errors')}",
            TARGETS["public_api"],
        )
    )
    for key, label in (
        ("dashboard_country", "dashboard, whole country"),
        ("dashboard_province", "dashboard, one province"),
        ("dashboard_as_of_country", "dashboard as of a past moment, whole country"),
        ("dashboard_as_of_province", "dashboard as of a past moment, one province"),
    ):
        d = f.get(key, {})
        rows.append(
            (
                f"{label} ({d.get('queries')} queries)",
                _cell(d.get("taavon")),
                _cell(d.get("sql_alone")),
                "" if d.get("ok") else f"STATUS {d.get('status')}",
                TARGETS[key],
            )
        )
    r = f.get("record_page", {})
    rows.append(
        (
            f"record page ({r.get('queries')} queries)",
            _cell(r.get("taavon")),
            _cell(r.get("sql_alone")),
            f"errors {r.get('errors')}",
            TARGETS["record_page"],
        )
    )
    c = f.get("cards", {})
    rows.append(
        (
            "identity card",
            f"{c.get('seconds_per_card')} s a card",
            "",
            f"bare page {c.get('bare_seconds_per_page')} s",
            TARGETS["cards"],
        )
    )
    h = f.get("http", {})
    if h.get("skipped"):
        rows.append(("public profile, HTTP", "skipped", "", "", TARGETS["http"]))
    else:
        rows.append(
            (
                f"public profile, HTTP, {h.get('connections')} conn.",
                f"{h['profile']['requests_per_s']} req/s, {h['profile']['errors']} errors",
                "",
                f"hello world {h['hello_world']['requests_per_s']} req/s ({h.get('profile_share_of_hello')})",
                TARGETS["http"],
            )
        )
    i = f.get("imports", {})
    rows.append(
        (
            f"imports, {i.get('rows', 0):,} rows (bench/import_cooperatives.py)",
            "skipped" if i.get("skipped") else f"exit {i.get('returncode')}",
            "",
            _imports_ratio(i),
            TARGETS["imports"],
        )
    )
    widths = [max(len(str(row[k])) for row in rows) for k in range(len(rows[0]))]
    head = (
        f"{result['cooperatives']:,} cooperatives, {result['database']}, commit {result['git_commit'][:10]}"
    )
    lines = [head] + [" | ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(2, "-+-".join("-" * w for w in widths))
    lines += [
        f"ERROR in {name}: {fig['error']}"
        for name, fig in f.items()
        if isinstance(fig, dict) and "error" in fig
    ]
    return "\n".join(lines)
