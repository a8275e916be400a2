"""The garbage collector around server-fired runs: paused while any run is in flight (their
waiting requests are all alive), as it was once the last one ends, and no full collection in
the middle of a run."""

from __future__ import annotations

import gc

import pytest

from course import memory


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_overlapping_runs_pause_the_collector_until_the_last_one_ends(collector_on):
    first = memory.collector_paused()
    second = memory.collector_paused()
    first.__enter__()
    assert not gc.isenabled()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled(), "the second run is still in flight"
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    was = gc.isenabled()
    gc.disable()
    try:
        with memory.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_a_failed_run_still_resumes_the_collector(collector_on):
    with pytest.raises(RuntimeError), memory.collector_paused():
        raise RuntimeError("the client process died")
    assert gc.isenabled()


def test_no_full_collection_while_a_run_is_in_flight(collector_on, monkeypatch):
    collections: list[int] = []

    def collect(*args: int) -> int:
        collections.append(1)
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    with memory.collector_paused():
        memory.memory_release()
    assert collections == []
    memory.memory_release()
    assert collections == [1]
