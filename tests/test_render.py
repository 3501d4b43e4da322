"""coalition_atlas.render: text from the data escaped for the place it lands."""

import re

from coalition_atlas.render import esc, md


def test_esc_escapes_html_and_quotes():
    assert esc("<img src=x onerror='a'> & \"b\"") == "&lt;img src=x onerror=&#x27;a&#x27;&gt; &amp; &quot;b&quot;"


def test_md_backslashes_every_markdown_and_streamlit_sign():
    hostile = "**bold** [link](javascript:alert(1)) $x^2$ :red[red] :material/home: `code` # h <b> ~s~ _i_"
    out = md(hostile)
    assert out.replace("\\", "") == hostile  # nothing lost
    unescaped = re.findall(r"(?<!\\)[*\[\]()$:`#<>~_]", out)
    assert unescaped == [], unescaped
    assert md("الموصل 2017") == "الموصل 2017"  # plain text untouched


def test_figures_are_listed_once_each():
    import dataclasses

    from coalition_atlas.load import load_atlas
    from coalition_atlas.render import figures_html

    atlas = load_atlas()
    once = figures_html(atlas, "en")
    assert once.count('class="ca-figure"') == sum(len(e.figures) for e in atlas.events)
    copies = tuple(e.model_copy(update={"id": f"{e.id}-copy"}) for e in atlas.events)
    twice = dataclasses.replace(atlas, events=atlas.events + copies)
    assert figures_html(twice, "en").count('class="ca-figure"') == once.count('class="ca-figure"')
