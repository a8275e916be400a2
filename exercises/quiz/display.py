"""What a learner sees of a question, before answering and after.

Integrity rule: what a learner sees before answering is built as a `QuestionView`, which
carries no trace of which option is right (no option ids either: forms post the displayed
letter, mapped back to an option on the server). Only `QuestionReview`, built after an answer
or a submitted test, holds feedback, solutions and the right option.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lessons.options import option_letters, option_references_resolve
from lessons.types import Difficulty, Question


@dataclass(frozen=True)
class OptionView:
    letter: str
    text_html: str


@dataclass(frozen=True)
class QuestionView:
    """A question as shown before it is answered: nothing here says which option is right."""

    number: int
    field: str
    difficulty: Difficulty
    prompt_html: str
    hint_html: str
    options: tuple[OptionView, ...]
    # The learner's own (not yet graded) choice, to keep a radio checked.
    chosen_letter: str | None = None


@dataclass(frozen=True)
class OptionReview:
    letter: str
    text_html: str
    right: bool
    chosen: bool
    feedback_html: str


@dataclass(frozen=True)
class QuestionReview:
    """A question after it is answered: the verdict, feedback and worked solution, with
    letters as the learner saw them."""

    view: QuestionView
    answered: bool
    correct: bool
    chosen: OptionReview | None
    right: OptionReview
    options: tuple[OptionReview, ...]
    solution_html: tuple[str, ...]
    quick_check_html: str
    common_mistakes_html: tuple[str, ...]


def question_option_order(question: Question, stored: Sequence[str] | None = None) -> list[str]:
    """Option ids in display order: the stored order (of a test attempt) or the bank's.

    Options that no longer exist are dropped and new ones appended, so an attempt stays
    readable after the instructor edits the question.
    """
    ids = [option.id for option in question.options]
    if stored is None:
        return ids
    kept = [option_id for option_id in stored if option_id in ids]
    return kept + [option_id for option_id in ids if option_id not in kept]


def question_view(
    question: Question,
    *,
    order: Sequence[str],
    number: int,
    field: str,
    chosen: str | None = None,
) -> QuestionView:
    letters = option_letters(list(order))
    options = []
    for option_id in order:
        option = question.option(option_id)
        if option is not None:
            options.append(OptionView(letter=letters[option_id], text_html=option.text_html))
    return QuestionView(
        number=number,
        field=field,
        difficulty=question.difficulty,
        prompt_html=option_references_resolve(question.prompt_html, question, letters),
        hint_html=option_references_resolve(question.hint_html, question, letters),
        options=tuple(options),
        chosen_letter=letters.get(chosen) if chosen else None,
    )


def question_review(
    question: Question,
    *,
    order: Sequence[str],
    number: int,
    field: str,
    chosen: str | None,
) -> QuestionReview:
    letters = option_letters(list(order))
    chosen = chosen if chosen in letters else None
    options = []
    for option_id in order:
        option = question.option(option_id)
        if option is None:
            continue
        options.append(
            OptionReview(
                letter=letters[option_id],
                text_html=option.text_html,
                right=option.correct,
                chosen=option_id == chosen,
                feedback_html=option_references_resolve(option.feedback_html, question, letters),
            )
        )
    right = next(option for option in options if option.right)
    picked = next((option for option in options if option.chosen), None)
    return QuestionReview(
        view=question_view(question, order=order, number=number, field=field, chosen=chosen),
        answered=picked is not None,
        correct=picked is not None and picked.right,
        chosen=picked,
        right=right,
        options=tuple(options),
        solution_html=tuple(
            option_references_resolve(step, question, letters) for step in question.solution_html
        ),
        quick_check_html=option_references_resolve(question.quick_check_html, question, letters),
        common_mistakes_html=tuple(
            option_references_resolve(text, question, letters)
            for text in question.common_mistakes_html
        ),
    )


def option_for_letter(order: Sequence[str], letter: object) -> str | None:
    """The option id behind a displayed letter; None for anything else (forged input)."""
    if not isinstance(letter, str):
        return None
    by_letter = {value: key for key, value in option_letters(list(order)).items()}
    return by_letter.get(letter)
