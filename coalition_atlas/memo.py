"""Shared memos: what is the same for every viewer, built once per record and kept in this
process (module-level, bounded, thread-safe).

Not ``st.cache_resource``: any client can send Streamlit's ``clear_cache`` message, which
empties those caches for every session at once. Keys start with the record's token
(``Atlas.token``), so a new record builds afresh and the old entries age out.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def memo(max_entries: int = 64, *, ignore: tuple[int, ...] = ()) -> Callable[[F], F]:
    """Remember ``fn``'s result per arguments (least recently used dropped past ``max_entries``).
    ``ignore``: positions of arguments left out of the key (objects the other arguments name,
    e.g. the record beside its token). Two threads asking for the same new key may both build
    it; the first result is kept."""

    def wrap(fn: F) -> F:
        store: OrderedDict[Hashable, Any] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def call(*args, **kwargs):
            key = (tuple(a for i, a in enumerate(args) if i not in ignore), tuple(sorted(kwargs.items())))
            with lock:
                if key in store:
                    store.move_to_end(key)
                    return store[key]
            value = fn(*args, **kwargs)
            with lock:
                value = store.setdefault(key, value)
                store.move_to_end(key)
                while len(store) > max_entries:
                    store.popitem(last=False)
            return value

        call.cache_clear = store.clear  # type: ignore[attr-defined]
        call.cache_len = lambda: len(store)  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return wrap
