"""The one way to draw HTML: Jinja2 templates in ``coalition_atlas/templates/``, autoescaped.

Every piece of HTML the app, the presenter and the pack produce is a template here. Text from
the record or a URL goes in as data and is escaped by Jinja's autoescape for element text and
attribute values; data for scripts goes in only through ``|tojson`` (which also escapes
``<``, ``>``, ``&`` and ``'`` so it cannot close a ``<script>``). Markdown is a different
context: see ``render.md`` for text handed to Streamlit's Markdown.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("coalition_atlas", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "svg", "j2"), default=True),
        undefined=StrictUndefined,  # a missing value is a bug, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    # |tojson writes Arabic as itself, not \uXXXX (a third of the bytes); it still escapes
    # < > & ' so that nothing in the data can close a <script>
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def render(template: str, /, **context: object) -> str:
    """The named template (e.g. ``"event_facts.html"``) rendered with ``context``."""
    return environment().get_template(template).render(**context)
