"""Benchmark: identity cards in batch (one WeasyPrint document, one card a page), against a baseline measured in
the same run: bare pages of text in the same fonts (Vazirmatn), as many as cards, in one document.

Prints seconds per card for --cards cards (goal: ≤ 0.3 s a card) for each size, the baseline's seconds per page,
and the ratio. A temporary SQLite database, migrated, with the demo's cooperatives (--cards of them).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

BARE = """<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><style>
@font-face {{ font-family: Vazirmatn; src: url("{regular}"); font-weight: 400; }}
@font-face {{ font-family: Vazirmatn; src: url("{bold}"); font-weight: 700; }}
@page {{ size: 148mm 210mm; margin: 10mm; }} html {{ font-family: Vazirmatn; }}
section {{ page-break-after: always; }}</style></head><body>{pages}</body></html>"""
PAGE = "<section><h1>شناسنامهٔ تعاونی</h1><p>تعاونی تولیدی نمونهٔ {i} — خرم‌آباد، لرستان</p></section>"


def pdf_pages(pdf: bytes) -> str:
    """The page count (poppler's pdfinfo; "?" without it)."""
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        return "?"
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False).stdout.decode()
    return next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cards", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="taavon-bench-cards-"))
    os.environ["TAAVON_DATA_DIR"] = str(tmp)
    os.environ.pop("TAAVON_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taavon.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    call_command("migrate", verbosity=0)
    from taavon.demo.loader import load_demo

    t = time.perf_counter()
    load_demo(n_cooperatives=args.cards, progress=False)
    print(f"demo with {args.cards} cooperatives built in {time.perf_counter() - t:.1f} s ({tmp})")

    from taavon.registry.cards import FONTS, cards_pdf, html_to_pdf
    from taavon.registry.models import Cooperative

    coops = list(Cooperative.objects.select_related("county__province")[: args.cards])
    n = len(coops)
    fonts = {
        "regular": (FONTS / "Vazirmatn-Regular.ttf").as_uri(),
        "bold": (FONTS / "Vazirmatn-Bold.ttf").as_uri(),
    }
    translation.activate("fa")
    html_to_pdf(BARE.format(pages=PAGE.format(i=0), **fonts))  # warm up (fonts, WeasyPrint's imports)
    t = time.perf_counter()
    html_to_pdf(BARE.format(pages="".join(PAGE.format(i=i) for i in range(n)), **fonts))
    base = (time.perf_counter() - t) / n
    t = time.perf_counter()
    html_to_pdf(BARE.format(pages=PAGE.format(i=1), **fonts))
    one = time.perf_counter() - t
    print(
        f"baseline: {n} bare pages, same fonts, one document: {base:.4f} s a page; one bare page alone: {one:.3f} s"
    )
    for size in ("a5", "wallet"):
        t = time.perf_counter()
        pdf = cards_pdf(coops, base_url="https://taavon.example", size=size)
        per = (time.perf_counter() - t) / n
        pages = pdf_pages(pdf)
        verdict = "OK" if per <= 0.3 else "OVER"
        print(
            f"cards ({size}): {n} cards, {pages} pages, {len(pdf) // 1024} KB: {per:.4f} s a card — "
            f"{per / base:.1f}× the bare page, {per / one:.2f}× one bare page alone; goal ≤ 0.3 s: {verdict}"
        )


if __name__ == "__main__":
    main()
