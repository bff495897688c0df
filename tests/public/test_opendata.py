"""The bulk downloads (public.opendata): files of public fields, a valid data package, formulas neutralised, the page,
the staff's rebuild, conditional downloads, the command."""

import csv
import io
import json
import zipfile

import frictionless
import pytest
from django.core.cache import cache
from django.core.management import call_command

from taavon.public import opendata
from tests.factories import make_cooperative, make_project

pytestmark = pytest.mark.django_db

PHONE = "02133445566"
POSTAL = "6813845711"
ADDRESS = "نشانی-محرمانه-۷۷"
NOTE = "یادداشت-محرمانه-۹۹"
PROJECT_NOTE = "یادداشت-طرح-محرمانه"
MARKERS = (PHONE, POSTAL, ADDRESS, NOTE, PROJECT_NOTE, "last_general_assembly", "return_filed")
FORMULA = "=HYPERLINK(1) تعاونی"


@pytest.fixture(autouse=True)
def _opendata_in_tmp(settings, tmp_path):
    settings.TAAVON_OPENDATA_DIR = tmp_path / "opendata"
    cache.clear()


@pytest.fixture
def register(admin_user, khorramabad):
    coop = make_cooperative(
        acting_user=admin_user,
        county=khorramabad,
        phone=PHONE,
        postal_code=POSTAL,
        address=ADDRESS,
        notes=NOTE,
    )
    make_cooperative(acting_user=admin_user, name=FORMULA)
    make_project(acting_user=admin_user, cooperative=coop, notes=PROJECT_NOTE, title="-طرح با خط تیره")
    make_project(acting_user=admin_user, cooperative=coop, stage="cancelled", title="طرح لغوشده")
    return coop


def _xlsx_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


def test_build_writes_every_file_without_private_fields(register):
    counts = opendata.build()
    assert counts == {"cooperatives": 2, "projects": 1}
    folder = opendata.folder()
    assert sorted(p.name for p in folder.iterdir()) == sorted(opendata.filenames())
    for name in opendata.filenames():
        path = folder / name
        text = _xlsx_text(path) if name.endswith(".xlsx") else path.read_text(encoding="utf-8")
        for marker in MARKERS:
            assert marker not in text, (name, marker)
        assert "طرح لغوشده" not in text
    rows = json.loads((folder / "cooperatives.json").read_text(encoding="utf-8"))
    assert {r["shenasnameh"] for r in rows} == {register.shenasnameh, rows[1]["shenasnameh"]} and len(
        rows
    ) == 2
    assert "id" not in rows[0]


def test_the_data_package_is_valid_and_describes_every_field(register):
    opendata.build()
    report = frictionless.validate(str(opendata.folder() / opendata.PACKAGE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((opendata.folder() / opendata.PACKAGE).read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    for resource in package["resources"]:
        header = (
            (opendata.folder() / resource["path"]).read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        )
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        for f in resource["schema"]["fields"]:
            assert f["type"] and f["description"] and f["title"]


def test_formula_cells_are_neutralised_in_csv_and_xlsx(register):
    opendata.build()
    folder = opendata.folder()
    names = [
        r["name"]
        for r in csv.DictReader(io.StringIO((folder / "cooperatives.csv").read_text(encoding="utf-8")))
    ]
    assert "'" + FORMULA in names and FORMULA not in names
    titles = [
        r["title"] for r in csv.DictReader(io.StringIO((folder / "projects.csv").read_text(encoding="utf-8")))
    ]
    assert titles == ["'-طرح با خط تیره"]
    xml = _xlsx_text(folder / "cooperatives.xlsx")
    assert "'=HYPERLINK" in xml and "<f>" not in xml


def test_a_failed_build_leaves_the_old_files(register, monkeypatch):
    opendata.build()
    before = (opendata.folder() / "cooperatives.csv").read_bytes()

    def broken(dataset):
        raise RuntimeError("boom")

    monkeypatch.setattr(opendata, "records", broken)
    with pytest.raises(RuntimeError):
        opendata.build()
    assert (opendata.folder() / "cooperatives.csv").read_bytes() == before
    assert not [p for p in opendata.folder().iterdir() if p.name.startswith(".build-")]


def test_the_page_builds_stale_files_and_lists_them(client, register, django_assert_max_num_queries):
    r = client.get("/opendata/")
    assert r.status_code == 200
    assert "cooperatives.csv" in r.content.decode()
    assert 'data-testid="opendata-rebuild"' not in r.content.decode()
    assert not opendata.stale()
    with django_assert_max_num_queries(3):
        r = client.get("/opendata/")
    html = r.content.decode()
    for name in opendata.filenames():
        assert name in html
    assert "۲" in html  # rows in Persian digits


@pytest.mark.parametrize("who", [None, "viewer", "county_officer"])
def test_only_province_staff_may_rebuild(client, register, who, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.post("/opendata/").status_code == 403


@pytest.mark.parametrize("who", ["provincial", "admin_user"])
def test_province_staff_rebuild_now(client, register, who, request, settings):
    client.force_login(request.getfixturevalue(who))
    assert 'data-testid="opendata-rebuild"' in client.get("/opendata/").content.decode()
    r = client.post("/opendata/")
    assert r.status_code == 302
    assert (opendata.folder() / "cooperatives.csv").exists()


def test_downloads_carry_etag_and_answer_304(client, register):
    opendata.build()
    r = client.get("/opendata/cooperatives.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert b"".join(r.streaming_content).startswith(
        "\ufeffshenasnameh,".encode()
    )  # a BOM: Excel reads Persian
    assert client.get("/opendata/cooperatives.csv", HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304
    assert (
        client.get("/opendata/cooperatives.csv", HTTP_IF_MODIFIED_SINCE=r["Last-Modified"]).status_code == 304
    )
    assert client.get("/opendata/datapackage.json")["Content-Type"] == "application/json"


def test_a_file_never_built_is_built_on_first_download(client, register):
    r = client.get("/opendata/projects.json")
    assert r.status_code == 200
    assert json.loads(b"".join(r.streaming_content))[0]["title"] == "-طرح با خط تیره"


@pytest.mark.parametrize("name", ["secret.csv", "..%2Fsecret_key", "taavon.sqlite3", "cooperatives.exe"])
def test_unknown_files_are_404(client, register, name):
    opendata.build()
    assert client.get(f"/opendata/{name}").status_code == 404


def test_the_command_builds(register):
    call_command("opendata", "--quiet")
    assert (opendata.folder() / opendata.PACKAGE).exists()
