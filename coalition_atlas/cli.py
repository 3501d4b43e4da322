"""Command line: a thin layer over the library. `python -m coalition_atlas --help`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .load import EVENTS_PATH, load_atlas
from .problems import RecordError


def _validate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    tours_path = Path(args.path).parent / "tours.yaml"  # the tours beside the record, if any
    try:
        atlas = load_atlas(Path(args.path))
        tours = _tours(atlas, tours_path) if tours_path.is_file() else ""
    except RecordError as err:
        for problem in err.problems:
            print(problem)
        print(f"{len(err.problems)} problem(s) in {args.path}", file=sys.stderr)
        return 1
    took = time.perf_counter() - started
    print(f"{Path(args.path).name}: ok — {atlas.summary()}{tours} ({took:.2f} s)")
    return 0


def _tours(atlas, path: Path) -> str:
    from .tours import load_tours

    tours = load_tours({e.id for e in atlas.events}, path)
    return f"; {path.name}: ok — {len(tours)} tours, {sum(len(t.steps) for t in tours)} steps"


def _schema(args: argparse.Namespace) -> int:
    from .models import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def _coverage(args: argparse.Namespace) -> int:
    from .coverage import COVERAGE_PATH, coverage_markdown, uncovered, write_coverage

    try:
        atlas = load_atlas(Path(args.path))
    except RecordError as err:
        print(err)
        return 1
    if args.write:
        write_coverage(atlas)
        print(f"wrote {COVERAGE_PATH}")
    else:
        print(coverage_markdown(atlas))
    missing = uncovered(atlas)
    for row in missing:
        print(f"uncovered: {row.doc} paragraph {row.passage} — cite it or give a reason in its meta.yaml", file=sys.stderr)
    return 1 if missing else 0


def _export(args: argparse.Namespace) -> int:
    from .export import run

    return run(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coalition_atlas", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check events.yaml against the sources and the gazetteer")
    p.add_argument("path", nargs="?", default=str(EVENTS_PATH))
    p.set_defaults(run=_validate)
    p = sub.add_parser("schema", help="print the JSON Schema of events.yaml")
    p.set_defaults(run=_schema)
    p = sub.add_parser("coverage", help="print (or --write) the coverage table of the sources")
    p.add_argument("path", nargs="?", default=str(EVENTS_PATH))
    p.add_argument("--write", action="store_true", help="write docs/coverage.md")
    p.set_defaults(run=_coverage)
    p = sub.add_parser("export", help="write the briefing pack (html), the handout, csv or geojson of a filtered view")
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["export"]:  # its options live in export.py, whose imports the other commands do not need
        from .export import add_arguments

        add_arguments(p)
    p.set_defaults(run=_export)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
