"""The small fixed vocabularies of events.yaml, with their labels in both languages."""

from __future__ import annotations

from typing import Final

# id -> (Arabic label, English label, what belongs there)
CATEGORIES: Final[dict[str, tuple[str, str, str]]] = {
    "territory": ("الأراضي", "Territory", "ground taken, held or liberated"),
    "military": ("العمليات العسكرية", "Military", "operations, forces, fighters, losses in combat"),
    "stabilization": (
        "تحقيق الاستقرار",
        "Stabilization",
        "stabilisation, reconstruction, demining, police training, funding for liberated areas",
    ),
    "humanitarian": (
        "الشؤون الإنسانية",
        "Humanitarian",
        "civilians, suffering, aid access, refugees and displaced people",
    ),
    "political": (
        "المسار السياسي",
        "Political",
        "political process, transition, governance, reconciliation, sovereignty",
    ),
    "diplomacy": ("الدبلوماسية", "Diplomacy", "meetings, conferences, statements, coalition coordination"),
    "security": (
        "الأمن",
        "Security",
        "foreign terrorist fighters, information sharing, law enforcement, financing, borders",
    ),
    "messaging": (
        "مواجهة الدعاية",
        "Messaging",
        "propaganda, the digital battlefield, preventing radicalisation and recruitment",
    ),
}

# How an event's date relates to what happened.
DATINGS: Final[dict[str, tuple[str, str, str]]] = {
    "on": ("في ذلك اليوم", "on that date", "it happened on that date"),
    "reported": (
        "حتى ذلك التاريخ",
        "reported as of that date",
        "a state of affairs the document reports as of its own date; it came about by then",
    ),
    "planned": ("مُعلن عنه", "announced for that date", "announced for that date; the document does not say it happened"),
}

# usd: «دولار أمريكي» (the text says US dollars); dollars: «دولار» with no country named
UNITS: Final[tuple[str, ...]] = ("percent", "fraction", "usd", "dollars", "km2", "people", "fighters", "years", "count")
# nearly: just under («ما يقرب من»), not "about"; order-of: the text gives only words, no number
# («عشرات الآلاف», tens of thousands): the figure keeps those words and no value
QUALIFIERS: Final[tuple[str, ...]] = ("exactly", "more-than", "at-least", "about", "nearly", "order-of")
