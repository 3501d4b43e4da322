"""The layers, as import-linter contracts (pyproject.toml's [tool.importlinter]): the package
never imports Streamlit, the views never import folium or plotly, and no module imports another
that imports it back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_are_kept():
    done = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                           "sys.exit(lint_imports_command())"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "3 kept, 0 broken" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]
    assert done.returncode == 0
