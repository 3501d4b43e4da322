"""Command line: a thin layer over the library. `coalition-atlas --help` (installed with
`pip install .`) or `python -m coalition_atlas --help`, from any folder.

`--root DIR` (before the command) reads the record, sources and gazetteer from DIR instead of
the copy shipped with the package (or the repository, in a checkout).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

# The record's modules are imported in the commands, after --root has been set.


def _validate(args: argparse.Namespace) -> int:
    from .load import load_atlas
    from .problems import RecordError

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
    from .load import load_atlas
    from .problems import RecordError
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


def _serve(args: argparse.Namespace) -> int:
    """``streamlit run dashboard.py`` in the app's folder (its .streamlit/config.toml and static/
    apply), with the record of --root; further options go to Streamlit (``--server.port 8502``)."""
    import os

    from .paths import APP_DIR

    command = [sys.executable, "-m", "streamlit", "run", str(APP_DIR / "dashboard.py"), *args.streamlit_args]
    os.chdir(APP_DIR)
    os.execv(sys.executable, command)  # Streamlit takes this process's place: a stop signal reaches it
    return 0  # not reached


def build_parser(export_options: bool = True) -> argparse.ArgumentParser:
    """The command's parser (``export_options``: with export's own, whose imports the other
    commands do not need)."""
    parser = argparse.ArgumentParser(prog="coalition-atlas", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", metavar="DIR", help="folder with events.yaml, tours.yaml, sources/ and geodata/ "
                        "(default: the copy shipped with the package, or the repository)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check events.yaml against the sources and the gazetteer")
    p.add_argument("path", nargs="?", help="the record to check (default: events.yaml of the root)")
    p.set_defaults(run=_validate)
    p = sub.add_parser("schema", help="print the JSON Schema of events.yaml")
    p.set_defaults(run=_schema)
    p = sub.add_parser("coverage", help="print (or --write) the coverage table of the sources")
    p.add_argument("path", nargs="?", help="the record (default: events.yaml of the root)")
    p.add_argument("--write", action="store_true", help="write docs/coverage.md")
    p.set_defaults(run=_coverage)
    p = sub.add_parser("export", help="write the briefing pack (html), the handout, csv or geojson of a filtered view")
    p.set_defaults(run=_export)
    if export_options:
        from .export import add_arguments

        add_arguments(p)
    p = sub.add_parser("serve", help="run the dashboard (streamlit run dashboard.py); other options go to Streamlit")
    p.set_defaults(run=_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args, rest = build_parser(export_options=False).parse_known_args(argv)
    if args.root:  # before the record's modules are imported: they read it once
        import os

        os.environ["COALITION_ATLAS_ROOT"] = str(Path(args.root).resolve())
    if args.command == "serve":
        args.streamlit_args = rest
    else:
        args = build_parser(export_options=args.command == "export").parse_args(argv)
    if getattr(args, "path", "") is None:
        from .load import EVENTS_PATH

        args.path = str(EVENTS_PATH)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
