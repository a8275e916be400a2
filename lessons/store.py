"""The last good version of each lesson, kept on disk so that it survives a restart.

Without it, a server started while a lesson file is broken (or renamed) would have no version
of that lesson to serve, and every learner's attempts at it would go offline. Each good parse
is written to `settings.LESSON_CACHE_DIR/<slug>.pickle` (a directory under the project,
ignored by git); a restart with a broken file reads it back.

The file is this site's own (written by this code, under the project), never learner input,
which is what makes pickle acceptable here. Entries written by another shape of the lesson
classes are ignored rather than half-read.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import tempfile
from pathlib import Path

from django.conf import settings

from checker import CheckSpec, Mistake
from lessons.types import Concept, Lesson, Option, Question, Step

logger = logging.getLogger(__name__)

# The classes a stored lesson is made of, by their fields: a change makes old entries stale.
SHAPE = tuple(
    (kind.__name__, tuple(field.name for field in dataclasses.fields(kind)))
    for kind in (Lesson, Step, Question, Option, Concept, CheckSpec, Mistake)
)


def store_dir() -> Path:
    return Path(settings.LESSON_CACHE_DIR)


def lesson_stored_put(lesson: Lesson) -> None:
    """Keep this good version (best effort: a read-only disk only loses the restart safety)."""
    directory = store_dir()
    target = directory / f"{lesson.slug}.pickle"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps({"shape": SHAPE, "lesson": lesson})
        if target.is_file() and target.read_bytes() == data:
            return
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except (OSError, pickle.PicklingError) as error:
        logger.warning("Cannot keep the last good version of %s: %s", lesson.slug, error)


def lesson_stored_get(*, slug: str) -> Lesson | None:
    path = store_dir() / f"{slug}.pickle"
    try:
        data = pickle.loads(path.read_bytes())  # noqa: S301 - the site's own file, see above
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
        logger.warning("Ignoring the stored version of %s: %s", slug, error)
        return None
    if not isinstance(data, dict) or data.get("shape") != SHAPE:
        return None
    lesson = data.get("lesson")
    return lesson if isinstance(lesson, Lesson) and lesson.slug == slug else None
