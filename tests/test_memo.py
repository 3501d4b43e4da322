import threading

from coalition_atlas.memo import memo


def test_built_once_per_key_and_bounded():
    calls = []

    @memo(max_entries=2, ignore=(0,))
    def build(obj, token, lang="ar"):
        calls.append((token, lang))
        return object()

    first = build("record", 1)
    assert build("another object, same token", 1) is first  # the ignored argument is not in the key
    assert build("record", 1, lang="en") is not first
    build("record", 2)  # a third key: the least recently used (1, ar) goes
    assert build.cache_len() == 2
    build("record", 1)
    assert calls == [(1, "ar"), (1, "en"), (2, "ar"), (1, "ar")]


def test_threads_share_one_result():
    @memo()
    def build(token):
        return object()

    seen = []
    threads = [threading.Thread(target=lambda: seen.append(build(7))) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len({id(x) for x in seen}) == 1
