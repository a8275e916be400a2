"""The lesson file format: markdown with front matter and a few heading conventions (the
README's "Writing a lesson" is the instructors' reference). `sections` reads the file's
structure; `parser` gives it meaning and builds the `Lesson`."""

from lessons.format.parser import lesson_file_load, lesson_parse

__all__ = ["lesson_file_load", "lesson_parse"]
