"""The open data: the register and the projects as files anyone may download (CSV, XLSX, JSON) with a Frictionless
data package (`datapackage.json`) describing every field, built into TAAVON_DATA_DIR/opendata/.

The rows come from public.selectors only (public fields of public records); the fields below are the one list the
files, the data package, the API's records and docs/open-data.md share. Stable English names, dates as ISO
Gregorian with the Jalali date beside them, amounts in rials (integers).

`build()` writes every file aside (a temporary folder next to the target) and swaps it in with renames, so a
download never sees half a file. `taavon opendata` and the task `public.opendata_tasks.opendata_rebuild` call it.
"""

import datetime
import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from taavon.core.exports import neutralise
from taavon.persian import format_jalali
from taavon.public.selectors import StandingRule, cooperative_rows, public_projects, status_since

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
PLACES_SOURCE = {
    "title": "OpenStreetMap contributors (county names and identifiers), ODbL 1.0",
    "path": "https://www.openstreetmap.org/copyright",
}
FORMATS = ("csv", "xlsx", "json")
DATASETS = ("cooperatives", "projects")
PACKAGE = "datapackage.json"
MAX_AGE = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema types: string, integer, boolean, date, datetime
    description: str
    get: Callable[[dict], object]
    constraints: dict = field(default_factory=dict)

    def descriptor(self) -> dict:
        out = {
            "name": self.name,
            "type": self.type,
            "title": self.name.replace("_", " "),
            "description": self.description,
        }
        if self.constraints:
            out["constraints"] = self.constraints
        return out


def _jalali(key: str) -> Callable[[dict], str | None]:
    def get(row: dict) -> str | None:
        value = row.get(key)
        return format_jalali(value, "iso") if value else None

    return get


def _key(key: str) -> Callable[[dict], object]:
    return lambda row: row.get(key)


def _status_since(row: dict) -> datetime.date | None:
    return status_since(row)


def _since_jalali(row: dict) -> str | None:
    since = _status_since(row)
    return format_jalali(since, "iso") if since else None


REQUIRED = {"required": True}
COUNT = {"minimum": 0}
JALALI = {"pattern": r"1[0-9]{3}-[01][0-9]-[0-3][0-9]"}


def _cooperative_fields() -> list[Field]:
    from taavon.registry.models import Membership, Status

    return [
        Field(
            "shenasnameh",
            "string",
            "The cooperative's identity number in the register (unique).",
            _key("shenasnameh"),
            {**REQUIRED, "unique": True},
        ),
        Field(
            "legal_id",
            "string",
            "National identifier of the legal entity (11 digits), when known.",
            _key("legal_id"),
        ),
        Field(
            "registration_number",
            "string",
            "Number of the registration at the companies' registry.",
            _key("registration_number"),
        ),
        Field(
            "registration_date",
            "date",
            "Date of registration (Gregorian, ISO 8601).",
            _key("registration_date"),
        ),
        Field(
            "registration_date_jalali",
            "string",
            "Date of registration (Jalali, YYYY-MM-DD).",
            _jalali("registration_date"),
            JALALI,
        ),
        Field("name", "string", "Registered name (Persian).", _key("name"), REQUIRED),
        Field(
            "type_code",
            "string",
            "Type of cooperative (code; see the API's sectors/ endpoint).",
            _key("type_code"),
        ),
        Field("type_fa", "string", "Type of cooperative (Persian).", _key("type_fa")),
        Field("type_en", "string", "Type of cooperative (English).", _key("type_en")),
        Field("sector_code", "string", "Sector (code).", _key("sector_code")),
        Field("sector_fa", "string", "Sector (Persian).", _key("sector_fa")),
        Field("sector_en", "string", "Sector (English).", _key("sector_en")),
        Field("activity_fa", "string", "Activity (Persian).", _key("activity_fa")),
        Field("activity_en", "string", "Activity (English).", _key("activity_en")),
        Field(
            "membership",
            "string",
            "Membership: open or closed.",
            _key("membership"),
            {"enum": list(Membership.values)},
        ),
        Field(
            "province_code",
            "string",
            "Province (ISO 3166-2 code, e.g. IR-15).",
            _key("province_code"),
            REQUIRED,
        ),
        Field("province_fa", "string", "Province (Persian).", _key("province_fa")),
        Field("province_en", "string", "Province (English).", _key("province_en")),
        Field(
            "county_id",
            "integer",
            "County (identifier; see the API's places/ endpoint).",
            _key("county_id"),
            REQUIRED,
        ),
        Field("county_fa", "string", "County (Persian).", _key("county_fa")),
        Field("county_en", "string", "County (English).", _key("county_en")),
        Field(
            "status",
            "string",
            "Status in the register.",
            _key("status"),
            {**REQUIRED, "enum": list(Status.values)},
        ),
        Field("status_since", "date", "Date the status began (Gregorian).", _status_since),
        Field("status_since_jalali", "string", "Date the status began (Jalali).", _since_jalali, JALALI),
        Field("members_women", "integer", "Members: women.", _key("members_women"), COUNT),
        Field("members_men", "integer", "Members: men.", _key("members_men"), COUNT),
        Field(
            "members_total",
            "integer",
            "Members in all.",
            lambda r: (r.get("members_women") or 0) + (r.get("members_men") or 0),
            COUNT,
        ),
        Field(
            "capital_registered_rial",
            "integer",
            "Registered capital, in rials.",
            _key("capital_registered_rial"),
            COUNT,
        ),
        Field(
            "good_standing",
            "boolean",
            "In good standing: active, general assembly up to date, last due annual return filed.",
            lambda r: r["standing"].good,
            REQUIRED,
        ),
        Field(
            "good_standing_reasons",
            "string",
            "Why not in good standing: codes separated by spaces (not_active, assembly_overdue, return_missing).",
            lambda r: " ".join(r["standing"].reasons),
        ),
        Field("updated_at", "datetime", "When the record last changed (UTC).", _key("updated_at"), REQUIRED),
    ]


def _project_fields() -> list[Field]:
    from taavon.projects.models import Stage

    stages = [s for s in Stage.values if s != Stage.CANCELLED]
    return [
        Field(
            "id", "integer", "The project's identifier (unique).", _key("id"), {**REQUIRED, "unique": True}
        ),
        Field("title", "string", "Title of the project (Persian).", _key("title"), REQUIRED),
        Field(
            "shenasnameh",
            "string",
            "The cooperative's identity number (see cooperatives).",
            _key("shenasnameh"),
            REQUIRED,
        ),
        Field("cooperative_name", "string", "The cooperative's name.", _key("cooperative_name")),
        Field("sector_code", "string", "Sector (code).", _key("sector_code")),
        Field("sector_fa", "string", "Sector (Persian).", _key("sector_fa")),
        Field("sector_en", "string", "Sector (English).", _key("sector_en")),
        Field("province_code", "string", "Province (ISO 3166-2 code).", _key("province_code"), REQUIRED),
        Field(
            "county_id", "integer", "County where the project is (identifier).", _key("county_id"), REQUIRED
        ),
        Field("county_fa", "string", "County (Persian).", _key("county_fa")),
        Field("county_en", "string", "County (English).", _key("county_en")),
        Field("stage", "string", "Stage of the project.", _key("stage"), {**REQUIRED, "enum": stages}),
        Field("investment_rial", "integer", "Investment, in rials.", _key("investment_rial"), COUNT),
        Field("jobs_direct_planned", "integer", "Direct jobs planned.", _key("jobs_direct_planned"), COUNT),
        Field(
            "jobs_direct_actual",
            "integer",
            "Direct jobs created (when opened).",
            _key("jobs_direct_actual"),
            COUNT,
        ),
        Field(
            "jobs_indirect_actual", "integer", "Indirect jobs created.", _key("jobs_indirect_actual"), COUNT
        ),
        Field("jobs_women_actual", "integer", "Jobs held by women.", _key("jobs_women_actual"), COUNT),
        Field("start_date", "date", "Start (Gregorian).", _key("start_date")),
        Field("start_date_jalali", "string", "Start (Jalali).", _jalali("start_date"), JALALI),
        Field(
            "expected_opening_date", "date", "Expected opening (Gregorian).", _key("expected_opening_date")
        ),
        Field(
            "expected_opening_date_jalali",
            "string",
            "Expected opening (Jalali).",
            _jalali("expected_opening_date"),
            JALALI,
        ),
        Field("actual_opening_date", "date", "Opening (Gregorian).", _key("actual_opening_date")),
        Field(
            "actual_opening_date_jalali",
            "string",
            "Opening (Jalali).",
            _jalali("actual_opening_date"),
            JALALI,
        ),
        Field(
            "progress_percent",
            "integer",
            "Physical progress, percent.",
            _key("progress_percent"),
            {"minimum": 0, "maximum": 100},
        ),
        Field("updated_at", "datetime", "When the record last changed (UTC).", _key("updated_at"), REQUIRED),
    ]


def fields(dataset: str) -> list[Field]:
    return list(_fields(dataset))


@functools.cache
def _fields(dataset: str) -> tuple[Field, ...]:
    # the same for every row and every request (plain descriptions, codes): built once, not for each of a page's rows
    return tuple(_cooperative_fields() if dataset == "cooperatives" else _project_fields())


# --- records (the files' rows; the API sends the same) ---------------------------------------------------------------


def cooperative_record(row: dict, rule: StandingRule, columns: list[Field] | None = None) -> dict:
    """One cooperative's open record from a selectors row (`cooperative_rows` / `register_search`)."""
    row = {**row, "standing": rule.of(row)}
    return {f.name: f.get(row) for f in columns or _fields("cooperatives")}


def project_record(row: dict, columns: list[Field] | None = None) -> dict:
    return {f.name: f.get(row) for f in columns or _fields("projects")}


def records(dataset: str) -> Iterator[dict]:
    """Every public record of a dataset, in a stable order (shenasnameh, or the project's id)."""
    columns = fields(dataset)
    if dataset == "cooperatives":
        rule = StandingRule.now()
        for row in cooperative_rows(rule=rule).order_by("shenasnameh").iterator(chunk_size=2000):
            yield cooperative_record(row, rule, columns)
    else:
        for row in public_projects().order_by("id").iterator(chunk_size=2000):
            yield project_record(row, columns)


# --- writing ---------------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _csv_cell(value) -> str:
    text = _text(value)
    return text if isinstance(value, (int, datetime.date)) else neutralise(text)


def _write(dataset: str, folder: Path) -> int:
    import csv

    columns = fields(dataset)
    names = [f.name for f in columns]
    n = 0
    with (
        # the CSV with a byte-order mark: Excel (how most readers here open it) reads its Persian right
        open(folder / f"{dataset}.csv", "w", encoding="utf-8-sig", newline="") as csv_file,
        open(folder / f"{dataset}.json", "w", encoding="utf-8") as json_file,
    ):
        wb = xlsxwriter.Workbook(
            str(folder / f"{dataset}.xlsx"), {"constant_memory": True, "strings_to_formulas": False}
        )
        ws = wb.add_worksheet(dataset)
        bold = wb.add_format({"bold": True})
        for col, name in enumerate(names):
            ws.write_string(0, col, name, bold)
        writer = csv.writer(csv_file, lineterminator="\r\n")
        writer.writerow(names)
        json_file.write("[")
        for n, record in enumerate(records(dataset), start=1):
            writer.writerow([_csv_cell(record[name]) for name in names])
            json_file.write(
                ("," if n > 1 else "") + "\n" + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False)
            )
            for col, f in enumerate(columns):
                value = record[f.name]
                if value is None or value == "":
                    continue
                if f.type == "integer":
                    ws.write_number(n, col, value)
                elif f.type == "boolean":
                    ws.write_boolean(n, col, value)
                else:
                    ws.write_string(n, col, neutralise(_text(value)))
        json_file.write("\n]\n")
        ws.freeze_panes(1, 0)
        wb.close()
    return n


def package_descriptor(counts: dict[str, int], built: datetime.datetime) -> dict:
    descriptions = {
        "cooperatives": "Every cooperative of the register (its status says whether it is active), public fields only."
        " The same rows are in cooperatives.xlsx and cooperatives.json.",
        "projects": "Every project of a cooperative except cancelled ones, public fields only. The same rows are in"
        " projects.xlsx and projects.json.",
    }
    keys = {"cooperatives": ["shenasnameh"], "projects": ["id"]}
    resources = []
    for dataset in DATASETS:
        schema = {"fields": [f.descriptor() for f in fields(dataset)], "primaryKey": keys[dataset]}
        if dataset == "projects":
            schema["foreignKeys"] = [
                {"fields": "shenasnameh", "reference": {"resource": "cooperatives", "fields": "shenasnameh"}}
            ]
        resources.append(
            {
                "name": dataset,
                "path": f"{dataset}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",  # with a byte-order mark, which readers (frictionless, pandas) skip
                "title": dataset.capitalize(),
                "description": descriptions[dataset],
                "rows": counts[dataset],
                "schema": schema,
            }
        )
    return {
        "name": "taavon-open-data",
        "title": "Taavon: register of cooperatives and their projects",
        "description": "Public records of the cooperatives' register and their projects. No personal data: no"
        " national codes, phones, addresses, member names or notes.",
        "profile": "tabular-data-package",
        "created": _text(built),
        "licenses": [LICENSE],
        "sources": [{"title": "Taavon register"}, PLACES_SOURCE],
        "resources": resources,
    }


def folder() -> Path:
    return Path(getattr(settings, "TAAVON_OPENDATA_DIR", None) or settings.DATA_DIR / "opendata")


def build(progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Write every file aside, then rename them into place (atomic per file; the data package last). Returns the rows
    per dataset. `progress(dataset, rows)` is called after each dataset."""
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    aside = Path(tempfile.mkdtemp(prefix=".build-", dir=target))
    try:
        counts = {}
        for dataset in DATASETS:
            counts[dataset] = _write(dataset, aside)
            if progress:
                progress(dataset, counts[dataset])
        descriptor = package_descriptor(counts, timezone.now())
        (aside / PACKAGE).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
        for dataset in DATASETS:
            for fmt in FORMATS:
                os.replace(aside / f"{dataset}.{fmt}", target / f"{dataset}.{fmt}")
        os.replace(aside / PACKAGE, target / PACKAGE)
    finally:
        shutil.rmtree(aside, ignore_errors=True)
    return counts


# --- what the page lists ---------------------------------------------------------------------------------------------


def filenames() -> list[str]:
    return [f"{d}.{fmt}" for d in DATASETS for fmt in FORMATS] + [PACKAGE]


def built_files() -> list[dict]:
    """The files built so far: name, dataset, format, size (bytes), rows, build time (aware datetime)."""
    target = folder()
    try:
        package = json.loads((target / PACKAGE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    rows = {r.get("name"): r.get("rows") for r in package.get("resources", [])}
    out = []
    for name in filenames():
        path = target / name
        try:
            stat = path.stat()
        except OSError:
            continue
        dataset, _, fmt = name.partition(".")
        out.append(
            {
                "name": name,
                "dataset": dataset,
                "format": fmt,
                "size": stat.st_size,
                "rows": rows.get(dataset),
                "built_at": datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC),
            }
        )
    return out


def built_at() -> datetime.datetime | None:
    try:
        stamp = (folder() / PACKAGE).stat().st_mtime
    except OSError:
        return None
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def stale(now: datetime.datetime | None = None) -> bool:
    when = built_at()
    return when is None or (now or timezone.now()) - when > MAX_AGE
