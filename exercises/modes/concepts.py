"""Concepts: the lesson's ideas to read, ending with a short self-check.

A lesson's own `concepts` (added to the format by the course work) come first when the file has
them; every lesson has a scenario, a goal, what it teaches and why it matters, which is what
this mode shows otherwise. The self-check is the first few practice questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from exercises.modes.review import _concept_parts
from lessons.types import Lesson, Option, Question

SELF_CHECK_SIZE = 3


@dataclass(frozen=True)
class Section:
    title: str
    html: str


@dataclass(frozen=True)
class SelfCheckAnswer:
    question: Question
    chosen: Option | None

    @property
    def correct(self) -> bool:
        return self.chosen is not None and self.chosen.correct


def concept_sections(lesson: Lesson) -> list[Section]:
    sections = [Section(*_concept_parts(concept)) for concept in getattr(lesson, "concepts", ())]
    sections = [section for section in sections if section.title and section.html]
    if sections:
        return sections
    learn = "".join(f"<li>{item}</li>" for item in lesson.learn_html)
    return [
        Section("The scenario", lesson.scenario_html),
        Section("The goal", lesson.goal_html),
        Section("What you'll learn", f'<ul class="checklist">{learn}</ul>' if learn else ""),
        Section("Why it matters", lesson.real_world_html + lesson.career_html),
    ]


def self_check_questions(lesson: Lesson) -> tuple[Question, ...]:
    return (lesson.practice_questions or lesson.questions)[:SELF_CHECK_SIZE]


def self_check_grade(*, lesson: Lesson, post: Mapping[str, str]) -> list[SelfCheckAnswer]:
    return [
        SelfCheckAnswer(question, question.option(post.get(f"q-{question.id}", "")))
        for question in self_check_questions(lesson)
    ]
