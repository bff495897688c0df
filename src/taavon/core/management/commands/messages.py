"""`taavon messages`: the message catalogue, regenerated from the code (`make messages`).

Source strings are English (Django's convention, what translators' tools expect: docs/decisions/0006-languages.md);
Persian, the default language, is the catalogue locale/fa/LC_MESSAGES/django.po. This command:

1. extracts every marked string (gettext in Python, {% translate %} / {% blocktranslate %} in templates) with
   Django's makemessages into that catalogue, keeping the translations it has (no fuzzy guesses: a changed English
   string is untranslated until someone translates it);
2. fills untranslated entries from locale/parts/*.po (translations written next to a change, merged here);
3. writes the compiled catalogue (django.mo) — atomically, so a running server or test never reads half a file;
4. reports what is untranslated; `--check` fails when anything is (the suite runs the same check).

Several runs at once (two people, two helpers) wait for each other (a lock file).
"""

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands import makemessages

LOCALE = "fa"
IGNORE = ["static/*", "locale/*", "*/migrations/*", "persian/*"]


class _Extract(makemessages.Command):
    # a changed source string must not silently take the old translation of a similar one
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def catalogue() -> Path:
    return locale_dir() / LOCALE / "LC_MESSAGES" / "django.po"


@contextmanager
def _locked():
    locale_dir().mkdir(parents=True, exist_ok=True)
    with open(locale_dir() / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def extract(source: Path) -> None:
    """Django's makemessages over `source` (the taavon package), into its locale folder."""
    cwd = os.getcwd()
    os.chdir(source)
    try:
        call_command(
            _Extract(),
            locale=[LOCALE],
            domain="django",
            ignore_patterns=IGNORE,
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )
    finally:
        os.chdir(cwd)


def _key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translated(entry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def merge_parts(po) -> list[str]:
    """Fill untranslated entries from locale/parts/*.po; the conflicts between parts, as messages."""
    import polib

    found: dict[tuple, tuple[str, object]] = {}
    conflicts = []
    for part in sorted((locale_dir() / "parts").glob("*.po")):
        for entry in polib.pofile(str(part)):
            if not _translated(entry):
                continue
            key = _key(entry)
            seen = found.get(key)
            value = entry.msgstr_plural or entry.msgstr
            if seen is not None and seen[1] != value:
                conflicts.append(f"{entry.msgid!r}: {seen[0]} and {part.name} translate it differently")
                continue
            found[key] = (part.name, value)
    for entry in po:
        if _translated(entry):
            continue
        hit = found.get(_key(entry))
        if hit is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = dict(hit[1])
        else:
            entry.msgstr = hit[1]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    return conflicts


def compile_atomically(po, path: Path) -> None:
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".mo")
    os.close(handle)
    po.save_as_mofile(tmp)
    os.replace(tmp, path)


class Command(BaseCommand):
    help = "Regenerate the message catalogue from the code and compile it (make messages)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail when a string is untranslated")

    def handle(self, *args, check=False, **options):
        import polib

        source = Path(settings.BASE_DIR)
        with _locked():
            extract(source)
            po = polib.pofile(str(catalogue()), wrapwidth=120)
            po.metadata.update(
                {
                    "Language": LOCALE,
                    "Content-Type": "text/plain; charset=UTF-8",
                    "Plural-Forms": "nplurals=2; plural=(n > 1);",
                }
            )
            conflicts = merge_parts(po)
            po.save(str(catalogue()))
            compile_atomically(po, catalogue().with_suffix(".mo"))
        missing = [e for e in po if not e.obsolete and not _translated(e)]
        total = len([e for e in po if not e.obsolete])
        self.stdout.write(
            f"{total} messages, {total - len(missing)} translated, {len(missing)} untranslated."
        )
        for line in conflicts:
            self.stderr.write(f"conflict: {line}")
        for entry in missing[:50]:
            where = entry.occurrences[0][0] if entry.occurrences else "?"
            self.stderr.write(f"untranslated: {entry.msgid!r} ({where})")
        if check and (missing or conflicts):
            raise CommandError(f"{len(missing)} untranslated messages, {len(conflicts)} conflicts.")
