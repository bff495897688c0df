"""`taavon map_data [--source DIR]`: build the maps' simplified boundaries (places/data/geo/) from the OpenStreetMap
GeoJSON files in ../shared/data/geo, so that the project does not read ../shared at run time. Run it again when
better boundaries arrive; the files it writes are committed."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from taavon.places.maps import GEO_DIR, build_counties, build_provinces

DEFAULT_SOURCE = Path(settings.BASE_DIR).parents[2] / "shared" / "data" / "geo"


class Command(BaseCommand):
    help = "Simplify the counties' and provinces' boundaries (OpenStreetMap, ODbL) into places/data/geo/."

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(DEFAULT_SOURCE), help="the folder of *.geojson files")
        parser.add_argument("--tolerance", type=float, default=0.005, help="degrees, for the counties")
        parser.add_argument("--dest", default=str(GEO_DIR))

    def handle(self, *args, source, tolerance, dest, **options):
        src, out = Path(source), Path(dest)
        files = sorted(src.glob("IR-*.counties.geojson"))
        if not files:
            raise CommandError(f"No IR-*.counties.geojson in {src}")
        out.mkdir(parents=True, exist_ok=True)
        for path in files:
            data = build_counties(json.loads(path.read_text(encoding="utf-8")), tolerance)
            target = out / path.name.replace(".counties.geojson", ".json")
            target.write_text(_dump(data), encoding="utf-8")
            self.stdout.write(
                f"{target.name}: {len(data['features'])} counties, {target.stat().st_size:,} bytes"
            )
        provinces = src / "provinces.geojson"
        if provinces.is_file():
            data = build_provinces(json.loads(provinces.read_text(encoding="utf-8")), tolerance * 4)
            target = out / "provinces.json"
            target.write_text(_dump(data), encoding="utf-8")
            self.stdout.write(
                f"{target.name}: {len(data['features'])} provinces, {target.stat().st_size:,} bytes"
            )


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
