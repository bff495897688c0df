"""Load test: staff pages under concurrent clients, against the server as a user starts it.

`taavon serve` (gunicorn, 2 workers, and the background worker) on a free port of 127.0.0.1, on a database prepared
in a temporary TAAVON_DATA_DIR: `taavon migrate`, `taavon demo`, and one cooperative given --history changes through
registry.services.cooperative_update (another demo cooperative with no change since it was registered, and with
records like the first one's, is the record page "with none"). Each client signs in once as a demo user (Argon2),
keeps its cookies, and requests one URL after the other for --duration seconds per URL:

  list     the staff list with a search (/cooperatives/?q=...)
  history  the record page of the cooperative with --history changes
  none     the record page of the cooperative with none
  login    the login page (no session)
  profile  the public profile of the cooperative with none, as a new anonymous visitor each time (no cookies: the
           page cache's hit path with a fresh CSRF cookie; public.page_cache)

and prints, per URL: requests/s, the latency (p50, p99) seen by the clients, errors (a status other than 200, a
page without its content, a timeout), and the server's time per request from gunicorn's access log (%(D)s: wall
time in the worker) and the workers' CPU time per request (/proc, Linux).

The load generator is pure Python (threads, http.client) and runs on the same cores as the server: its own CPU use
is printed, so that its share of the machine is known. Not a timed test: `make loadtest`, or
`python bench/loadtest.py --clients 64 --duration 60`. --data-dir keeps a prepared database for the next run.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

USERNAME, PASSWORD = "ostan", "taavon-demo-1404"
PREPARED = "loadtest.json"
LOG_MARK = "LOADTEST"


# --- preparing the database ------------------------------------------------------------------------------------


def taavon_command() -> list[str]:
    script = Path(sys.executable).with_name("taavon")
    return [str(script)] if script.exists() else [sys.executable, "-m", "taavon.cli"]


def server_env(data_dir: Path) -> dict:
    env = dict(os.environ, TAAVON_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="taavon.settings")
    # the demo as `make demo` serves it: SQLite in the data dir, plain http, the second login step optional
    for name in (
        "TAAVON_DATABASE_URL",
        "TAAVON_DEBUG",
        "TAAVON_HTTPS",
        "TAAVON_BEHIND_PROXY",
        "TAAVON_OTP_REQUIRED_ROLES",
    ):
        env.pop(name, None)
    # the wall time of each request in the worker (microseconds), for the server's side of the table
    env["GUNICORN_CMD_ARGS"] = f"--access-logformat '{LOG_MARK} %(m)s %(U)s %(s)s %(D)s'"
    return env


def prepare(data_dir: Path, history: int) -> dict:
    marker = data_dir / PREPARED
    if marker.exists():
        prepared = json.loads(marker.read_text())
        if prepared.get("history") == history:
            print(f"Using the database prepared in {data_dir}.")
            return prepared
        sys.exit(f"{data_dir} was prepared with --history {prepared.get('history')}: use another --data-dir.")
    env = server_env(data_dir)
    for step in (["migrate", "--noinput"], ["demo"]):
        t = time.perf_counter()
        print(f"taavon {' '.join(step)} ...", end=" ", flush=True)
        done = subprocess.run([*taavon_command(), *step], env=env, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        print(f"{time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    print(f"{history} changes of one cooperative's record, through the service ...", end=" ", flush=True)
    out = subprocess.run(
        [sys.executable, __file__, "--grow-history", str(history)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    prepared = json.loads(out.strip().splitlines()[-1])
    print(f"{time.perf_counter() - t:.0f} s")
    prepared["history"] = history
    marker.write_text(json.dumps(prepared, ensure_ascii=False))
    return prepared


def grow_history(count: int) -> None:
    """(In a child process, with the server's environment.) Two demo cooperatives with no change since they were
    registered and with the same numbers of members and projects; the first is given `count` changes."""
    import datetime

    import django

    django.setup()
    from django.db.models import Count

    from taavon.accounts.models import User
    from taavon.registry.models import Activity, Cooperative
    from taavon.registry.services import cooperative_update

    user = User.objects.get(username=USERNAME)
    versions = Cooperative.history.model.objects.values("id").annotate(n=Count("history_id"))
    untouched = (
        Cooperative.objects.for_user(user)
        .filter(pk__in=versions.filter(n=1).values("id"))
        .annotate(m=Count("memberships", distinct=True), p=Count("projects", distinct=True))
        .order_by("-m", "id")
    )
    by_size: dict = {}
    for coop in untouched:
        by_size.setdefault((coop.m, coop.p, coop.status), []).append(coop)
    pair = next((coops[:2] for coops in by_size.values() if len(coops) >= 2), None)
    if pair is None:
        sys.exit("No two comparable demo cooperatives without changes.")
    coop, none = pair
    activities = list(Activity.objects.filter(sector_id=coop.sector_id).order_by("id")[:2])
    for i in range(count):
        step = i % 5
        if step == 0:
            fields = {"address": f"خرم‌آباد، خیابان {i}، کوچهٔ {i % 7 + 1}", "phone": f"0663{i:07d}"}
        elif step == 1:
            fields = {"notes": f"یادداشت بازبینی شمارهٔ {i}"}
        elif step == 2 and len(activities) > 1:
            fields = {"activity": activities[i // 5 % 2]}
        elif step == 3:
            fields = {"registration_number": str(10000 + i)}
        else:
            fields = {"registration_date": datetime.date(2012, 1, 1) + datetime.timedelta(days=i)}
        coop = cooperative_update(acting_user=user, cooperative=coop, reason=f"بازبینی {i}", **fields)
    print(
        json.dumps(
            {
                "history_coop": coop.shenasnameh,
                "history_versions": coop.history.count(),
                "none_coop": none.shenasnameh,
                "none_versions": none.history.count(),
                "members": pair[0].m,
                "projects": pair[0].p,
            },
            ensure_ascii=False,
        )
    )


# --- the server ----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`taavon serve` in its own session; its access log read as it comes."""

    def __init__(self, data_dir: Path, port: int, workers: int):
        self.port = port
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}  # path → wall ms in the worker
        self.recording = False
        self.proc = subprocess.Popen(
            [
                *taavon_command(),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=server_env(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.tail: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            if line.startswith(LOG_MARK):
                parts = line.split()
                if self.recording and len(parts) == 5:
                    with self.lock:
                        self.times.setdefault(parts[2], []).append(int(parts[4]) / 1000)
            else:
                self.tail = [*self.tail[-40:], line]

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit("The server stopped:\n" + "".join(self.tail))
            try:
                status, _, _ = request(self.port, "/accounts/login/", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        sys.exit("The server did not answer in time:\n" + "".join(self.tail))

    def workers_cpu(self) -> float:
        """CPU seconds used so far by every process of the server (Linux /proc; 0 elsewhere)."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        for pid in self._tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            except (OSError, IndexError, ValueError):
                pass
        return total

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
            if entry.name.isdigit():
                try:
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry.name))
        out, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # serve stops gunicorn and the background worker
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the session started above, by its id
                self.proc.wait()


# --- the clients ---------------------------------------------------------------------------------------------------


def request(
    port: int, path: str, *, cookies: dict | None = None, body: dict | None = None, timeout: float = 30
):
    """One request on a new connection (gunicorn's sync workers close it after each response)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is None:
            conn.request("GET", path, headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request("POST", path, body=urlencode(body), headers=headers)
        response = conn.getresponse()
        content = response.read()
        if cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content
    finally:
        conn.close()


def login(port: int) -> dict:
    cookies: dict = {}
    status, _, page = request(port, "/accounts/login/", cookies=cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        sys.exit(f"The login page answered {status} without a form.")
    form = {
        "username": USERNAME,
        "password": PASSWORD,
        "csrfmiddlewaretoken": token.group(1).decode(),
        "next": "/",
    }
    status, _, _ = request(port, "/accounts/login/", cookies=cookies, body=form)
    if status != 302 or "sessionid" not in cookies:
        sys.exit(f"Signing in as {USERNAME} failed (status {status}).")
    return cookies


def run_phase(port: int, path: str, sessions: list, expect: bytes, duration: float, warmup: float) -> dict:
    """Each client requests `path` until the end; only responses finished in the measured window are counted."""
    start = time.monotonic() + warmup
    end = start + duration
    results: list[tuple[float, float, bool]] = []  # (finished at, latency s, ok)
    lock = threading.Lock()

    def client(cookies):
        mine = []
        while True:
            t = time.monotonic()
            if t >= end:
                break
            try:
                status, _, content = request(port, path, cookies=dict(cookies) if cookies else None)
                ok = status == 200 and expect in content
            except OSError:
                ok = False
            done = time.monotonic()
            if start <= t and done <= end:
                mine.append((done, done - t, ok))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    cpu = time.process_time()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    cpu = time.process_time() - cpu
    good = sorted(lat for _, lat, ok in results if ok)
    return {
        "requests": len(results),
        "rps": len(good) / duration,
        "p50": percentile(good, 50) * 1000 if good else float("nan"),
        "p99": percentile(good, 99) * 1000 if good else float("nan"),
        "errors": sum(1 for _, _, ok in results if not ok),
        "client_cpu": cpu / (duration + warmup),
    }


def serial(port: int, path: str, cookies: dict | None, expect: bytes, count: int) -> float:
    """The median time of one request with no other client (ms): what a request costs, unloaded."""
    times = []
    for _ in range(count + 3):  # the first three warm the worker
        t = time.perf_counter()
        status, _, content = request(port, path, cookies=dict(cookies) if cookies else None)
        times.append(time.perf_counter() - t)
        if status != 200 or expect not in content:
            sys.exit(f"{path} answered {status} to a single client.")
    return statistics.median(times[3:]) * 1000 if count else float("nan")


def percentile(values: list[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


# --- main ----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60, help="seconds measured per URL")
    parser.add_argument("--warmup", type=float, default=3, help="seconds per URL before measuring")
    parser.add_argument("--serial", type=int, default=30, help="requests per URL from one client, first")
    parser.add_argument("--history", type=int, default=500, help="changes given to one cooperative")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (taavon serve's default: 2)")
    parser.add_argument("--q", default="تعاونی", help="the list's search")
    parser.add_argument("--only", action="append", choices=["list", "history", "none", "login", "profile"])
    parser.add_argument("--data-dir", type=Path, help="prepare (or reuse) the database here and keep it")
    parser.add_argument("--grow-history", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.grow_history is not None:
        grow_history(args.grow_history)
        return

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="taavon-loadtest-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        prepared = prepare(data_dir, args.history)
        port = free_port()
        server = Server(data_dir, port, args.workers)
        server.wait_ready()
        print(f"taavon serve on 127.0.0.1:{port}, {args.workers} workers; {os.cpu_count()} cores")
        sessions = [None] * args.clients
        with_sessions = []
        for _ in range(args.clients):
            with_sessions.append(login(port))
        print(f"{args.clients} clients signed in as {USERNAME}")
        record = b'data-testid="change-history"'
        targets = {
            "list": (f"/cooperatives/?q={quote(args.q)}", with_sessions, b'data-testid="'),
            "history": (f"/cooperatives/{prepared['history_coop']}/", with_sessions, record),
            "none": (f"/cooperatives/{prepared['none_coop']}/", with_sessions, record),
            "login": ("/accounts/login/", sessions, b'name="csrfmiddlewaretoken"'),
            "profile": (f"/register/{prepared['none_coop']}/", sessions, b'data-testid="coop-name"'),
        }
        labels = {
            "list": f"list ?q={args.q}",
            "history": f"record, {prepared['history_versions']} versions",
            "none": f"record, {prepared['none_versions']} version",
            "login": "login page",
            "profile": "public profile",
        }
        rows = []
        for name in args.only or list(targets):
            path, clients, expect = targets[name]
            with server.lock:
                server.times = {}
            server.recording = True
            alone = serial(port, path, clients[0], expect, args.serial)
            cpu = server.workers_cpu()
            result = run_phase(port, path, clients, expect, args.duration, args.warmup)
            cpu = server.workers_cpu() - cpu
            time.sleep(0.5)  # the last lines of the access log
            server.recording = False
            with server.lock:
                served = sorted(server.times.get(path.split("?")[0], []))
            result["alone"] = alone
            result["server_p50"] = statistics.median(served) if served else float("nan")
            result["server_cpu"] = cpu * 1000 / len(served) if served else float("nan")
            rows.append((labels[name], path, result))
            print(f"  {labels[name]}: {result['rps']:.1f} req/s, p50 {result['p50']:.0f} ms")
        print()
        print(
            f"{args.clients} clients, {args.duration:.0f} s per URL (after {args.warmup:.0f} s of warm-up), "
            f"taavon serve with {args.workers} workers on {os.cpu_count()} cores"
        )
        head = ("URL", "req/s", "p50 ms", "p99 ms", "errors", "server ms", "CPU ms", "alone ms", "client CPU")
        print(
            f"{head[0]:<24}{head[1]:>8}{head[2]:>9}{head[3]:>9}{head[4]:>8}{head[5]:>11}{head[6]:>8}"
            f"{head[7]:>10}{head[8]:>12}"
        )
        for label, _, r in rows:
            print(
                f"{label:<24}{r['rps']:>8.1f}{r['p50']:>9.0f}{r['p99']:>9.0f}{r['errors']:>8}"
                f"{r['server_p50']:>11.1f}{r['server_cpu']:>8.1f}{r['alone']:>10.1f}{r['client_cpu']:>12.0%}"
            )
        print(
            "req/s, p50, p99, errors: under load, as the clients saw them. server ms: the median wall time of a\n"
            "request in a worker (gunicorn's %(D)s). CPU ms: the server's processes' CPU time per request served.\n"
            f"alone ms: the median of {args.serial} requests from one client before the load (no queue).\n"
            "client CPU: this load generator's share of one core."
        )
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"load average at the end: {load} ({os.cpu_count()} cores; other work on the machine shows here)"
        )
    finally:
        if server is not None:
            server.stop()
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
