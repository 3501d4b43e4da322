"""Write static/geo/countries.json, the simplified country outlines the dashboard's maps fetch.

Run after changing geodata/countries.geojson or maps.SIMPLIFY_TOLERANCE:
    python tools/write_outlines.py
(tests/test_maps.py fails while the shipped file is not current).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coalition_atlas.maps import write_outlines  # noqa: E402

if __name__ == "__main__":
    print(write_outlines())
