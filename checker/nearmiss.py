"""Why an expected pattern is missing: the learner's nearest attempt, named and located.

Each finder looks for one kind of near miss; the first that finds one explains the failure.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from checker.diagnostics import (
    AWAIT_OUTSIDE,
    COMPARED,
    UNAWAITED,
    UNDEFINED,
    UNREACHABLE,
    Topic,
    where,
)
from checker.patterns import (
    KNOWN_BARE_NAMES,
    Pattern,
    candidate_types,
    compare,
    pattern_compile,
    plain_dotted,
)
from checker.tree import CodeIndex, NodeInfo, dotted_name

RESPONSE_CLASSES = frozenset({"django.http.HttpResponse", "django.http.JsonResponse"})
DefNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Explanation:
    text: str
    node: ast.AST
    # (line, topic) pairs this explanation already covers, so diagnostics need not repeat them.
    claims: frozenset[tuple[int, Topic]] = field(default_factory=frozenset)

    @property
    def line(self) -> int | None:
        return getattr(self.node, "lineno", None)

    @property
    def column(self) -> int | None:
        column = getattr(self.node, "col_offset", None)
        return None if column is None else column + 1


@dataclass(frozen=True)
class Search:
    """One expect check's search, shared by the finders."""

    pattern: Pattern
    after: Pattern | None
    inside: str | None
    index: CodeIndex
    found: list[NodeInfo]
    in_scope: list[NodeInfo]
    after_found: list[NodeInfo]


# Scope words `Inside:` takes besides a function name.
SCOPE_WORDS = ("module", "async def", "def", "except")


def scope_parts(inside: str | None) -> list[str]:
    """`Inside: slow_view, except` is both: in the except handler of `slow_view`."""
    if inside is None:
        return []
    return [part.strip() for part in inside.split(",") if part.strip()]


def in_scope(info: NodeInfo, inside: str | None) -> bool:
    if info.dead:
        return False  # never runs on import, so it counts nowhere
    return all(in_one_scope(info, part) for part in scope_parts(inside))


def in_one_scope(info: NodeInfo, inside: str) -> bool:
    if inside == "module":
        return not info.owners
    if inside == "async def":
        return any(isinstance(owner, ast.AsyncFunctionDef) for owner in info.owners)
    if inside == "def":
        return isinstance(info.function, ast.FunctionDef)
    if inside == "except":
        return info.in_handler
    # Directly inside it: code in a function nested within runs only if that is called.
    function = info.function
    return isinstance(function, DefNode) and function.name == inside


def scope_description(inside: str | None) -> str:
    words = {
        "module": "at the top level of the file",
        "async def": "inside an `async def`",
        "def": "inside a plain `def`",
        "except": "inside an `except` block",
    }
    parts = [words.get(part, f"inside `{part}`") for part in scope_parts(inside)]
    return " and ".join(parts) or "anywhere"


def comes_after(info: NodeInfo, earlier: list[NodeInfo]) -> bool:
    return any(other.function is info.function and other.end <= info.start for other in earlier)


def near_miss(search: Search) -> Explanation | None:
    finders: list[Callable[[Search], Explanation | None]] = [
        outside_scope,
        out_of_order,
        missing_await,
        wrong_def,
        misspelt_import,
        compared_instead,
        one_difference,
    ]
    for finder in finders:
        explanation = finder(search)
        if explanation is not None:
            return explanation
    return None


def verb(node: ast.AST) -> str:
    return "sets" if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) else "has"


def outside_scope(search: Search) -> Explanation | None:
    if not search.found or search.in_scope:
        return None
    info = search.found[0]
    line, quoted = info.start[0], search.index.quote(info.node)
    if info.dead:
        text = (
            f"Line {line} has `{quoted}`, but under `if False:` or "
            '`if __name__ == "__main__":`, which never runs when Django imports the file.'
        )
        return Explanation(text, info.node)
    if search.inside == "module":
        text = (
            f"Line {line} {verb(info.node)} `{quoted}` {where(info)}; "
            "it must be at the top level of the file."
        )
        return Explanation(text, info.node)
    parts = scope_parts(search.inside)
    if len(parts) == 1 and parts[0] not in ("def", "except"):
        wanted = "any `async def`" if parts[0] == "async def" else f"`{parts[0]}`"
        text = f"Line {line} has `{quoted}`, but outside {wanted} ({where(info)})."
    else:
        wanted = scope_description(search.inside)
        text = f"Line {line} has `{quoted}` {where(info)}; it must be {wanted}."
    claims: frozenset[tuple[int, Topic]] = frozenset()
    if isinstance(info.node, ast.Await) and not info.in_async_function:
        text += " `await` only works inside an `async def`."
        claims = frozenset({(line, AWAIT_OUTSIDE)})
    return Explanation(text, info.node, claims)


def out_of_order(search: Search) -> Explanation | None:
    if search.after is None or not search.in_scope:
        return None
    info = search.in_scope[0]
    line, quoted = info.start[0], search.index.quote(info.node)
    later = [other for other in search.after_found if other.start > info.start]
    if not later:
        text = f"Line {line} has `{quoted}`, but no `{search.after.quote()}` comes before it."
        return Explanation(text, info.node)
    is_await = isinstance(search.after.root, ast.Await)
    after = "the `await`" if is_await else f"`{search.after.quote()}`"
    after_line = later[0].start[0]
    if isinstance(info.node, ast.Return):
        claims = frozenset({(line, UNREACHABLE)}) if is_await else frozenset()
        text = f"Line {line} returns before {after} on line {after_line}."
        return Explanation(text, info.node, claims)
    text = f"Line {line} has `{quoted}` before {after} on line {after_line}; it must come after it."
    return Explanation(text, info.node)


def missing_await(search: Search) -> Explanation | None:
    root = search.pattern.root
    if not isinstance(root, ast.Await):
        return None
    calls = [
        info
        for info in search.index.of_types(candidate_types(root.value))
        if not isinstance(info.parent, ast.Await) and in_scope(info, search.inside)
    ]
    for info in calls:
        if compare(root.value, info.node, search.index) == []:
            line = info.start[0]
            text = (
                f"Line {line} calls `{search.index.quote(info.node)}` without `await`, so "
                "nothing waits."
            )
            return Explanation(text, info.node, frozenset({(line, UNAWAITED)}))
    for info in calls:
        if same_name_elsewhere(root.value, info.node, search.index):
            text = (
                f"Line {info.start[0]} calls `{search.index.quote(info.node)}`; "
                f"expected `{search.pattern.quote()}`."
            )
            return Explanation(text, info.node)
    return None


def same_name_elsewhere(wanted: ast.expr, found: ast.AST, index: CodeIndex) -> bool:
    """`time.sleep(x)` for `asyncio.sleep(x)`: the same call from another module."""
    if not (isinstance(wanted, ast.Call) and isinstance(found, ast.Call)):
        return False
    differences = compare(wanted, found, index, tolerance=1)
    if differences != [(wanted.func, found.func)]:
        return False
    wanted_name, found_name = plain_dotted(wanted.func), dotted_name(found.func)
    if wanted_name is None or found_name is None:
        return False
    return wanted_name.rpartition(".")[2] == found_name.rpartition(".")[2]


def wrong_def(search: Search) -> Explanation | None:
    root = search.pattern.root
    if not isinstance(root, DefNode) or root.name == "__":
        return None
    for info in search.index.of_types((ast.FunctionDef, ast.AsyncFunctionDef)):
        node = info.node
        if not isinstance(node, DefNode) or node.name != root.name:
            continue
        header = def_header(search.index.lines, node)
        if not in_scope(info, search.inside):
            place = (
                "at the top level of the file"
                if search.inside == "module"
                else f"inside `{search.inside}`"
            )
            text = f"Line {node.lineno} defines `{header}` {where(info)}; it must be {place}."
            return Explanation(text, node)
        swapped = other_kind(search.pattern.source)
        if swapped is not None and compare(swapped, node, search.index) == []:
            wrong, right = (
                ("plain `def`", "`async def`")
                if isinstance(node, ast.FunctionDef)
                else ("`async def`", "a plain `def`")
            )
            text = f"Line {node.lineno} defines `{header}` with {wrong}; it must be {right}."
            return Explanation(text, node)
        wanted = def_header(search.pattern.source.splitlines(), root)
        return Explanation(f"Line {node.lineno} defines `{header}`; expected `{wanted}`.", node)
    for info in search.index.of_types((ast.FunctionDef, ast.AsyncFunctionDef)):
        node = info.node
        if isinstance(node, DefNode) and is_typo(node.name, root.name) and not info.dead:
            text = (
                f"Line {node.lineno} defines `{node.name}`: your `{node.name}` is a typo for "
                f"`{root.name}`. "
                f"Name it `{root.name}`."
            )
            return Explanation(text, node)
    return None


def is_typo(found: str, wanted: str) -> bool:
    """Two different names a letter or two apart (`asycio`, `asyncio`)."""
    if found == wanted or min(len(found), len(wanted)) < 3:
        return False
    return difflib.SequenceMatcher(None, found, wanted).ratio() >= 0.8


def misspelt_import(search: Search) -> Explanation | None:
    """`import asycio` for `import asyncio`; `from django.http import HttpRespone`."""
    root = search.pattern.root
    if not isinstance(root, ast.Import | ast.ImportFrom):
        return None
    wanted = {alias.name for alias in root.names} - {"__"}
    module = root.module if isinstance(root, ast.ImportFrom) else None
    for info in search.index.of_types((ast.Import, ast.ImportFrom)):
        node = info.node
        assert isinstance(node, ast.Import | ast.ImportFrom)
        line = node.lineno
        if module is not None and isinstance(node, ast.ImportFrom) and node.module:
            if is_typo(node.module, module):
                text = (
                    f"Line {line} imports from `{node.module}`: your `{node.module}` is a "
                    f"typo for `{module}`."
                )
                return Explanation(text, node, frozenset({(line, UNDEFINED)}))
            if node.module != module:
                continue
        elif module is not None or not isinstance(node, ast.Import):
            continue
        for alias in node.names:
            for name in wanted:
                if is_typo(alias.name, name):
                    text = (
                        f"Line {line} imports `{alias.name}`: your `{alias.name}` is a typo "
                        f"for `{name}`."
                    )
                    return Explanation(text, node)
    return None


def compared_instead(search: Search) -> Explanation | None:
    """`WAIT_TIME == 3` for `WAIT_TIME = 3`."""
    root = search.pattern.root
    if not (isinstance(root, ast.Assign) and len(root.targets) == 1):
        return None
    for info in search.index.of_types((ast.Compare,)):
        node = info.node
        assert isinstance(node, ast.Compare)
        if not (isinstance(info.parent, ast.Expr) and len(node.ops) == 1):
            continue
        if not isinstance(node.ops[0], ast.Eq) or not in_scope(info, search.inside):
            continue
        if compare(root.targets[0], node.left, search.index) != []:
            continue
        line = info.start[0]
        text = (
            f"Line {line} compares `{search.index.quote(node)}` (`==` asks whether two values "
            "are equal); to set it, use one `=`."
        )
        return Explanation(text, node, frozenset({(line, COMPARED)}))
    return None


def def_header(lines: list[str], node: DefNode) -> str:
    """`async def slow_view(request)`: the def line without its colon or body."""
    if node.lineno > len(lines):
        return node.name
    text = lines[node.lineno - 1]
    if node.body and node.body[0].lineno == node.lineno:
        text = text.encode("utf-8")[: node.body[0].col_offset].decode("utf-8", "replace")
    text = " ".join(text.split()).rstrip(":").rstrip()
    return text if len(text) <= 70 else text[:69] + "…"


@lru_cache(maxsize=256)
def other_kind(source: str) -> ast.AST | None:
    """The def pattern with `def` and `async def` swapped."""
    root = pattern_compile(source).root
    if not isinstance(root, DefNode):
        return None
    kind = ast.FunctionDef if isinstance(root, ast.AsyncFunctionDef) else ast.AsyncFunctionDef
    return kind(**{name: getattr(root, name) for name in root._fields})


def one_difference(search: Search) -> Explanation | None:
    root = search.pattern.root
    if isinstance(root, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    for info in search.index.of_types(search.pattern.candidate_types):
        if not in_scope(info, search.inside):
            continue
        differences = compare(root, info.node, search.index, tolerance=1)
        if differences:
            wanted, found = differences[0]
            text = difference_text(search, info, wanted, found)
            claims: frozenset[tuple[int, Topic]] = frozenset()
            wanted_name, found_name = plain_dotted(wanted), dotted_name(found)
            if wanted_name and found_name and is_typo(found_name, wanted_name):
                text = typo_text(search, info, found_name, wanted_name) or text
                claims = frozenset({(info.start[0], UNDEFINED)})
            return Explanation(text, found, claims)
    return None


def typo_text(search: Search, info: NodeInfo, found: str, wanted: str) -> str | None:
    """`asycio.sleep` for `asyncio.sleep`: name the learner's misspelt part and the fix."""
    pairs = [
        (mine, meant)
        for mine, meant in zip(found.split("."), wanted.split("."), strict=False)
        if mine != meant
    ]
    if len(pairs) != 1 or len(found.split(".")) != len(wanted.split(".")):
        return None
    mine, meant = pairs[0]
    line = info.start[0]
    if meant == f"a{mine}":
        # `get` for `aget`, `save` for `asave`: not a slip of the keyboard but Django's sync
        # method where its async twin was meant.
        return (
            f"Line {line} has `{search.index.quote(info.node)}`: `{mine}` is Django's sync "
            f"method; in `async def` use its async twin `{meant}`, awaited."
        )
    return (
        f"Line {line} has `{search.index.quote(info.node)}`: your `{mine}` is a typo for `{meant}`."
    )


def difference_text(search: Search, info: NodeInfo, wanted: ast.expr, found: ast.expr) -> str:
    index, node, line = search.index, info.node, info.start[0]
    value = getattr(node, "value", None) if isinstance(node, ast.stmt) else None
    expected = search.pattern.quote(wanted)
    note = type_note(wanted, found)
    if isinstance(node, ast.Return) and found is value:
        if is_plain_string(found) and isinstance(wanted, ast.Call):
            response = response_name(wanted)
            if response is not None:
                return f"Line {line} returns a plain string; a view must return an `{response}`."
        return f"Line {line} returns `{index.quote(found)}`{note}; expected `{expected}`."
    if isinstance(node, ast.Return) and value is not None:
        shown = f"returns `{index.quote(value)}`"
    else:
        shown = f"{verb(node)} `{index.quote(node)}`"
    if found is value:
        return f"Line {line} {shown}{note}; expected `{expected}`."
    return f"Line {line} {shown}: `{index.quote(found)}`{note} should be `{expected}`."


def is_plain_string(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        or isinstance(node, ast.JoinedStr)
    )


def response_name(call: ast.Call) -> str | None:
    name = plain_dotted(call.func)
    if name is None or KNOWN_BARE_NAMES.get(name, name) not in RESPONSE_CLASSES:
        return None
    return name.rpartition(".")[2]


def type_note(wanted: ast.expr, found: ast.expr) -> str:
    if not (isinstance(wanted, ast.Constant) and isinstance(found, ast.Constant)):
        return ""
    wanted_kind, found_kind = constant_kind(wanted.value), constant_kind(found.value)
    return "" if wanted_kind == found_kind else f" ({found_kind})"


def constant_kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | complex):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "`None`"
    return f"a {type(value).__name__}"
