"""Option letters and `[[option-id]]` references: the one place both are resolved.

Options are referred to by identity in lesson files, `[[option-id]]`, because the letter a
learner sees depends on the order the options are shown in (the test shuffles them). Every
rendered text of a question (prompt, option feedback, solution, hint, quick check, common
mistakes) goes through `option_references_resolve` before a learner sees it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from lessons.types import Question

OPTION_REFERENCE = re.compile(r"\[\[([a-z0-9][a-z0-9-]*)\]\]")


def option_letters(option_ids: list[str]) -> dict[str, str]:
    """Letters in display order: the first option shown is A."""
    return {option_id: chr(ord("A") + index) for index, option_id in enumerate(option_ids)}


def option_references_resolve(
    text_html: str, question: Question, letters: Mapping[str, str]
) -> str:
    """Replace `[[option-id]]` with the letter and text the learner actually sees."""

    def replace(match: re.Match[str]) -> str:
        option = question.option(match.group(1))
        if option is None:
            return html.escape(match.group(0))
        letter = letters.get(option.id, "?")
        return f'<span class="option-ref"><strong>{letter}</strong> (“{option.text_html}”)</span>'

    return OPTION_REFERENCE.sub(replace, text_html)
