"""Giving memory back to the operating system after a burst of requests.

A 10,000-request demo run holds every request, socket and task at once: the server grew from
about 100 MB to 230-245 MB and stayed there after the run, because CPython's allocator and
glibc's keep what was freed for reuse. A full collection (which also empties CPython's free
lists) and glibc's `malloc_trim` hand it back: 132-143 MB a few seconds after each of three
such runs in a row, 167-175 MB after bench/bench_demo_run.py's (which follows other runs).
It costs the server's loop 6-20 ms, once per run.
"""

from __future__ import annotations

import ctypes
import gc


def memory_release() -> None:
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except AttributeError:  # not glibc (macOS, musl): the collection is all there is
        return
    trim(0)
