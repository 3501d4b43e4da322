"""One escaping policy, written once: text from the record or a URL is escaped for the exact
context it lands in, and only here.

=================  ==========================================================================
context            how
=================  ==========================================================================
HTML template      Jinja's autoescape (``templating``): element text and attribute values.
HTML in Python     :func:`esc` — the same five characters (``& < > " '``) and line breaks as references, for
                   the few strings still built in Python (SVG marks, Plotly labels, popups).
Plotly text        ``esc(text, "plotly")``: Plotly's label/hover mini-HTML decodes only a few
                   named entities (``&quot;`` would show), and quotes need none in text.
folium literal     ``esc(text, "js-template")``: HTML that folium writes inside a JavaScript
                   template literal and compiles again as Jinja — also ``\\`` `` ` `` ``$``
                   ``{`` ``}`` as character references (the HTML parser turns them back).
script data        :func:`script_json`, which is also the templates' ``|tojson``.
Markdown           :func:`md` (Streamlit labels, toasts, ``st.markdown``): Markdown taken
                   literally: every ASCII punctuation sign escaped, line breaks as spaces.
=================  ==========================================================================

This module never imports streamlit.
"""

from __future__ import annotations

import html
import json
import re
from typing import Literal

Context = Literal["html", "plotly", "js-template"]

_JS_TEMPLATE = str.maketrans({"\\": "&#92;", "`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;"})
_SCRIPT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def esc(text: object, context: Context = "html") -> str:
    """``text`` as HTML text or an attribute value in ``context`` (see the module's table)."""
    if context == "plotly":
        return html.escape(str(text), quote=False)
    # line breaks as character references too: most HTML goes through st.markdown(…,
    # unsafe_allow_html=True), where a blank line would end the HTML block and let the rest
    # be read as Markdown (links, images, KaTeX)
    out = html.escape(str(text), quote=True).replace("\r", "&#13;").replace("\n", "&#10;")
    if context == "js-template":
        # folium: nothing can end the literal, interpolate ``${…}``, or be read as Jinja
        # (``{{ … }}`` would run on the server, ``{#`` would break the page)
        out = out.translate(_JS_TEMPLATE)
    return out


def script_json(obj: object) -> str:
    """JSON for a ``<script>`` element (also one folium compiles as Jinja): ``< > & '`` and
    U+2028/9 as ``\\uXXXX``, and the braces inside strings (structural braces never form
    ``{{``, ``{%`` or ``{#``: an object starts with ``{"`` or ``{}``). Still valid JSON, read
    back unchanged; nothing in it can close the element (``</script>``, ``<!--``)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = re.sub("[<>&'\u2028\u2029]", lambda m: _SCRIPT[m.group(0)], text)
    return _STRING.sub(lambda m: m.group(0).replace("{", "\\u007b").replace("}", "\\u007d"), text)


# Every ASCII punctuation sign (CommonMark lets each be backslash-escaped): Markdown's own,
# `$` (KaTeX), `:` (`:red[…]`, `:material/…:`, emoji shortcodes, and the `://` of GFM autolinks),
# `.` and `@` (`www.x.org` and `a@b.org` autolinks), `&` (entities), `<` (HTML, `<https://…>`).
_MD_SIGN = re.compile(r"([!-/:-@\[-`{-~])")
_MD_BREAK = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


# GFM autolink literals (http(s)://…, www.…, a@b.c, mailto:…, xmpp:…) are found in the text
# *after* escapes are decoded, so a backslash does not stop them: a word joiner (U+2060,
# invisible, no line break) after "http:", "https:", "mailto:", "xmpp:" and "@", and inside
# "www.", does. (Not after every ":": "events.yaml:12:3" stays as an editor reads it.)
_AUTOLINK_BREAK = re.compile(r"(?<=https:)|(?<=http:)|(?<=mailto:)|(?<=xmpp:)|(?<=@)|(?<=www)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Text for Streamlit Markdown (toasts, labels, headers, expanders, radio options,
    ``st.markdown``, ``st.error``) taken literally, in one line: every ASCII punctuation sign
    backslash-escaped (so no link, image, KaTeX, colour, directive or HTML survives), autolink
    literals broken by an invisible word joiner, line breaks made spaces (no new block: list,
    heading, quote, indented code)."""
    flat = _AUTOLINK_BREAK.sub(WORD_JOINER, _MD_BREAK.sub(" ", str(text)))
    return _MD_SIGN.sub(r"\\\1", flat)
