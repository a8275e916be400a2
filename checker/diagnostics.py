"""Built-in diagnostics: async mistakes worth pointing out whatever the lesson checks."""

from __future__ import annotations

import ast
import builtins
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checker.django_orm import (
    ASYNC_METHODS,
    ASYNC_SHORTCUTS,
    INSTANCE_METHODS,
    QUERY_METHODS,
    SHORTCUTS,
    SYNC_TO_ASYNC,
    evaluation_advice,
    names_in,
    queryset_names,
    queryset_root,
)
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
SYNC_ORM = "sync-orm"
AWAIT_UNCALLED = "await-uncalled"
COMPARED = "compared-not-set"

# More of one kind adds noise, not help; the first few point the way.
MAX_PER_TOPIC = 5

ASYNC_HTTP = "an async HTTP client such as `httpx.AsyncClient`, and `await` its calls"
SUBPROCESS = "`await asyncio.create_subprocess_exec(...)`"
FILES = (
    "`await sync_to_async(read_file)()` (the reading in a plain `def`), or read the file once "
    "at start-up,"
)
HTTP_VERBS = ("get", "post", "put", "delete", "patch", "head", "options", "request", "stream")
BLOCKING_CALLS: dict[str, str] = {
    "time.sleep": "`await asyncio.sleep(...)`",
    "urllib.request.urlopen": ASYNC_HTTP,
    **{f"requests.{verb}": ASYNC_HTTP for verb in HTTP_VERBS},
    # httpx's module-level functions are its synchronous client.
    **{
        f"httpx.{verb}": "`async with httpx.AsyncClient() as client:` and "
        f"`await client.{verb}(...)`"
        for verb in HTTP_VERBS
    },
    # httpx's sync client; `httpx.AsyncClient` is the one to await.
    "httpx.Client": "`async with httpx.AsyncClient() as client:` and `await client.get(...)`",
    **{
        f"subprocess.{name}": SUBPROCESS
        for name in ("run", "call", "check_call", "check_output", "Popen")
    },
    "os.system": SUBPROCESS,
    "open": FILES,
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
        sync_orm_calls,
        unawaited_calls,
        awaited_uncalled,
        compared_not_set,
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
    # `open` is the built-in only when the learner's code defines no `open` of its own.
    own_open = "open" in index.imports or any(
        getattr(info.node, "name", None) == "open"
        for info in index.of_types((ast.FunctionDef, ast.AsyncFunctionDef))
    )
    for info in index.of_types((ast.Call,)):
        assert isinstance(info.node, ast.Call)
        name = call_name(info.node, index) or ""
        advice = BLOCKING_CALLS.get(name)
        if advice is None or not info.in_async_function or (name == "open" and own_open):
            continue
        line = info.start[0]
        yield Diagnostic(
            "Blocking call in async code",
            f"Line {line} calls `{index.quote(info.node)}` {where(info)}: it blocks the whole "
            f"event loop, so every other request on it (this server process) waits too. Use "
            f"{advice} instead.",
            info.node,
            BLOCKING,
        )


def coroutine_functions(index: CodeIndex) -> set[str]:
    defined = {info.node.name for info in index.of_types((ast.AsyncFunctionDef,))}  # type: ignore[attr-defined]
    plain: set[str] = set()
    for info in index.of_types((ast.FunctionDef, ast.ClassDef)):
        node = info.node
        assert isinstance(node, ast.FunctionDef | ast.ClassDef)
        # `@sync_to_async def fetch(): ...` makes `fetch` return a coroutine.
        if isinstance(node, ast.FunctionDef) and any(
            wraps_to_async(decorator, index) for decorator in node.decorator_list
        ):
            defined.add(node.name)
        else:
            plain.add(node.name)
    # A name defined both ways is ambiguous: stay quiet about it.
    return (defined - plain - set(index.imports)) | COROUTINE_FUNCTIONS


def wraps_to_async(decorator: ast.expr, index: CodeIndex) -> bool:
    """`@sync_to_async`, `@sync_to_async(thread_sensitive=False)`, `@database_sync_to_async`."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = dotted_name(target)
    return name is not None and index.resolve(name) in SYNC_TO_ASYNC


def makes_coroutine(call: ast.Call, index: CodeIndex, coroutines: set[str]) -> str | None:
    """What kind of coroutine this call makes, when it makes one; else None."""
    name = call_name(call, index)
    if name in coroutines:
        return ""
    if name in ASYNC_SHORTCUTS:
        return " (Django's `a…` functions are coroutines)"
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in ASYNC_METHODS:
        return " (Django's `a…` methods are coroutines)"
    if isinstance(func, ast.Call) and call_name(func, index) in SYNC_TO_ASYNC:
        return " (`sync_to_async(f)` makes a function that returns a coroutine)"
    return None


def unawaited_calls(index: CodeIndex) -> Iterator[Diagnostic]:
    coroutines = coroutine_functions(index)
    for info in index.of_types((ast.Call,)):
        assert isinstance(info.node, ast.Call)
        kind = makes_coroutine(info.node, index, coroutines)
        if kind is None or is_consumed(info, index):
            continue
        line = info.start[0]
        quoted = index.quote(info.node)
        if call_name(info.node, index) == "asyncio.gather":
            # gather schedules its calls as tasks at once: they run, but nobody waits.
            effect = (
                "`asyncio.gather` starts the calls, but nothing waits for them, and what it "
                "returns is not their results yet"
            )
        else:
            effect = (
                f"that only creates a coroutine{kind}, so nothing runs or waits (Python warns "
                '"coroutine was never awaited")'
            )
        yield Diagnostic(
            "Coroutine never awaited",
            f"Line {line} calls `{quoted}` without `await`: {effect}. Write `await {quoted}`.",
            info.node,
            UNAWAITED,
        )


def awaited_uncalled(index: CodeIndex) -> Iterator[Diagnostic]:
    """`await obj.asave` awaits the method itself, which is not awaitable."""
    coroutines = coroutine_functions(index)
    for info in index.of_types((ast.Await,)):
        node = info.node
        assert isinstance(node, ast.Await)
        value = node.value
        name = dotted_name(value)
        method = isinstance(value, ast.Attribute) and value.attr in ASYNC_METHODS
        if not method and (name is None or index.resolve(name) not in coroutines):
            continue
        quoted = index.quote(value)
        yield Diagnostic(
            "`await` without a call",
            f"Line {info.start[0]} awaits `{quoted}` itself, not a call to it: Python "
            f"fails with \"object … can't be used in 'await' expression\". Write "
            f"`await {quoted}()` (with the arguments it needs).",
            node,
            AWAIT_UNCALLED,
        )


def is_compared_statement(info: NodeInfo, index: CodeIndex) -> bool:
    parent = info.parent
    if not isinstance(parent, ast.Compare) or parent.left is not info.node:
        return False
    statement = index.info_of(parent).parent
    return (
        isinstance(statement, ast.Expr)
        and len(parent.ops) == 1
        and isinstance(parent.ops[0], ast.Eq)
    )


def compared_not_set(index: CodeIndex) -> Iterator[Diagnostic]:
    """`WAIT_TIME == 3` on a line of its own compares and throws the answer away."""
    for info in index.of_types((ast.Expr,)):
        node = info.node
        assert isinstance(node, ast.Expr)
        test = node.value
        if not (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq)
            and isinstance(test.left, ast.Name)
        ):
            continue
        quoted = index.quote(test)
        name = test.left.id
        wanted = quoted.replace("==", "=", 1)
        yield Diagnostic(
            "A comparison where an assignment was meant",
            f"Line {info.start[0]} compares `{quoted}` and throws the answer away: `==` asks "
            f"whether two values are equal. To set `{name}`, write `{wanted}` (one `=`).",
            node,
            COMPARED,
        )


def async_spelling(call: ast.Call, index: CodeIndex, method: str, replacement: str) -> str:
    """`Article.objects.get(pk=pk)` → `await Article.objects.aget(pk=pk)`."""
    quoted = index.quote(call)
    head, dot, tail = quoted.rpartition(f".{method}(")
    if not dot:
        return f"`await ….{replacement}(...)`"
    return f"`await {head}.{replacement}({tail}`"


SHORTCUT_NAMES = frozenset(name.rpartition(".")[2] for name in SHORTCUTS)


def sync_orm_calls(index: CodeIndex) -> Iterator[Diagnostic]:
    """Database queries run synchronously inside `async def`: Django refuses them there
    (SynchronousOnlyOperation), and they would block the event loop if it did not."""
    by_function = queryset_names(index)
    kinds = (
        ast.Call,
        ast.Subscript,
        ast.For,
        ast.If,
        ast.While,
        ast.ListComp,
        ast.SetComp,
        ast.DictComp,
        ast.GeneratorExp,
    )
    for info in index.of_types(kinds):
        if not info.in_async_function or info.dead:
            continue
        advice = orm_advice(info, index, names_in(info.function, by_function))
        if advice is None:
            continue
        node, what, fix = advice
        line = getattr(node, "lineno", 0)
        yield Diagnostic(
            "Database query in async code",
            f"Line {line} {what} {where(info)}: that queries the database synchronously, "
            "which Django refuses in async code (SynchronousOnlyOperation) because it would "
            f"block every other request. Use {fix} instead.",
            node,
            SYNC_ORM,
        )


def orm_advice(
    info: NodeInfo, index: CodeIndex, names: frozenset[str]
) -> tuple[ast.AST, str, str] | None:
    """(node to point at, what the line does, the async way) for a sync query; else None."""
    node = info.node
    if isinstance(node, ast.If | ast.While):
        if not queryset_root(node.test, names):
            return None
        shown = index.quote(node.test)
        return node.test, f"tests `{shown}` for rows", f"`await {shown}.aexists()`"
    if isinstance(node, ast.For):
        if not queryset_root(node.iter, names):
            return None
        return node, f"loops over `{index.quote(node.iter)}` with `for`", "`async for`"
    if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        for generator in node.generators:
            if not generator.is_async and queryset_root(generator.iter, names):
                quoted = index.quote(generator.iter)
                return node, f"loops over `{quoted}`", "`async for` in the comprehension"
        return None
    evaluation = evaluation_advice(info, index, names)
    if evaluation is not None:
        return node, f"evaluates `{index.quote(node)}`", evaluation
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    # Resolving names costs more than reading them: only for the shortcuts' own names.
    name = call_name(node, index) if last in SHORTCUT_NAMES else None
    shortcut = SHORTCUTS.get(name or "") or SHORTCUTS.get(f"django.shortcuts.{name}")
    if shortcut is not None and (name in SHORTCUTS or name not in index.imports):
        quoted = index.quote(node)
        head, paren, tail = quoted.partition("(")
        prefix = head.rpartition(".")[0]
        spelled = f"{prefix}.{shortcut}" if prefix else shortcut
        fix = f"`await {spelled}({tail}`" if paren else f"`await {shortcut}(...)`"
        return node, f"calls `{quoted}`", fix
    if not isinstance(func, ast.Attribute):
        return None
    method = func.attr
    if method in QUERY_METHODS and queryset_root(func.value, names):
        if method == "iterator":
            fix = "`async for … in ….aiterator()`"
        else:
            fix = async_spelling(node, index, method, QUERY_METHODS[method])
        return node, f"calls `{index.quote(node)}`", fix
    if (
        method in INSTANCE_METHODS
        and not node.args
        and isinstance(func.value, ast.Name | ast.Attribute)
        and not queryset_root(func.value, names)
    ):
        fix = async_spelling(node, index, method, INSTANCE_METHODS[method])
        return node, f"calls `{index.quote(node)}`", fix
    return None


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
        if is_compared_statement(info, index):
            continue  # `WAIT_TIME == 3`: the comparison diagnostic explains it
        known.add(node.id)  # once per name
        advice = IMPORT_ADVICE.get(node.id)
        near = difflib.get_close_matches(node.id, candidates, n=1, cutoff=0.8)
        if near:
            fix = typo_advice(index, used=node.id, bound=near[0])
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


def typo_advice(index: CodeIndex, *, used: str, bound: str) -> str:
    """Which of two names a letter apart is the learner's typo: the one the lesson does not
    use. `import asycio` then `asyncio.sleep(...)`: the typo is where the name is bound."""
    meant = index.expected_names | frozenset(IMPORT_ADVICE)
    line = binding_line(index, bound)
    at = f" on line {line}" if line else ""
    if used in meant and bound not in meant:
        return (
            f"Your code has `{bound}`{at}: a typo for `{used}`. Write `{used}` there, "
            "and the names match."
        )
    return f"A typo for `{bound}` (which your code has{at})? Write `{bound}` here."


def binding_line(index: CodeIndex, name: str) -> int | None:
    """The first line that binds `name`: an import, a def or class, an assignment."""
    for info in index.nodes:
        node = info.node
        if isinstance(node, ast.alias) and (node.asname or node.name.partition(".")[0]) == name:
            return info.statement.lineno if info.statement else None
        if isinstance(node, DEFINITIONS) and node.name == name:
            return node.lineno
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return node.lineno
        if isinstance(node, ast.arg) and node.arg == name:
            return node.lineno
    return None


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
    """Every path through these statements ends in `return` or `raise`: the last statement,
    both branches of an `if`, each branch of a `try` (or its `finally`), every case of a
    `match` that has a catch-all case, the body of a `with`, `while True`."""
    # Code after a `return` never runs (the unreachable diagnostic says so).
    if any(isinstance(statement, ast.Return | ast.Raise) for statement in body):
        return True
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.If):
        return always_leaves(last.body) and always_leaves(last.orelse)
    if isinstance(last, ast.With | ast.AsyncWith):
        return always_leaves(last.body)
    if isinstance(last, ast.Try | ast.TryStar):
        if always_leaves(last.finalbody):
            return True
        handled = all(always_leaves(handler.body) for handler in last.handlers)
        return handled and (always_leaves(last.body) or always_leaves(last.orelse))
    if isinstance(last, ast.Match):
        return any(is_catch_all(case) for case in last.cases) and all(
            always_leaves(case.body) for case in last.cases
        )
    return isinstance(last, ast.While) and is_constant_true(last.test)


def is_catch_all(case: ast.match_case) -> bool:
    pattern = case.pattern
    return case.guard is None and isinstance(pattern, ast.MatchAs) and pattern.pattern is None


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
