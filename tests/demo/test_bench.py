"""The benchmark suite's smoke run: every figure measured at a tiny scale (no timing asserted: figures only)."""

import pytest
from django.test import Client, override_settings

from taavon.demo import bench


def test_scales():
    assert bench.parse_scale("10k") == 10_000
    assert bench.parse_scale("1M") == 1_000_000
    assert bench.parse_scale("2000") == 2000
    assert bench.scale_label(100_000) == "100k"
    with pytest.raises(ValueError):
        bench.parse_scale("many")


def test_summary():
    figure = bench.summary([0.001 * i for i in range(1, 101)])
    assert figure == {"n": 100, "median_ms": 50.5, "p95_ms": 95.0}
    assert bench.summary([])["p95_ms"] is None


@pytest.mark.django_db
def test_hello_world_beside_taavon_urls():
    with override_settings(ROOT_URLCONF="taavon.demo.bench"):
        response = Client().get("/bench/hello/")
        assert response.status_code == 200 and response.content == b"hello"
        assert Client().get("/api/v1/").status_code == 200


@pytest.mark.django_db
def test_smoke_run_has_every_figure():
    filled = bench.fill(200, progress=False)
    assert filled["seconds"] >= 0
    figures = bench.measure(reps=1, cards=2)
    assert figures["_counts"]["cooperatives"] >= 200
    search = figures["staff_search"]
    assert len(search["terms"]) >= 20
    shapes = {t["shape"] for t in search["terms"]}
    assert {"common word", "exact name", "shenasnameh", "digits", "two letters"} <= shapes
    for key in ("taavon", "sql_alone", "peer_admin_changelist"):
        assert search[key]["median_ms"] is not None and search[key]["p95_ms"] is not None
    # an exact shenasnameh finds its cooperative (and the admin's search does too)
    assert all(t["found"] >= 1 for t in search["terms"] if t["shape"] in ("shenasnameh", "exact name"))
    assert figures["public_api"]["errors"] == 0
    for key in (
        "dashboard_country",
        "dashboard_province",
        "dashboard_as_of_country",
        "dashboard_as_of_province",
    ):
        assert figures[key]["ok"], figures[key]
        assert figures[key]["queries"] > 0 and figures[key]["sql_alone"]["median_ms"] is not None
    assert figures["record_page"]["errors"] == 0 and figures["record_page"]["records"] >= 5
    assert figures["cards"]["cards"] == 2 and figures["cards"]["seconds_per_card"] > 0
    figures.pop("_counts")
    result = {
        "scale": 200,
        "database": "sqlite",
        "git_commit": "0" * 40,
        "cooperatives": 200,
        "figures": {**figures, "http": {"skipped": True}, "imports": {"skipped": True}},
    }
    assert set(bench.FIGURES) <= set(result["figures"])
    text = bench.table(result)
    assert "staff search" in text and "admin changelist" in text
