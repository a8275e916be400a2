"""Built-in diagnostics: async mistakes worth pointing out whatever the lesson checks."""

from __future__ import annotations

import ast
import builtins
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checker.tree import CodeIndex, NodeInfo, dotted_name

Topic = str
BLOCKING = "blocking"
UNAWAITED = "unawaited"
AWAIT_OUTSIDE = "await-outside"
UNDEFINED = "undefined-name"
UNREACHABLE = "unreachable-await"
REDEFINED = "redefined"
FALLS_OFF = "falls-off-the-end"
SHADOWED = "shadowed"

# More of one kind adds noise, not help; the first few point the way.
MAX_PER_TOPIC = 5

ASYNC_HTTP = "an async HTTP client such as `httpx.AsyncClient`, and `await` its calls"
SUBPROCESS = "`await asyncio.create_subprocess_exec(...)`"
BLOCKING_CALLS: dict[str, str] = {
    "time.sleep": "`await asyncio.sleep(...)`",
    "urllib.request.urlopen": ASYNC_HTTP,
    **{
        f"requests.{verb}": ASYNC_HTTP
        for verb in ("get", "post", "put", "delete", "patch", "head", "request")
    },
    **{f"subprocess.{name}": SUBPROCESS for name in ("run", "call", "check_output")},
}
COROUTINE_FUNCTIONS = frozenset({"asyncio.sleep", "asyncio.gather", "asyncio.wait_for"})
# Calls that take a coroutine and run it (or hand it to something that will).
COROUTINE_RUNNERS = frozenset(
    {
        "create_task",
        "ensure_future",
        "gather",
        "wait_for",
        "wait",
        "shield",
        "run",
        "run_until_complete",
        "run_coroutine_threadsafe",
        "as_completed",
        "async_to_sync",
        "timeout",
    }
)
IMPORT_ADVICE = {
    "asyncio": "import asyncio",
    "time": "import time",
    "HttpResponse": "from django.http import HttpResponse",
    "JsonResponse": "from django.http import JsonResponse",
    "sync_to_async": "from asgiref.sync import sync_to_async",
    "httpx": "import httpx",
}
MODULE_NAMES = frozenset(
    {
        "__name__",
        "__file__",
        "__doc__",
        "__builtins__",
        "__spec__",
        "__loader__",
        "__package__",
        "__path__",
        "__annotations__",
        "__dict__",
        "__class__",
        "__module__",
        "__qualname__",
        "__debug__",
    }
)
BUILTIN_NAMES = frozenset(dir(builtins)) | MODULE_NAMES


@dataclass(frozen=True)
class Diagnostic:
    label: str
    message: str
    node: ast.AST
    topic: Topic

    @property
    def line(self) -> int | None:
        return getattr(self.node, "lineno", None)

    @property
    def column(self) -> int | None:
        column = getattr(self.node, "col_offset", None)
        return None if column is None else column + 1


def diagnostics_find(index: CodeIndex) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    finders = (
        blocking_calls,
        unawaited_calls,
        awaits_outside,
        undefined_names,
        unreachable,
        redefinitions,
        shadowed_settings,
        falls_off_the_end,
    )
    for finder in finders:
        found.extend(item for _, item in zip(range(MAX_PER_TOPIC), finder(index), strict=False))
    return found


def where(info: NodeInfo) -> str:
    function = info.function
    if info.owners and isinstance(info.owners[-1], ast.ClassDef):
        return f"inside `class {info.owners[-1].name}`"
    if isinstance(function, ast.AsyncFunctionDef):
        return f"inside `async def {function.name}`"
    if isinstance(function, ast.FunctionDef):
        return f"inside `def {function.name}`"
    if isinstance(function, ast.Lambda):
        return "inside a `lambda`"
    return "at the top level of the file"


def call_name(call: ast.Call, index: CodeIndex) -> str | None:
    name = dotted_name(call.func)
    return None if name is None else index.resolve(name)


def blocking_calls(index: CodeIndex) -> Iterator[Diagnostic]:
    for info in index.of_types((ast.Call,)):
        assert isinstance(info.node, ast.Call)
        advice = BLOCKING_CALLS.get(call_name(info.node, index) or "")
        if advice is None or not info.in_async_function:
            continue
        line = info.start[0]
        yield Diagnostic(
            "Blocking call in async code",
            f"Line {line} calls `{index.quote(info.node)}` {where(info)}: it blocks the whole "
            f"event loop, so every other request waits too. Use {advice} instead.",
            info.node,
            BLOCKING,
        )


def coroutine_functions(index: CodeIndex) -> set[str]:
    defined = {info.node.name for info in index.of_types((ast.AsyncFunctionDef,))}  # type: ignore[attr-defined]
    plain = {info.node.name for info in index.of_types((ast.FunctionDef, ast.ClassDef))}  # type: ignore[attr-defined]
    # A name defined both ways is ambiguous: stay quiet about it.
    return (defined - plain - set(index.imports)) | COROUTINE_FUNCTIONS


def unawaited_calls(index: CodeIndex) -> Iterator[Diagnostic]:
    coroutines = coroutine_functions(index)
    for info in index.of_types((ast.Call,)):
        assert isinstance(info.node, ast.Call)
        if call_name(info.node, index) not in coroutines or is_consumed(info, index):
            continue
        line = info.start[0]
        quoted = index.quote(info.node)
        yield Diagnostic(
            "Coroutine never awaited",
            f"Line {line} calls `{quoted}` without `await`: that only creates a coroutine, so "
            f'nothing runs or waits (Python warns "coroutine was never awaited"). Write '
            f"`await {quoted}`.",
            info.node,
            UNAWAITED,
        )


def consumer(info: NodeInfo, index: CodeIndex) -> tuple[NodeInfo, ast.AST | None]:
    """The node that takes this value, looking through lists, tuples and `*`."""
    while isinstance(info.parent, ast.List | ast.Tuple | ast.Starred | ast.keyword):
        info = index.info_of(info.parent)
    return info, info.parent


def is_consumed(info: NodeInfo, index: CodeIndex, follow_names: bool = True) -> bool:
    info, parent = consumer(info, index)
    if isinstance(parent, ast.Await | ast.Return | ast.Yield | ast.YieldFrom | ast.Lambda):
        return True
    if isinstance(parent, ast.ListComp | ast.GeneratorExp | ast.SetComp):
        return True  # too indirect to follow; stay quiet
    if isinstance(parent, ast.Call) and parent.func is not info.node:
        name = dotted_name(parent.func) or ""
        return name.rpartition(".")[2] in COROUTINE_RUNNERS
    target = assigned_name(parent)
    if target is None or not follow_names:
        return False
    return any(
        use.function is info.function and is_consumed(use, index, follow_names=False)
        for use in index.loads_of(target)
    )


def assigned_name(parent: ast.AST | None) -> str | None:
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target: ast.AST = parent.targets[0]
    elif isinstance(parent, ast.AnnAssign | ast.NamedExpr):
        target = parent.target
    else:
        return None
    return target.id if isinstance(target, ast.Name) else None


def awaits_outside(index: CodeIndex) -> Iterator[Diagnostic]:
    for info in index.of_types((ast.Await, ast.AsyncFor, ast.AsyncWith)):
        if info.in_async_function:
            continue
        line = info.start[0]
        keyword = "await" if isinstance(info.node, ast.Await) else "async"
        function = info.function
        fix = (
            f" Make it `async def {function.name}`."
            if isinstance(function, ast.FunctionDef)
            else ""
        )
        yield Diagnostic(
            f"`{keyword}` outside async def",
            f"Line {line} uses `{keyword}` {where(info)}; `{keyword}` only works inside an "
            f"`async def`.{fix}",
            info.node,
            AWAIT_OUTSIDE,
        )


def bound_names(index: CodeIndex) -> set[str]:
    def of(kind: type[ast.AST]) -> list[Any]:
        return [info.node for info in index.by_type.get(kind, [])]

    bound = {node.id for node in of(ast.Name) if not isinstance(node.ctx, ast.Load)}
    named: tuple[type[ast.AST], ...] = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for kind in named:
        bound.update(node.name for node in of(kind))
    bound.update(node.arg for node in of(ast.arg))
    scoped: tuple[type[ast.AST], ...] = (ast.Global, ast.Nonlocal)
    captures: tuple[type[ast.AST], ...] = (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)
    bound.update(node.asname or node.name.partition(".")[0] for node in of(ast.alias))
    for kind in scoped:
        bound.update(name for node in of(kind) for name in node.names)
    for kind in captures:
        bound.update(node.name for node in of(kind) if node.name)
    bound.update(node.rest for node in of(ast.MatchMapping) if node.rest)
    return bound


def undefined_names(index: CodeIndex) -> Iterator[Diagnostic]:
    # Conservative on purpose: a name bound anywhere in the file counts as defined.
    if index.star_import:
        return
    bound = bound_names(index)
    known = bound | BUILTIN_NAMES
    candidates = sorted(bound)
    for info in index.of_types((ast.Name,)):
        node = info.node
        assert isinstance(node, ast.Name)
        if node.id in known or not isinstance(node.ctx, ast.Load):
            continue
        known.add(node.id)  # once per name
        advice = IMPORT_ADVICE.get(node.id)
        # `import asycio` then `asyncio.sleep(...)`: the typo is where the name is bound.
        near = difflib.get_close_matches(node.id, candidates, n=1, cutoff=0.8)
        if near:
            fix = f"Your code has `{near[0]}`: a typo for `{node.id}`, or the other way round?"
        elif advice:
            fix = f"Add `{advice}` at the top of the file."
        else:
            fix = "Check the spelling, or import or define it first."
        yield Diagnostic(
            "Name not defined",
            f"Line {info.start[0]} uses `{node.id}`, but nothing in your code imports or "
            f"defines it. {fix}",
            node,
            UNDEFINED,
        )


def unreachable(index: CodeIndex) -> Iterator[Diagnostic]:
    reported: set[int] = set()
    cache: FirstReturns = {}
    for info in index.of_types((ast.Await,)):
        if not info.in_async_function:
            continue
        earlier = return_before(info, index, cache)
        if earlier is None or id(earlier) in reported:
            continue
        reported.add(id(earlier))
        function = info.function
        name = function.name if isinstance(function, ast.AsyncFunctionDef) else "the function"
        yield Diagnostic(
            "Unreachable `await`",
            f"Line {earlier.lineno} returns before the `await` on line {info.start[0]}, so the "
            f"`await` never runs. Move the `return` to the end of `{name}`.",
            earlier,
            UNREACHABLE,
        )


FirstReturns = dict[int, tuple[int, ast.Return] | None]


def first_return(siblings: list[ast.stmt], cache: FirstReturns) -> tuple[int, ast.Return] | None:
    """The first `return` in a block and its position, worked out once per block."""
    key = id(siblings)
    if key not in cache:
        cache[key] = next(
            (
                (position, item)
                for position, item in enumerate(siblings)
                if isinstance(item, ast.Return)
            ),
            None,
        )
    return cache[key]


def return_before(info: NodeInfo, index: CodeIndex, cache: FirstReturns) -> ast.Return | None:
    """A `return` earlier in a block that holds this node, within the same function."""
    statement: ast.stmt | None = info.statement
    while statement is not None:
        place = index.places.get(id(statement))
        if place is None:
            return None
        returned = first_return(place.siblings, cache)
        if returned is not None and returned[0] < place.index:
            return returned[1]
        if isinstance(place.parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return None
        statement = place.parent
    return None


def falls_off_the_end(index: CodeIndex) -> Iterator[Diagnostic]:
    """A function that returns a value on some paths but can reach its end, returning None:
    for a view, Django then fails with "didn't return an HttpResponse object"."""
    # Each function's `return <value>` statements, found in one pass.
    returns_of: dict[int, list[ast.Return]] = {}
    for info in index.of_types((ast.Return,)):
        node = info.node
        if isinstance(node, ast.Return) and node.value is not None and info.function:
            returns_of.setdefault(id(info.function), []).append(node)
    for info in index.of_types((ast.FunctionDef, ast.AsyncFunctionDef)):
        function = info.node
        assert isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        returns = returns_of.get(id(function), [])
        if not returns or always_leaves(function.body):
            continue
        first_line = returns[0].lineno
        yield Diagnostic(
            "A path returns nothing",
            f"`{function.name}` returns a value on line {first_line}, but not on every path: "
            "when it runs past its end it returns `None`, and Django refuses a view that "
            "returns no response. End it with a `return`.",
            function,
            FALLS_OFF,
        )


def always_leaves(body: list[ast.stmt]) -> bool:
    """Every path through these statements ends in `return` or `raise` (a simple reading:
    the last statement, and both branches of a final `if`)."""
    while body:
        # Code after a `return` never runs (the unreachable diagnostic says so).
        if any(isinstance(statement, ast.Return | ast.Raise) for statement in body):
            return True
        last = body[-1]
        if isinstance(last, ast.If):
            if not last.orelse or not always_leaves(last.orelse):
                return False
            body = last.body
            continue
        if isinstance(last, ast.With | ast.AsyncWith):
            body = last.body
            continue
        return isinstance(last, ast.While) and is_constant_true(last.test)
    return False


def is_constant_true(test: ast.expr) -> bool:
    return isinstance(test, ast.Constant) and test.value is True


def redefinitions(index: CodeIndex) -> Iterator[Diagnostic]:
    """A top-level name bound twice: Python keeps only the last binding, so a later
    `def slow_view` silently replaces the `async def slow_view` above it, and a later
    `WAIT_TIME = 10` replaces `WAIT_TIME = 3`."""
    first: dict[str, ast.stmt] = {}
    for statement in index.tree.body:
        for name in statement_binds(statement):
            earlier = first.get(name)
            if earlier is None:
                first[name] = statement
                continue
            line = statement.lineno
            what = "defines" if isinstance(statement, DEFINITIONS) else "sets"
            yield Diagnostic(
                "Name defined twice",
                f"Line {line} {what} `{name}` again (it was first on line {earlier.lineno}). "
                f"Python keeps only the last one, so the `{name}` on line {earlier.lineno} is "
                "thrown away. Keep one.",
                statement,
                REDEFINED,
            )


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def shadowed_settings(index: CodeIndex) -> Iterator[Diagnostic]:
    """`WAIT_TIME = 0` inside the view makes a new local name that hides the top-level
    `WAIT_TIME = 3`: the view then waits 0 seconds."""
    top_level = {
        name: statement
        for statement in index.tree.body
        if isinstance(statement, ast.Assign | ast.AnnAssign)
        for name in statement_binds(statement)
    }
    if not top_level:
        return
    declared_global = {
        (id(info.function), name)
        for info in index.of_types((ast.Global,))
        for name in info.node.names  # type: ignore[attr-defined]
    }
    for info in index.of_types((ast.Assign, ast.AnnAssign)):
        function = info.function
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        assert isinstance(info.node, ast.stmt)
        for name in statement_binds(info.node):
            outer = top_level.get(name)
            if outer is None or (id(function), name) in declared_global:
                continue
            line = info.start[0]
            yield Diagnostic(
                "Setting hidden inside a function",
                f"Line {line} sets `{name}` inside `{function.name}`: that makes a new local "
                f"`{name}` that hides the one on line {outer.lineno}, so `{function.name}` "
                f"uses this value instead. Set it once, at the top of the file.",
                info.node,
                SHADOWED,
            )


def statement_binds(statement: ast.stmt) -> list[str]:
    if isinstance(statement, DEFINITIONS):
        return [statement.name]
    if isinstance(statement, ast.Assign):
        return [target.id for target in statement.targets if isinstance(target, ast.Name)]
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return [statement.target.id] if isinstance(statement.target, ast.Name) else []
    return []
