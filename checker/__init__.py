"""The structural code checker: a plain Python library, no Django.

Learner code is parsed with `ast` and compared with instructor patterns; it is never run.
The public API is re-exported here; the modules below it are the checker's own parts.
"""

from checker.check import pattern_problems, submission_check
from checker.limits import MAX_SUBMISSION_BYTES, submission_refusal
from checker.spec import CheckKind, CheckSpec, Mistake
from checker.verdict import Feedback, FeedbackKind, Status, Verdict

__all__ = [
    "MAX_SUBMISSION_BYTES",
    "CheckKind",
    "CheckSpec",
    "Feedback",
    "FeedbackKind",
    "Mistake",
    "Status",
    "Verdict",
    "pattern_problems",
    "submission_check",
    "submission_refusal",
]
