"""The lab's modes and the lessons that show them agree."""

from __future__ import annotations

from demo.modes import MODES
from lessons.demos import demo_modes_known
from lessons.selectors import lesson_get


def test_the_demo_app_registers_every_mode_for_the_lessons_demo_lines() -> None:
    assert demo_modes_known() == {key: mode.label for key, mode in MODES.items()}


def test_each_mode_is_shown_by_the_lesson_it_names() -> None:
    for key, mode in MODES.items():
        lesson = lesson_get(slug=mode.lesson)
        assert lesson is not None, mode.lesson
        assert key in lesson.demo, (key, lesson.slug)
