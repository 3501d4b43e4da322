"""The gazetteer: every place the documents name, as GeoJSON points (geodata/places.geojson)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from . import paths
from .models import PartialDate

GEODATA_DIR = paths.ROOT / "geodata"
PLACES_PATH = GEODATA_DIR / "places.geojson"
COUNTRIES_PATH = GEODATA_DIR / "countries.geojson"


class PlaceStatus(BaseModel):
    """What one document says of a place, in its own words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc: str
    paragraph: Annotated[str, Field(min_length=1)]
    date: PartialDate
    quote: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]


NOT_STATED = "not stated"


def _liberation(value: object) -> object:
    """``liberated`` is ``true`` only where a document says the place was freed; otherwise
    "not stated" (no document says it was not). Read as a bool: True, or False for "not stated"."""
    if value is True:
        return True
    if value == NOT_STATED:
        return False
    raise ValueError(f'liberated is {json.dumps(value, ensure_ascii=False)}; write true (a document says the place was freed) or "{NOT_STATED}", never false or a guess')


class Place(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    name_ar: Annotated[str, Field(min_length=1)]
    name_en: Annotated[str, Field(min_length=1)]
    country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None
    kind: Literal["city", "town", "region"]
    liberated: Annotated[bool, BeforeValidator(_liberation)]  # True: a status item says it was freed
    status: list[PlaceStatus]
    coord_source: str = ""
    coord_note: str = ""
    # finite degrees on the globe (strict: no text, no true/false; NaN, Infinity, 1e400 refused)
    lon: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-180, le=180)] = 0.0
    lat: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-90, le=90)] = 0.0

    def name(self, lang: str) -> str:
        return self.name_ar if lang == "ar" else self.name_en
