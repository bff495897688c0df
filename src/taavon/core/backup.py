"""Backups while the server runs, and their restore (`taavon backup DEST`, `taavon restore SRC`).

A backup is a directory (or the same directory in a .tar.gz):

    manifest.json       what is in it: every file's size and sha256, the database vendor, its tables' row counts,
                        the Django migrations applied (app, name), when it was made
    database.sqlite3    SQLite: a copy made with SQLite's online backup API (one read transaction: a consistent
                        snapshot; the server's writers go on meanwhile, the database is in WAL mode)
    database.dump       PostgreSQL: `pg_dump --format=custom --no-owner`, run on a snapshot exported from a
                        repeatable-read transaction, the same one that counted the rows and read the migrations
    media/...           the uploaded files (MEDIA_ROOT), copied after the database: a row in the snapshot names a
                        file that was written before the row was committed, so the copy holds it whole; a file
                        written or deleted during the copy (not yet in the snapshot) cannot break the backup

A restore verifies every checksum first (a damaged backup is refused, naming the file), refuses a target that is not
empty (a database with tables, a media directory with files), then restores the database (SQLite: the file put in
place; PostgreSQL: `pg_restore` in one transaction), the files, and checks the row counts against the manifest.

Tables are read generically (the database's catalogue), so that this module knows none of the apps above it.
The secret key is not part of a backup: a restored installation without it makes a new one (users sign in again).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from tqdm import tqdm

FORMAT = "taavon-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA = "media"
TARBALL_SUFFIXES = (".tar.gz", ".tgz")
CHUNK = 1024 * 1024
VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message tells the user why and what to do."""


# --- files -------------------------------------------------------------------------------------------------------


@dataclass
class CopiedTree:
    """What copy_tree copied: {relative path: {"size", "sha256"}}, and the files it could not copy whole."""

    files: dict[str, dict] = field(default_factory=dict)
    vanished: list[str] = field(default_factory=list)  # listed, then deleted before they were copied
    changed: list[str] = field(
        default_factory=list
    )  # written to while they were copied (the copy is what was read)

    @property
    def bytes(self) -> int:
        return sum(f["size"] for f in self.files.values())


def sha256_of(path: Path) -> tuple[int, str]:
    """(size, sha256 hex digest) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def copy_file(src: Path, dst: Path, on_bytes: Callable[[int], object] | None = None) -> tuple[int, str]:
    """Copy a file, hashing the bytes as they are written: (size, sha256) describe the copy, whatever happened to
    the source meanwhile. The copy keeps the source's permissions (the web server reads uploaded files) and
    modification time; it is readable by its owner only until it is whole."""
    digest = hashlib.sha256()
    size = 0
    with open(src, "rb") as fin:
        fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fout:
            while chunk := fin.read(CHUNK):
                fout.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                if on_bytes:
                    on_bytes(len(chunk))
            fout.flush()
            os.fsync(fout.fileno())
        st = os.fstat(fin.fileno())
    os.chmod(dst, stat.S_IMODE(st.st_mode))
    os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
    return size, digest.hexdigest()


def list_files(root: Path) -> list[tuple[str, int]]:
    """The regular files under root as (relative POSIX path, size), sorted; [] when root does not exist.
    Symbolic links and other special files are left out (Django's storage makes none)."""
    found = []
    if not root.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath, name)
            try:
                st = path.lstat()
            except FileNotFoundError:
                continue
            if stat.S_ISREG(st.st_mode):
                found.append((path.relative_to(root).as_posix(), st.st_size))
    found.sort()
    return found


def copy_tree(
    src_root: Path,
    dst_root: Path,
    files: list[tuple[str, int]] | None = None,
    *,
    progress: bool = True,
    desc: str = "files",
) -> CopiedTree:
    """Copy the files under src_root (or the listed ones) to dst_root, with a progress bar. A file deleted before
    its turn is left out (`vanished`); a file written to during its copy is kept as read (`changed`): its checksum
    in the result is the copy's. Any other error (a file that cannot be read, a full disk) is raised."""
    files = list_files(src_root) if files is None else files
    result = CopiedTree()
    bar = tqdm(
        total=sum(size for _, size in files),
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=f"{desc} ({len(files)})",
        disable=None if progress else True,  # None: shown on a terminal only (a cron job's log stays clean)
    )
    with bar:
        for rel, listed_size in files:
            src = src_root / rel
            dst = dst_root / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            try:
                before = src.stat()
                size, digest = copy_file(src, dst, bar.update)
                after = src.stat()
            except FileNotFoundError:
                dst.unlink(missing_ok=True)
                result.vanished.append(rel)
                bar.update(listed_size)
                continue
            if (before.st_size, before.st_mtime_ns) != (
                after.st_size,
                after.st_mtime_ns,
            ) or size != before.st_size:
                result.changed.append(rel)
            result.files[rel] = {"size": size, "sha256": digest}
    return result


# --- the database, generically -----------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_names(cursor, vendor: str, *, all_schemas: bool = False) -> list[str]:
    """The tables of the database: SQLite's, or PostgreSQL's on the search path (in every schema but the system's
    with all_schemas)."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'"
        )
    else:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND substr(n.nspname, 1, 3) <> 'pg_' "
            + ("" if all_schemas else "AND pg_table_is_visible(c.oid)")
        )
    return sorted(row[0] for row in cursor.fetchall())


def row_counts(cursor, vendor: str) -> dict[str, int]:
    """{table: number of rows} for every table of the database (the catalogue's, not the models')."""
    counts = {}
    for table in _table_names(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, vendor: str) -> list[list[str]]:
    """The migrations the database records as applied, [app, name] in the order they were applied."""
    if "django_migrations" not in _table_names(cursor, vendor):
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return [[app, name] for app, name in cursor.fetchall()]


def pending_migrations(conn=None) -> list[tuple[str, str]]:
    """The code's migrations that the database has not applied (what `taavon migrate` would do)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(conn or connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [(migration.app_label, migration.name) for migration, backwards in plan if not backwards]


def unknown_migrations(migrations: list[list[str]]) -> list[tuple[str, str]]:
    """The migrations of a backup that this code does not have (a backup made by a newer release)."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [(app, name) for app, name in migrations if (app, name) not in on_disk]


def _sqlite_path() -> Path:
    name = str(settings.DATABASES["default"]["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("the database is in memory: there is no file to back up or restore into")
    return Path(name)


def _libpq() -> tuple[str, dict[str, str]]:
    """A libpq connection string for pg_dump/pg_restore (the password goes in the environment, not on the command
    line), and that environment."""
    from psycopg.conninfo import make_conninfo

    db = settings.DATABASES["default"]
    params = {
        key: str(value)
        for key, value in db.get("OPTIONS", {}).items()
        if isinstance(value, str | int)
        and not isinstance(value, bool)
        and key not in {"isolation_level", "server_side_binding", "prepare_threshold", "assume_role", "pool"}
    }
    for key, setting in (("dbname", "NAME"), ("user", "USER"), ("host", "HOST"), ("port", "PORT")):
        if db.get(setting):
            params[key] = str(db[setting])
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return make_conninfo("", **params), env


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{args[0]} is not installed: install PostgreSQL's client programs of the server's version or newer "
            "(Debian: apt install postgresql-client)"
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{what} failed ({args[0]} exit code {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _database_label() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return str(db["NAME"])
    return f"{db.get('NAME')} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"


# --- backup ------------------------------------------------------------------------------------------------------


def _snapshot_sqlite(target: Path) -> dict:
    source_path = _sqlite_path()
    if not source_path.is_file():
        raise BackupError(
            f"there is no database at {source_path}: nothing to back up (check TAAVON_DATA_DIR)"
        )
    try:
        with contextlib.ExitStack() as stack:
            # mode=rw: never create a database where there was none
            source = sqlite3.connect(f"{source_path.as_uri()}?mode=rw", uri=True, timeout=60)
            stack.callback(source.close)
            copy = sqlite3.connect(target)
            stack.callback(copy.close)
            return _copy_sqlite(source, copy)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot copy the SQLite database {source_path}: {exc}") from exc


def _copy_sqlite(source: sqlite3.Connection, copy: sqlite3.Connection) -> dict:
    source.backup(copy)  # all pages in one step: one read transaction, a consistent snapshot
    copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file (the server's is in WAL mode)
    check = copy.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise BackupError(f"the copy of the database fails SQLite's check: {check}")
    cursor = copy.cursor()
    return {
        "file": SQLITE_FILE,
        "tables": row_counts(cursor, "sqlite"),
        "migrations": applied_migrations(cursor, "sqlite"),
    }


def _snapshot_postgresql(target: Path) -> dict:
    conninfo, env = _libpq()
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        # the transaction's first statement (psycopg opened it): everything below, pg_dump included, sees one state
        raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = raw.execute("SELECT pg_export_snapshot()").fetchone()[0]
        cursor = raw.cursor()
        tables = row_counts(cursor, "postgresql")
        migrations = applied_migrations(cursor, "postgresql")
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={conninfo}",
            ],
            env,
            "pg_dump",
        )
    finally:
        with contextlib.suppress(Exception):
            raw.rollback()
        raw.close()
    os.chmod(target, 0o600)
    return {"file": POSTGRES_FILE, "tables": tables, "migrations": migrations}


def _taavon_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("taavon")
    except PackageNotFoundError:
        return "unknown"


def _check_destination(dest: Path, tarball: bool) -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    if dest.resolve().is_relative_to(media):
        raise BackupError(f"{dest} is inside the uploaded files ({media}): choose a place outside it")
    if tarball:
        if dest.exists():
            raise BackupError(f"{dest} already exists: a backup never overwrites one; choose a new name")
    elif dest.exists():
        if not dest.is_dir():
            raise BackupError(f"{dest} exists and is not a directory: choose a new directory")
        if any(dest.iterdir()):
            raise BackupError(f"{dest} is not empty: a backup goes into a new (or empty) directory")


def backup(dest: Path, *, progress: bool = True, log: Log = lambda message: None) -> dict:
    """Write a backup to dest (a new or empty directory, or a new file ending in .tar.gz) and return its manifest.
    The backup is built beside dest under a hidden name and moved into place at the end: an interrupted backup
    leaves nothing that looks like one."""
    dest = Path(dest).absolute()
    tarball = dest.name.endswith(TARBALL_SUFFIXES)
    _check_destination(dest, tarball)
    vendor = connection.vendor
    if vendor not in VENDORS:
        raise BackupError(f"cannot back up a {vendor} database (SQLite and PostgreSQL only)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = dest.parent / f".{dest.name}.partial-{os.getpid()}"
    staging.mkdir(mode=0o700)
    try:
        created = datetime.datetime.now(datetime.UTC)
        log(f"database: {VENDORS[vendor]} {_database_label()}")
        if vendor == "sqlite":
            database = _snapshot_sqlite(staging / SQLITE_FILE)
        else:
            database = _snapshot_postgresql(staging / POSTGRES_FILE)
        size, digest = sha256_of(staging / database["file"])
        files = {database["file"]: {"size": size, "sha256": digest}}
        media_root = Path(settings.MEDIA_ROOT)
        copied = copy_tree(media_root, staging / MEDIA, progress=progress, desc="uploaded files")
        files.update({f"{MEDIA}/{rel}": info for rel, info in copied.files.items()})
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": created.isoformat(),
            "taavon_version": _taavon_version(),
            "django_version": _django_version(),
            "database": {
                "vendor": vendor,
                "file": database["file"],
                "tables": database["tables"],
                "rows": sum(database["tables"].values()),
            },
            "migrations": database["migrations"],
            "media": {
                "files": len(copied.files),
                "bytes": copied.bytes,
                "vanished_during_backup": copied.vanished,
                "changed_during_backup": copied.changed,
            },
            "files": files,
        }
        with open(staging / MANIFEST, "x", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        for rel in copied.vanished:
            log(f"warning: media/{rel} was deleted during the backup and is not in it")
        for rel in copied.changed:
            log(f"warning: media/{rel} was being written during the backup; it holds what was read")
        if tarball:
            _write_tarball(staging, dest)
        else:
            if dest.exists():
                dest.rmdir()  # empty (checked)
            staging.rename(dest)
        return manifest
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _django_version() -> str:
    import django

    return django.get_version()


def _write_tarball(staging: Path, dest: Path) -> None:
    stem = dest.name.removesuffix(".tar.gz").removesuffix(".tgz")
    partial = dest.parent / f".{dest.name}.partial-{os.getpid()}.tar.gz"
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                tar.add(staging / MANIFEST, arcname=f"{stem}/{MANIFEST}")  # first: a reader meets it first
                for entry in sorted(staging.iterdir()):
                    if entry.name != MANIFEST:
                        tar.add(entry, arcname=f"{stem}/{entry.name}")
            raw.flush()
            os.fsync(raw.fileno())
        partial.rename(dest)
    finally:
        partial.unlink(missing_ok=True)


# --- restore -----------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def opened(src: Path) -> Iterator[Path]:
    """The backup's directory: src itself, or a .tar.gz unpacked into a temporary directory in the data directory
    (removed afterwards)."""
    src = Path(src).absolute()
    if src.is_dir():
        yield src
        return
    if not src.exists():
        raise BackupError(f"{src} does not exist")
    if not src.name.endswith(TARBALL_SUFFIXES):
        raise BackupError(f"{src} is neither a backup directory nor a .tar.gz")
    unpacked = Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.DATA_DIR))
    try:
        try:
            with tarfile.open(src, "r:gz") as tar:
                tar.extractall(unpacked, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"cannot unpack {src}: {exc}") from exc
        entries = list(unpacked.iterdir())
        if (unpacked / MANIFEST).is_file():
            yield unpacked
        elif len(entries) == 1 and (entries[0] / MANIFEST).is_file():
            yield entries[0]
        else:
            raise BackupError(f"{src} is not a Taavon backup: it has no {MANIFEST}")
    finally:
        shutil.rmtree(unpacked, ignore_errors=True)


def read_manifest(root: Path) -> dict:
    path = root / MANIFEST
    if not path.is_file():
        raise BackupError(f"{root} is not a Taavon backup: it has no {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise BackupError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not the manifest of a Taavon backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"this backup's format is version {manifest.get('format_version')}; this Taavon reads version "
            f"{FORMAT_VERSION}: restore it with the release that made it ({manifest.get('taavon_version')})"
        )
    database = manifest.get("database")
    if (
        not isinstance(database, dict)
        or database.get("vendor") not in VENDORS
        or not isinstance(database.get("tables"), dict)
        or not isinstance(manifest.get("migrations"), list)
        or not isinstance(manifest.get("files"), dict)
        or not all(isinstance(i, dict) and {"size", "sha256"} <= i.keys() for i in manifest["files"].values())
        or {SQLITE_FILE: "sqlite", POSTGRES_FILE: "postgresql"}.get(database.get("file"))
        != database["vendor"]
        or database["file"] not in manifest["files"]
    ):
        raise BackupError(f"{path} is damaged: a part of it is missing or malformed")
    return manifest


def _safe_relative(rel: str) -> bool:
    path = PurePosixPath(rel)
    return bool(rel) and not path.is_absolute() and ".." not in path.parts and "\\" not in rel


def verify(root: Path, manifest: dict, *, progress: bool = True) -> None:
    """Check that the backup holds exactly the manifest's files, each with its size and sha256; raise BackupError
    naming the first file that does not."""
    files = manifest.get("files") or {}
    damaged = "the backup is damaged, nothing was restored"
    for rel in files:
        if not _safe_relative(rel):
            raise BackupError(f"{damaged}: the manifest names a file outside the backup ({rel})")
    present = {rel for rel, _ in list_files(root) if rel != MANIFEST}
    for rel in sorted(present - set(files)):
        raise BackupError(f"{damaged}: {rel} is in the backup but not in its manifest")
    for rel in sorted(set(files) - present):
        raise BackupError(f"{damaged}: {rel} is missing")
    for rel, info in sorted(files.items()):
        size = (root / rel).stat().st_size
        if size != info["size"]:
            raise BackupError(f"{damaged}: {rel} has {size} bytes, the manifest says {info['size']}")
    bar = tqdm(
        total=sum(info["size"] for info in files.values()),
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=f"checking ({len(files)} files)",
        disable=None if progress else True,
    )
    with bar:
        for rel, info in sorted(files.items()):
            size, digest = sha256_of(root / rel)
            bar.update(size)
            if digest != info["sha256"]:
                raise BackupError(
                    f"{damaged}: {rel} does not match its checksum in the manifest "
                    f"(sha256 {digest[:16]}…, expected {info['sha256'][:16]}…)"
                )


def _check_target_empty(vendor: str) -> None:
    if vendor == "sqlite":
        path = _sqlite_path()
        if path.exists() and path.stat().st_size > 0:
            try:
                with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
                    tables = _table_names(db.cursor(), "sqlite")
            except sqlite3.Error as exc:
                raise BackupError(
                    f"{path} exists and is not an empty database ({exc}): move it away"
                ) from exc
            if tables:
                raise BackupError(
                    f"the database {path} is not empty ({len(tables)} tables): restore into an empty data "
                    "directory (point TAAVON_DATA_DIR at a new directory) or move this database away first"
                )
        elif not path.exists():
            for suffix in ("-wal", "-shm", "-journal"):
                if path.with_name(path.name + suffix).exists():
                    raise BackupError(f"{path}{suffix} is left from an earlier database: move it away first")
    else:
        with connection.cursor() as cursor:
            tables = _table_names(cursor, vendor, all_schemas=True)
        if tables:
            raise BackupError(
                f"the database {_database_label()} is not empty ({len(tables)} tables, e.g. {tables[0]}): "
                "create an empty database (createdb -O <owner> <name>) and restore into it"
            )
    media = list_files(Path(settings.MEDIA_ROOT))
    if media:
        raise BackupError(
            f"the uploaded files' directory {settings.MEDIA_ROOT} is not empty ({len(media)} files): "
            "restore into an empty data directory"
        )


def _restore_sqlite(root: Path, manifest: dict) -> None:
    path = _sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f"{path.name}.restoring-{os.getpid()}")
    try:
        size, digest = copy_file(root / SQLITE_FILE, aside)
        if digest != manifest["files"][SQLITE_FILE]["sha256"]:
            raise BackupError(f"{SQLITE_FILE} changed while it was copied: nothing was restored")
        connection.close()
        for suffix in ("-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(aside, path)  # over an empty file at most (checked)
    finally:
        aside.unlink(missing_ok=True)


def _restore_postgresql(root: Path) -> None:
    conninfo, env = _libpq()
    dump = root / POSTGRES_FILE
    listing = _run(["pg_restore", "--list", str(dump)], env, "pg_restore --list")
    # the comment on an extension (pg_trgm) belongs to its owner, who is not the restoring user in general
    kept = [line for line in listing.splitlines() if " COMMENT - EXTENSION " not in line]
    fd, list_path = tempfile.mkstemp(prefix=".restore-", suffix=".list", dir=settings.DATA_DIR)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(kept) + "\n")
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--use-list={list_path}",
                f"--dbname={conninfo}",
                str(dump),
            ],
            env,
            "pg_restore (nothing was restored)",
        )
    finally:
        os.unlink(list_path)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # pg_restore leaves the planner without statistics


def _remove_empty_dirs(root: Path) -> None:
    for dirpath, _, _ in sorted(os.walk(root), key=lambda entry: -len(entry[0])):
        if Path(dirpath) != root:
            with contextlib.suppress(OSError):
                os.rmdir(dirpath)


@dataclass
class Restored:
    manifest: dict
    pending: list[tuple[str, str]]  # the code's migrations that are newer than the backup


def restore(src: Path, *, progress: bool = True, log: Log = lambda message: None) -> Restored:
    """Restore a backup into the configured, empty database and data directory; see the module's docstring."""
    with opened(src) as root:
        manifest = read_manifest(root)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"this is a backup of a {VENDORS.get(vendor, vendor)} database and the configured database is "
                f"{VENDORS.get(connection.vendor, connection.vendor)}: a backup restores into the same kind "
                "(set or unset TAAVON_DATABASE_URL)"
            )
        unknown = unknown_migrations(manifest["migrations"])
        if unknown:
            names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
            raise BackupError(
                f"the backup was made by a newer Taavon ({manifest.get('taavon_version')}): this code lacks its "
                f"migrations {names}{' …' if len(unknown) > 5 else ''}; install that release first"
            )
        _check_target_empty(vendor)  # the quick refusals first, then the checksums of the whole backup
        verify(root, manifest, progress=progress)
        log(f"restoring into {VENDORS[vendor]} {_database_label()} and {settings.MEDIA_ROOT}")
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        _remove_empty_dirs(media_root)
        # the files first, aside inside MEDIA_ROOT (the same file system, even when it is a mount point), moved
        # into place once the database is restored: a failure anywhere leaves the target as empty as it was
        staging = media_root / f".restoring-{os.getpid()}"
        try:
            staging.mkdir(mode=0o700)
            media = {
                rel.removeprefix(f"{MEDIA}/"): info["size"]
                for rel, info in manifest["files"].items()
                if rel.startswith(f"{MEDIA}/")
            }
            copied = copy_tree(
                root / MEDIA, staging, sorted(media.items()), progress=progress, desc="uploaded files"
            )
            if copied.vanished:
                raise BackupError(
                    f"media/{copied.vanished[0]} disappeared from the backup while it was copied: nothing was restored"
                )
            for rel, info in copied.files.items():
                if info["sha256"] != manifest["files"][f"{MEDIA}/{rel}"]["sha256"]:
                    raise BackupError(f"media/{rel} changed while it was copied: nothing was restored")
            if vendor == "sqlite":
                _restore_sqlite(root, manifest)
            else:
                _restore_postgresql(root)
            for entry in sorted(staging.iterdir()):
                entry.rename(media_root / entry.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    with connection.cursor() as cursor:
        counts = row_counts(cursor, vendor)
        migrations = applied_migrations(cursor, vendor)
    if counts != manifest["database"]["tables"]:
        differ = sorted(
            t
            for t in set(counts) | set(manifest["database"]["tables"])
            if counts.get(t) != manifest["database"]["tables"].get(t)
        )
        raise BackupError(
            f"the restored database does not match the manifest's row counts: {', '.join(differ)}"
        )
    if migrations != manifest["migrations"]:
        raise BackupError("the restored database's migrations do not match the manifest's")
    return Restored(manifest=manifest, pending=pending_migrations())
