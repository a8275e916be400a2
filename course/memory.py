"""Giving memory back to the operating system after a burst of requests.

A 10,000-request demo run holds every request, socket and task at once: the server grew from
about 100 MB to 230-245 MB and stayed there after the run, because CPython's allocator and
glibc's keep what was freed for reuse. A full collection (which also empties CPython's free
lists) and glibc's `malloc_trim` hand it back: 132-143 MB a few seconds after each of three
such runs in a row, 167-175 MB after bench/bench_demo_run.py's (which follows other runs).
It costs the server's loop 6-20 ms, once per run.

While a run is in flight the garbage collector is paused (`collector_paused`): its thousands
of waiting requests are all alive, and every young collection walked them again (a
10,000-request run's server spent 2.6-2.9 s of CPU with the collector paused, 2.9-3.1 s
without). What the pages served meanwhile leave behind is collected when the run ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
from collections.abc import Iterator

# Runs in flight that asked for the pause, and whether the collector ran before the first.
_pauses = 0
_enabled_before = False
_pauses_lock = threading.Lock()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic garbage collection while any caller is inside (runs overlap); as before
    once all have left."""
    global _pauses, _enabled_before
    with _pauses_lock:
        if _pauses == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses -= 1
            if _pauses == 0 and _enabled_before:
                gc.enable()


def memory_release() -> None:
    """A full collection, then glibc's trim. Not while a run is in flight: the collection
    would walk each of its waiting requests (0.3 s of the server's loop, measured, in the
    middle of a 10,000-request run); that run asks for its own release when it ends."""
    if _pauses:
        return
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except AttributeError:  # not glibc (macOS, musl): the collection is all there is
        return
    trim(0)
