"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Written by hand next to the views it describes; the test suite validates the document and
checks real responses of every endpoint against it (tests/exercises/test_openapi.py), so it
cannot drift from what the views answer.
"""

from __future__ import annotations

import copy
from typing import Any

from checker import MAX_SUBMISSION_BYTES

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


def _strings() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}}


SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The lesson's slug, e.g. why-async-matters.",
    "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
}
STEP = {
    "name": "step",
    "in": "path",
    "required": True,
    "description": "The step number (1, 2, ...).",
    "schema": {"type": "string"},
}
# The key is optional: without it, the quiz endpoints cover the practice questions only.
KEY_OPTIONAL: list[dict[str, list[str]]] = [{}, {"apiKey": []}]

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string", "description": "What is wrong, in plain words."},
            "unknown_questions": _strings(),
            "unknown_options": {"type": "object", "additionalProperties": {"type": "string"}},
            "questions": _strings(),
            "key_required": {
                **_strings(),
                "description": "Questions outside the practice set, answered without a key.",
            },
            "unexpected": _strings(),
        },
    },
    "Option": {
        "type": "object",
        "required": ["id", "text"],
        "additionalProperties": False,
        "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
    },
    "Question": {
        "type": "object",
        "required": ["id", "difficulty", "prompt", "options"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "difficulty": {"enum": ["easy", "medium", "hard"]},
            "prompt": {"type": "string", "description": "Plain text."},
            "options": {"type": "array", "items": _ref("Option"), "minItems": 2},
        },
    },
    "Questions": {
        "type": "object",
        "required": ["questions"],
        "additionalProperties": False,
        "properties": {"questions": {"type": "array", "items": _ref("Question")}},
    },
    "GradeRequest": {
        "type": "object",
        "required": ["answers"],
        "properties": {
            "answers": {
                "type": "object",
                "minProperties": 1,
                "description": "Question id to the chosen option id.",
                "additionalProperties": {"type": "string"},
            }
        },
    },
    "Result": {
        "type": "object",
        "required": [
            "id",
            "difficulty",
            "correct",
            "chosen",
            "right_option",
            "feedback",
            "solution",
            "quick_check",
            "common_mistakes",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "difficulty": {"enum": ["easy", "medium", "hard"]},
            "correct": {"type": "boolean"},
            "chosen": {"type": "string"},
            "right_option": {"type": "string"},
            "feedback": {"type": "string", "description": "About the chosen option; may be ''."},
            "solution": _strings(),
            "quick_check": {"type": "string"},
            "common_mistakes": _strings(),
        },
    },
    "Grade": {
        "type": "object",
        "required": ["score", "total", "results"],
        "additionalProperties": False,
        "properties": {
            "score": {"type": "integer", "minimum": 0},
            "total": {"type": "integer", "minimum": 1, "description": "Questions answered."},
            "results": {"type": "array", "items": _ref("Result")},
        },
    },
    "CheckRequest": {
        "type": "object",
        "required": ["code"],
        "additionalProperties": False,
        "properties": {
            "code": {
                "type": "string",
                "description": f"Python source, at most {MAX_SUBMISSION_BYTES:,} bytes as "
                "UTF-8, 500 lines and 1,000 characters a line. Parsed, never run.",
            }
        },
    },
    "Feedback": {
        "type": "object",
        "required": ["label", "passed", "message", "line", "column", "kind"],
        "additionalProperties": False,
        "properties": {
            "label": {"type": "string"},
            "passed": {"type": "boolean"},
            "message": {"type": "string"},
            "line": {"type": ["integer", "null"]},
            "column": {"type": ["integer", "null"]},
            "kind": {"enum": ["check", "diagnostic", "syntax", "refused"]},
        },
    },
    "CheckReport": {
        "type": "object",
        "description": "What `manage.py check_code` prints, too.",
        "required": ["lesson", "step", "passed", "status", "feedback"],
        "additionalProperties": False,
        "properties": {
            "lesson": {"type": "string"},
            "step": {
                "type": ["integer", "string"],
                "description": "The step number; as sent when there is no such step.",
            },
            "passed": {"type": "boolean"},
            "status": {"enum": ["passed", "failed", "syntax_error", "refused"]},
            "feedback": {"type": "array", "items": _ref("Feedback")},
            "error": {"type": "string", "description": "Why the input was refused."},
        },
    },
}

PATHS: dict[str, Any] = {
    "/api/lessons/{slug}/quiz/": {
        "get": {
            "operationId": "quizQuestions",
            "summary": "The lesson's questions, without their answers",
            "description": "Without an API key, the practice questions only; with one, the "
            "whole bank (the graded test draws from it).",
            "parameters": [SLUG],
            "security": KEY_OPTIONAL,
            "responses": {
                "200": _json(_ref("Questions"), "The questions, in the bank's order."),
                "401": _error("An Authorization header that names no active key."),
                "404": _error("No such lesson."),
            },
        }
    },
    "/api/lessons/{slug}/quiz/grade/": {
        "post": {
            "operationId": "quizGrade",
            "summary": "Grade answers (stateless: nothing is recorded)",
            "parameters": [SLUG],
            "security": KEY_OPTIONAL,
            "requestBody": {"required": True, "content": {JSON: {"schema": _ref("GradeRequest")}}},
            "responses": {
                "200": _json(_ref("Grade"), "The verdict for each question answered."),
                "400": _error(
                    "Not JSON or not UTF-8, the wrong shape, an empty or non-string answer, "
                    "unknown question or option ids (named)."
                ),
                "401": _error("An Authorization header that names no active key."),
                "403": _error(
                    "Without a key: answers for questions outside the practice set "
                    "(named in key_required)."
                ),
                "404": _error("No such lesson."),
                "413": _error("The body is over 64 KB."),
            },
        }
    },
    "/api/lessons/{slug}/steps/{step}/check/": {
        "post": {
            "operationId": "codeCheck",
            "summary": "Check code for a step, as `manage.py check_code` does",
            "description": "The code is parsed, never run. A step passes when its checks and "
            "those of every earlier step hold. Stateless: nothing is recorded.",
            "parameters": [SLUG, STEP],
            "security": [{}],
            "requestBody": {"required": True, "content": {JSON: {"schema": _ref("CheckRequest")}}},
            "responses": {
                "200": _json(_ref("CheckReport"), "The verdict, passed or not."),
                "400": _json(
                    {"anyOf": [_ref("CheckReport"), _ref("Error")]},
                    "Refused input: the body is not JSON or has the wrong shape (an Error), "
                    "or the code is not text the checker takes (a CheckReport with `error`).",
                ),
                "404": _json(_ref("CheckReport"), "No such lesson or step (`error` says)."),
                "413": _json(
                    {"anyOf": [_ref("CheckReport"), _ref("Error")]},
                    f"The body or the code is too big (code: over {MAX_SUBMISSION_BYTES:,} bytes).",
                ),
            },
        }
    },
    "/api/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This description",
            "security": [{}],
            "responses": {"200": {"description": "OpenAPI 3.1", "content": {JSON: {}}}},
        }
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Async in Action: the auto-grading API",
        "version": "1",
        "description": "Stateless JSON endpoints for auto-grading clients: no session, no "
        "cookie, no CSRF token. Errors are JSON objects with an `error` message (a method "
        "not listed here is a 405 naming the right one in `Allow`). Staff create "
        "API keys in the admin (/admin/, API keys); send one as `Authorization: Bearer <key>`.",
    },
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "apiKey": {
                "type": "http",
                "scheme": "bearer",
                "description": "An API key from the admin.",
            }
        },
    },
}


def openapi_document() -> dict[str, Any]:
    # A copy: a caller may not change what every later request is served.
    return copy.deepcopy(DOCUMENT)
