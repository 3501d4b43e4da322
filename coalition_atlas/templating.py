"""The one way to draw HTML: Jinja2 templates in ``coalition_atlas/templates/``, autoescaped.

Every piece of HTML the app, the presenter and the pack produce is a template here. Text from
the record or a URL goes in as data and is escaped by Jinja's autoescape for element text and
attribute values; data for scripts goes in only through ``|tojson``, which is
:func:`escaping.script_json` (``<``, ``>``, ``&``, ``'`` and U+2028/9 as ``\\uXXXX``, so it
cannot close a ``<script>``; the text stays UTF-8, not six bytes a letter). Style sheets and
scripts are real ``.css``/``.js`` files beside the templates, inlined by :func:`asset`.
Markdown is a different context: see ``escaping.md`` for text handed to Streamlit's Markdown.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .escaping import esc, script_json


def _finalize(value: object) -> object:
    """Text with line breaks gets them as character references too (``escaping.esc``): most of
    this HTML goes through ``st.markdown(…, unsafe_allow_html=True)``, where a blank line from
    the data would end the HTML block and let the rest be read as Markdown (links, images)."""
    if isinstance(value, str) and not isinstance(value, Markup) and ("\n" in value or "\r" in value):
        return Markup(esc(value))
    return value


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("coalition_atlas", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "svg", "j2"), default=True),
        undefined=StrictUndefined,  # a missing value is a bug, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=_finalize,
    )
    env.filters["tojson"] = lambda obj: Markup(script_json(obj))
    return env


def render(template: str, /, **context: object) -> str:
    """The named template (e.g. ``"event_facts.html"``) rendered with ``context``."""
    return environment().get_template(template).render(**context)


@lru_cache(maxsize=None)
def asset(name: str) -> Markup:
    """A style sheet or script under ``templates/`` (e.g. ``"pack/pack.css"``), as it is, to
    inline: our own files, trusted markup (they hold no ``</style>`` or ``</script>``)."""
    text = resources.files("coalition_atlas").joinpath("templates", name).read_text(encoding="utf-8")
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower():
        raise ValueError(f"{name} holds {closing}>: it would end the element it is inlined in")
    return Markup(text)


def macro(template: str, name: str):
    """A macro of a template (e.g. ``_event.html``'s ``cite``), to call from Python."""
    return getattr(environment().get_template(template).module, name)
