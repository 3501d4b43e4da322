"""Where the record and the app's files are: one root folder, found once.

The root holds ``events.yaml``, ``tours.yaml``, ``sources/``, ``geodata/``, ``static/`` and the
app (``dashboard.py``, ``pages/``, ``.streamlit/``). In a checkout it is the repository; in an
installed wheel it is the copy shipped inside the package (``coalition_atlas/app/``, see
pyproject.toml). ``COALITION_ATLAS_ROOT`` (the command's ``--root``) names another folder laid
out the same way: its record, sources and gazetteer are used instead (the app's own files,
``static/`` included, still come from the package).

This module never imports streamlit.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "COALITION_ATLAS_ROOT"
PACKAGE_DIR = Path(__file__).resolve().parent
SHIPPED = PACKAGE_DIR / "app"  # in a wheel: the repository's top-level files, installed here


def _app_dir() -> Path:
    return SHIPPED if (SHIPPED / "dashboard.py").is_file() else PACKAGE_DIR.parent


APP_DIR = _app_dir()  # dashboard.py, pages/, .streamlit/, static/
ROOT = Path(os.environ.get(ROOT_ENV) or APP_DIR).resolve()  # the record: events.yaml, sources/, geodata/


def inside_project(path: Path) -> bool:
    """Whether ``path`` lies in the project's folders (where no export should land unasked)."""
    path = path.resolve()
    return any(path == top or top in path.parents for top in {ROOT, APP_DIR, PACKAGE_DIR})
