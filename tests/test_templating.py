from coalition_atlas import templating


def test_autoescape_and_tojson(tmp_path, monkeypatch):
    env = templating.environment()
    tpl = env.from_string('<p title="{{ t }}">{{ t }}</p><script>var d = {{ d|tojson }};</script>')
    out = tpl.render(t='<b>"x"</b>', d={"s": "</script><x>"})
    assert "<b>" not in out and "&lt;b&gt;" in out and "&#34;x&#34;" in out
    assert "</script><x>" not in out and "\\u003c/script\\u003e" in out
