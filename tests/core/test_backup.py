"""`taavon backup` and `taavon restore`, run as a user runs them (subprocesses on a real file database, or on
throwaway PostgreSQL databases when the suite runs on PostgreSQL): the round trip is exact — every table's rows
(datetimes to the microsecond, which dumpdata/loaddata would lose) and every uploaded file byte for byte; a
damaged backup and a target that is not empty are refused."""

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from taavon.core import backup as core_backup

ROOT = Path(__file__).resolve().parents[2]

# Data made through the services, as in production: a cooperative, its project, a status change with evidence.
MAKE_DATA = """
import django

django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile

from taavon.registry.services import cooperative_change_status
from tests.factories import UserFactory, make_cooperative, make_project

admin = UserFactory(role="admin", username="backup-admin")
coop = make_cooperative(acting_user=admin)
make_project(acting_user=admin, cooperative=coop, stage="construction")
cooperative_change_status(
    acting_user=admin,
    cooperative=coop,
    to_status="dormant",
    reason="آزمون پشتیبان‌گیری",
    evidence=SimpleUploadedFile("e.pdf", b"%PDF-1.4 evidence of the general assembly " + bytes(range(256)) * 40),
)
other = make_cooperative(acting_user=admin, name="تعاونی پشتیبان دوم")
cooperative_change_status(
    acting_user=admin,
    cooperative=other,
    to_status="dormant",
    reason="آزمون پشتیبان‌گیری دوم",
    evidence=SimpleUploadedFile("e.png", b"\\x89PNG\\r\\n\\x1a\\n" + bytes(range(256))),
)
"""


@dataclass
class Site:
    """An installation: a data directory, and a PostgreSQL database or the data directory's SQLite file."""

    data_dir: Path
    db_url: str | None = None

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    @property
    def sqlite(self) -> Path:
        return self.data_dir / "taavon.sqlite3"

    def env(self) -> dict:
        env = dict(os.environ, TAAVON_DATA_DIR=str(self.data_dir), DJANGO_SETTINGS_MODULE="taavon.settings")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        env.pop("TAAVON_DATABASE_URL", None)
        if self.db_url:
            env["TAAVON_DATABASE_URL"] = self.db_url
        return env

    def run(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *map(str, args)],
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def taavon(self, *args) -> subprocess.CompletedProcess:
        return self.run("-m", "taavon.cli", *args)

    @contextlib.contextmanager
    def cursor(self):
        if self.db_url is None:
            with contextlib.closing(sqlite3.connect(self.sqlite)) as conn:
                yield conn.cursor()
        else:
            import psycopg

            with psycopg.connect(self.db_url) as conn:
                yield conn.cursor()

    def tables(self) -> dict[str, tuple[int, str]]:
        """{table: (rows, sha256 of every row's repr, in a stable order)}; on PostgreSQL also the sequences."""
        result = {}
        with self.cursor() as cursor:
            if self.db_url is None:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")  # sqlite_sequence too
            else:
                cursor.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                )
            for (table,) in sorted(cursor.fetchall()):
                cursor.execute(f'SELECT * FROM "{table}"')
                rows = sorted(
                    hashlib.sha256(repr(tuple(row)).encode()).hexdigest() for row in cursor.fetchall()
                )
                result[table] = (len(rows), hashlib.sha256("".join(rows).encode()).hexdigest())
            if self.db_url is not None:
                cursor.execute(
                    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
                )
                result["<sequences>"] = (0, repr(cursor.fetchall()))
        return result

    def files(self) -> dict[str, bytes]:
        return {rel: (self.media / rel).read_bytes() for rel, _ in core_backup.list_files(self.media)}

    def is_empty(self) -> bool:
        if self.db_url is None:
            database_empty = not self.sqlite.exists() or self.sqlite.stat().st_size == 0
        else:
            database_empty = not self.tables().keys() - {"<sequences>"}
        return database_empty and not self.files()


class Databases:
    """Throwaway PostgreSQL databases (named with the pid: parallel workers never share one), dropped at the end."""

    def __init__(self, settings_dict: dict | None):
        self.settings_dict = settings_dict
        self.made: list[str] = []

    def admin(self):
        import psycopg

        db = self.settings_dict
        return psycopg.connect(
            dbname="postgres",
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            autocommit=True,
        )

    def new(self, data_dir: Path, *, template: str | None = None) -> Site:
        data_dir.mkdir(parents=True, exist_ok=True)
        if self.settings_dict is None:
            return Site(data_dir)
        db = self.settings_dict
        name = f"taavon_bk_{os.getpid()}_{len(self.made)}"
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.made.append(name)
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return Site(data_dir, f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}")

    def drop_all(self) -> None:
        if self.made:
            with self.admin() as conn:
                for name in self.made:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Source:
    site: Site
    backup: Path
    manifest: dict
    tables: dict
    files: dict


@pytest.fixture(scope="module")
def databases(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        settings_dict = dict(connection.settings_dict) if connection.vendor == "postgresql" else None
    made = Databases(settings_dict)
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def source(databases, django_db_blocker, tmp_path_factory) -> Source:
    """An installation on a real file (or its own PostgreSQL database), started from the migrated test database,
    given data through the services by a subprocess, then backed up with `taavon backup`."""
    from django.db import connection, connections

    data_dir = tmp_path_factory.mktemp("source")
    with django_db_blocker.unblock():
        if (
            connection.vendor == "sqlite"
        ):  # the test database is in memory: copied to a file with the backup API
            connection.ensure_connection()
            with contextlib.closing(sqlite3.connect(data_dir / "taavon.sqlite3")) as file_db:
                connection.connection.backup(file_db)
            site = databases.new(data_dir)
        else:  # a copy of the migrated test database (no other session may be connected to a template)
            template = connection.settings_dict["NAME"]
            connections.close_all()
            site = databases.new(data_dir, template=template)
    made = site.run("-c", MAKE_DATA)
    assert made.returncode == 0, made.stderr
    dest = tmp_path_factory.mktemp("backups") / "2025-09-01"
    done = site.taavon("backup", dest)
    assert done.returncode == 0, done.stderr
    assert "Backup written to" in done.stdout
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    return Source(site, dest, manifest, site.tables(), site.files())


def test_the_manifest_describes_every_file_the_database_and_the_migrations(source):
    manifest = source.manifest
    vendor = "sqlite" if source.site.db_url is None else "postgresql"
    assert manifest["format"] == "taavon-backup"
    assert manifest["database"]["vendor"] == vendor
    assert manifest["created"].endswith("+00:00")
    on_disk = {rel for rel, _ in core_backup.list_files(source.backup)} - {"manifest.json"}
    assert set(manifest["files"]) == on_disk
    for rel, info in manifest["files"].items():
        assert core_backup.sha256_of(source.backup / rel) == (info["size"], info["sha256"])
    assert {rel.removeprefix("media/") for rel in on_disk if rel.startswith("media/")} == set(source.files)
    assert len(source.files) == 2
    with source.site.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        assert manifest["migrations"] == [list(row) for row in cursor.fetchall()]
    assert (
        manifest["database"]["tables"]["registry_statuschange"] == source.tables["registry_statuschange"][0]
    )


def test_the_round_trip_is_exact(source, databases, tmp_path):
    target = databases.new(tmp_path / "restored")
    done = target.taavon("restore", source.backup)
    assert done.returncode == 0, done.stderr
    assert "migration state" in done.stdout

    assert target.tables() == source.tables  # every table: row counts and every row's checksum
    assert target.files() == source.files  # every uploaded file, byte for byte
    # the datetimes kept their microseconds (what dumpdata/loaddata would lose)
    with target.cursor() as cursor:
        cursor.execute("SELECT changed_at FROM registry_statuschange")
        stamps = [row[0] for row in cursor.fetchall()]
    micro = [
        s.microsecond if hasattr(s, "microsecond") else int((s.split(".") + ["0"])[1][:6] or 0)
        for s in stamps
    ]
    assert len(stamps) >= 2 and any(micro)


def test_a_backup_with_one_byte_changed_is_refused_naming_the_file(source, databases, tmp_path):
    damaged = tmp_path / "damaged"
    shutil.copytree(source.backup, damaged)
    rel = sorted(k for k in source.manifest["files"] if k.startswith("media/"))[0]
    data = bytearray((damaged / rel).read_bytes())
    data[len(data) // 2] ^= 0x01
    (damaged / rel).write_bytes(bytes(data))

    target = databases.new(tmp_path / "target")
    done = target.taavon("restore", damaged)
    assert done.returncode != 0
    assert rel in done.stderr and "checksum" in done.stderr and "nothing was restored" in done.stderr
    assert target.is_empty()


def test_restoring_into_a_target_that_is_not_empty_is_refused(source):
    done = source.site.taavon("restore", source.backup)
    assert done.returncode != 0
    assert "is not empty" in done.stderr
    assert source.site.tables() == source.tables
    assert source.site.files() == source.files


def test_a_backup_never_goes_into_a_directory_that_is_not_empty(source, tmp_path):
    dest = tmp_path / "old"
    dest.mkdir()
    (dest / "keep.txt").write_text("keep")
    done = source.site.taavon("backup", dest)
    assert done.returncode != 0
    assert "is not empty" in done.stderr
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]


def test_a_backup_as_a_tar_gz_holds_the_same_files_and_verifies(source, tmp_path):
    archive = tmp_path / "taavon-2025-09-01.tar.gz"
    done = source.site.taavon("backup", "-v0", archive)
    assert done.returncode == 0, done.stderr
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        media = {
            n.removeprefix("taavon-2025-09-01/media/"): tar.extractfile(n).read()
            for n in names
            if n.startswith("taavon-2025-09-01/media/") and tar.getmember(n).isfile()
        }
    assert names[0] == "taavon-2025-09-01/manifest.json"
    assert media == source.files
    checked = source.site.taavon("restore", "--check", archive)
    assert checked.returncode == 0, checked.stderr
    assert "is intact" in checked.stdout


def test_files_deleted_or_written_during_the_copy_do_not_break_it(tmp_path, monkeypatch):
    media = tmp_path / "media"
    (media / "evidence" / "2025").mkdir(parents=True)
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (media / "evidence" / "2025" / name).write_bytes(b"%PDF-1.4 " + name.encode() * 1000)
    listed = core_backup.list_files(media)
    (media / "evidence" / "2025" / "a.pdf").unlink()  # deleted between the listing and its copy

    real_copy = core_backup.copy_file

    def copy_while_written(src, dst, on_bytes=None):
        result = real_copy(src, dst, on_bytes)
        if src.name == "b.pdf":  # an upload still being written while it was copied
            with open(src, "ab") as fh:
                fh.write(b"more")
        return result

    monkeypatch.setattr(core_backup, "copy_file", copy_while_written)
    copied = core_backup.copy_tree(media, tmp_path / "copy", listed, progress=False)
    assert copied.vanished == ["evidence/2025/a.pdf"]
    assert copied.changed == ["evidence/2025/b.pdf"]
    for rel in ("evidence/2025/b.pdf", "evidence/2025/c.pdf"):  # the manifest describes the copy as made
        assert core_backup.sha256_of(tmp_path / "copy" / rel) == (
            copied.files[rel]["size"],
            copied.files[rel]["sha256"],
        )


@pytest.mark.django_db
def test_the_migration_state_is_compared_with_the_code():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder

    assert core_backup.pending_migrations() == []
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("places")[0]
    MigrationRecorder(connection).migration_qs.filter(app=leaf[0], name=leaf[1]).delete()
    assert core_backup.pending_migrations() == [leaf]  # restore then says: run `taavon migrate`
    assert core_backup.unknown_migrations([list(leaf), ["places", "9999_from_the_future"]]) == [
        ("places", "9999_from_the_future")
    ]
