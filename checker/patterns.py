"""Instructor patterns: parsing them once, and comparing them with the learner's nodes.

A pattern is Python source in which the bare name `__` matches anything and a def body of
`...` matches any body. The comparison walks both trees with an explicit stack, so hostile
nesting cannot exhaust the recursion limit.
"""

from __future__ import annotations

import ast
import textwrap
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from checker.tree import CodeIndex, NodeInfo, canonical_module, dotted_name, quote_source

WILDCARD = "__"

# Callables whose positional and keyword arguments mean the same, by parameter position.
KNOWN_SIGNATURES: dict[str, tuple[str, ...]] = {
    "asyncio.sleep": ("delay", "result"),
    "asyncio.wait_for": ("fut", "timeout"),
    "django.http.HttpResponse": (
        "content",
        "content_type",
        "status",
        "reason",
        "charset",
        "headers",
    ),
    "django.http.JsonResponse": ("data", "encoder", "safe", "json_dumps_params"),
}
# Arguments a learner may spell out although they only repeat the default: the call means
# the same with or without them (`HttpResponse('Done waiting!', status=200)`).
KNOWN_DEFAULTS: dict[str, dict[str, object]] = {
    "asyncio.sleep": {"result": None},
    "django.http.HttpResponse": {
        "content_type": None,
        "status": 200,
        "reason": None,
        "charset": None,
        "headers": None,
    },
}
# Arguments that change how a response is sent, not what it says: a learner may add them.
KNOWN_IGNORABLE: dict[str, frozenset[str]] = {
    "django.http.HttpResponse": frozenset({"content_type", "charset", "headers"}),
}
# Names a pattern may write bare, meaning the object a learner imports under that name.
KNOWN_BARE_NAMES = {
    "HttpResponse": "django.http.HttpResponse",
    "JsonResponse": "django.http.JsonResponse",
}

# Fields that never change what code means.
IGNORED_FIELDS = frozenset({"ctx", "type_comment", "kind", "type_ignores"})
# Fields a pattern may leave out: then the learner may write anything there. An `except`
# without `as`, a `with` without `as`, an `if`/`for`/`while`/`try` without `else` or
# `finally` match the same statement with them.
OPTIONAL_FIELDS = frozenset(
    {
        "annotation",
        "returns",
        "decorator_list",
        "type_params",
        "name",
        "optional_vars",
        "orelse",
        "finalbody",
    }
)
# Fields holding a block of statements: a block of just `...` in a pattern matches any block.
BLOCK_FIELDS = frozenset({"body", "orelse", "finalbody"})

Pair = tuple[object, object]
Difference = tuple[ast.expr, ast.expr]


class PatternError(ValueError):
    """A pattern an instructor wrote that the checker cannot use; `line` is the pattern's
    line at fault (1 for its first), when one is."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Pattern:
    source: str
    # The expression of a one-expression pattern, else its one statement.
    root: ast.AST
    candidate_types: tuple[type[ast.AST], ...]

    def quote(self, node: ast.AST | None = None) -> str:
        return quote_source(self.source.splitlines(), node or self.root)


@lru_cache(maxsize=1024)
def pattern_compile(source: str) -> Pattern:
    text = textwrap.dedent(source).strip()
    if not text:
        raise PatternError("the pattern is empty")
    try:
        tree = quiet_parse(text)
    except SyntaxError as error:
        raise PatternError(
            f"the pattern does not parse: {error.msg} (pattern line {error.lineno})",
            error.lineno,
        ) from error
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        raise PatternError(f"the pattern does not parse: {error}") from error
    if len(tree.body) != 1:
        raise PatternError(
            f"the pattern has {len(tree.body)} statements; a check matches one statement "
            "or one expression, so split it into several checks"
        )
    statement = tree.body[0]
    root: ast.AST = statement.value if isinstance(statement, ast.Expr) else statement
    return Pattern(text, root, candidate_types(root))


def quiet_parse(source: str) -> ast.Module:
    # Learners' invalid escape sequences raise SyntaxWarning: noise here, not feedback.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source)


def candidate_types(root: ast.AST) -> tuple[type[ast.AST], ...]:
    if is_wildcard(root):
        return tuple(ast.expr.__subclasses__())
    if plain_dotted(root) is not None:
        return (ast.Name, ast.Attribute)
    if isinstance(root, ast.Constant):
        return (ast.Constant, ast.JoinedStr)
    if isinstance(root, ast.Assign):
        return (ast.Assign, ast.AnnAssign)
    if isinstance(root, ast.Import | ast.ImportFrom):
        return (ast.Import, ast.ImportFrom)
    return (type(root),)


def is_wildcard(node: object) -> bool:
    return isinstance(node, ast.Name) and node.id == WILDCARD


# Pattern nodes live as long as the pattern cache holds them; each entry keeps its node alive
# so that its id cannot be reused by another node.
PLAIN_DOTTED: dict[int, tuple[ast.AST, str | None]] = {}


def plain_dotted(node: ast.AST) -> str | None:
    """The pattern's dotted name when it has no wildcard part (pattern nodes only)."""
    cached = PLAIN_DOTTED.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    dotted = dotted_name(node)
    if dotted is not None and WILDCARD in dotted.split("."):
        dotted = None
    if len(PLAIN_DOTTED) < 100_000:
        PLAIN_DOTTED[id(node)] = (node, dotted)
    return dotted


def pattern_matches(pattern: Pattern, index: CodeIndex) -> list[NodeInfo]:
    return matches_among(pattern.root, index.of_types(pattern.candidate_types), index)


def matches_among(root: ast.AST, infos: Iterable[NodeInfo], index: CodeIndex) -> list[NodeInfo]:
    return [info for info in infos if compare(root, info.node, index) == []]


def compare(
    pattern: ast.AST, node: ast.AST, index: CodeIndex, tolerance: int = 0
) -> list[Difference] | None:
    """None when `node` does not match; else the expressions that differ (at most
    `tolerance` of them, never the root), which is [] for an exact match."""
    differences: list[Difference] = []
    stack: list[Pair] = [(pattern, node)]
    while stack:
        wanted, found = stack.pop()
        pairs = pair_up(wanted, found, index)
        if pairs is not None:
            stack.extend(pairs)
            continue
        tolerable = wanted is not pattern and len(differences) < tolerance
        if tolerable and isinstance(wanted, ast.expr) and isinstance(found, ast.expr):
            differences.append((wanted, found))
            continue
        return None
    return differences


def pair_up(wanted: object, found: object, index: CodeIndex) -> list[Pair] | None:
    """The sub-parts still to compare, or None when these two already differ."""
    if isinstance(wanted, list):
        if not isinstance(found, list) or len(wanted) != len(found):
            return None
        return list(zip(wanted, found, strict=True))
    if not isinstance(wanted, ast.AST):
        if wanted == WILDCARD and isinstance(found, str):
            return []
        return [] if type(wanted) is type(found) and wanted == found else None
    if is_wildcard(wanted):
        return [] if isinstance(found, ast.AST) else None
    if not isinstance(found, ast.AST):
        return None
    return pair_nodes(wanted, found, index)


def pair_nodes(wanted: ast.AST, found: ast.AST, index: CodeIndex) -> list[Pair] | None:
    wanted_name = plain_dotted(wanted)
    if wanted_name is not None:
        return [] if names_match(wanted_name, found, index) else None
    if isinstance(wanted, ast.Constant):
        return [] if constant_matches(wanted.value, found) else None
    if isinstance(wanted, ast.Assign) and isinstance(found, ast.AnnAssign):
        return annotated_pairs(wanted, found)
    if isinstance(wanted, ast.Assign) and isinstance(found, ast.Assign):
        return assign_pairs(wanted, found)
    if isinstance(wanted, ast.Import | ast.ImportFrom):
        return [] if import_matches(wanted, found) else None
    if isinstance(wanted, ast.Call):
        return call_pairs(wanted, found, index) if isinstance(found, ast.Call) else None
    if isinstance(wanted, ast.arguments) and isinstance(found, ast.arguments):
        return arguments_pairs(wanted, found)
    if isinstance(wanted, ast.Return) and isinstance(found, ast.Return):
        return [(wanted.value, returned_value(found, index))]
    if type(wanted) is not type(found):
        return None
    dicts = isinstance(wanted, ast.Dict) and isinstance(found, ast.Dict)
    if dicts and dict_matches(wanted, found, index):  # type: ignore[arg-type]
        return []
    if isinstance(wanted, ast.Try) and isinstance(found, ast.Try):
        return try_pairs(wanted, found, index)
    return field_pairs(wanted, found)


def dict_matches(wanted: ast.Dict, found: ast.Dict, index: CodeIndex) -> bool:
    """`{'id': …, 'title': …}` is `{'title': …, 'id': …}`: each of the pattern's items
    matches a different item of the learner's dict, in any order. (When no order works, the
    items compare in place, so that a near miss can still name the one that differs.)"""
    if len(wanted.keys) != len(found.keys) or None in wanted.keys or None in found.keys:
        return False
    unused = list(zip(found.keys, found.values, strict=True))
    for key, value in zip(wanted.keys, wanted.values, strict=True):
        for position, (found_key, found_value) in enumerate(unused):
            assert key is not None and found_key is not None
            if compare(key, found_key, index) == [] and compare(value, found_value, index) == []:
                del unused[position]
                break
        else:
            return False
    return True


def try_pairs(wanted: ast.Try, found: ast.Try, index: CodeIndex) -> list[Pair]:
    """The pattern's `except` handlers must each match one of the learner's, in order;
    the learner may catch more."""
    pairs = [pair for pair in field_pairs(wanted, found) if pair[0] is not wanted.handlers]
    remaining = list(found.handlers)
    for handler in wanted.handlers:
        while remaining and compare(handler, remaining[0], index) != []:
            remaining.pop(0)
        if not remaining:
            # No order works: compare them in place, for the near-miss explanation.
            return field_pairs(wanted, found)
        remaining.pop(0)
    return pairs


def returned_value(found: ast.Return, index: CodeIndex) -> ast.expr | None:
    """What a `return` gives back. `response = HttpResponse(...)` then `return response`
    returns the same thing as `return HttpResponse(...)`: when the name was last assigned
    by a plain assignment just before, in the same block, that assignment's value counts."""
    value = found.value
    place = index.places.get(id(found))
    if not isinstance(value, ast.Name) or place is None:
        return value
    for statement in reversed(place.siblings[: place.index]):
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == value.id for target in statement.targets
        ):
            return statement.value if len(statement.targets) == 1 else value
        if value.id in {node.id for node in ast.walk(statement) if isinstance(node, ast.Name)}:
            return value  # used or changed in between: too clever to follow
    return value


def field_pairs(wanted: ast.AST, found: ast.AST) -> list[Pair]:
    pairs: list[Pair] = []
    for name in wanted._fields:
        if name in IGNORED_FIELDS:
            continue
        wanted_value = getattr(wanted, name, None)
        found_value = getattr(found, name, None)
        if name in OPTIONAL_FIELDS and wanted_value in (None, []):
            continue
        if isinstance(wanted_value, ast.arguments) and any_signature(wanted_value):
            continue
        if name in BLOCK_FIELDS and isinstance(wanted_value, list):
            if any_body(wanted_value):
                continue
            found_value = without_docstring(wanted_value, found_value)
        pairs.append((wanted_value, found_value))
    return pairs


def names_match(wanted: str, found: ast.AST, index: CodeIndex) -> bool:
    found_name = dotted_name(found)
    if found_name is None:
        return False
    if found_name == wanted:
        return True
    return index.resolve(found_name) in (wanted, KNOWN_BARE_NAMES.get(wanted, wanted))


def constant_matches(wanted: object, found: ast.AST) -> bool:
    if isinstance(found, ast.JoinedStr) and isinstance(wanted, str):
        parts = found.values
        texts = [part.value for part in parts if isinstance(part, ast.Constant)]
        return len(texts) == len(parts) and "".join(map(str, texts)) == wanted
    return isinstance(found, ast.Constant) and constants_equal(wanted, found.value)


def constants_equal(wanted: object, found: object) -> bool:
    """3 equals 3.0 and b'Done' equals 'Done' (an HttpResponse's content), but True is not
    1 and '3' is not 3."""
    if isinstance(wanted, bool) or isinstance(found, bool):
        return wanted is found
    if isinstance(wanted, str) and isinstance(found, bytes):
        return wanted.encode("utf-8") == found
    numbers = (int, float)
    if isinstance(wanted, numbers) and isinstance(found, numbers):
        return wanted == found
    return type(wanted) is type(found) and wanted == found


def assign_pairs(wanted: ast.Assign, found: ast.Assign) -> list[Pair] | None:
    # `WAIT_TIME = DEFAULT = 3` sets WAIT_TIME to 3 as well.
    if len(wanted.targets) == 1 and len(found.targets) > 1:
        target = wanted.targets[0]
        if isinstance(target, ast.Name):
            named = [t for t in found.targets if isinstance(t, ast.Name) and t.id == target.id]
            return [(target, named[0]), (wanted.value, found.value)] if named else None
    return field_pairs(wanted, found)


def annotated_pairs(wanted: ast.Assign, found: ast.AnnAssign) -> list[Pair] | None:
    # `WAIT_TIME: int = 3` does what `WAIT_TIME = 3` does.
    if len(wanted.targets) != 1 or found.value is None:
        return None
    return [(wanted.targets[0], found.target), (wanted.value, found.value)]


def import_matches(wanted: ast.Import | ast.ImportFrom, found: ast.AST) -> bool:
    if isinstance(wanted, ast.Import):
        if isinstance(found, ast.Import):
            return all(alias_in(alias, found.names) for alias in wanted.names)
        # `from asyncio import sleep` imports asyncio too, and `sleep` resolves through it.
        only = wanted.names[0]
        return (
            isinstance(found, ast.ImportFrom)
            and found.level == 0
            and len(wanted.names) == 1
            and only.asname is None
            and found.module == only.name
        )
    if not isinstance(found, ast.ImportFrom):
        return False
    found_module = canonical_module(found.module or "")
    if (found_module, found.level) != (wanted.module, wanted.level):
        return False
    if any(alias.name == "*" for alias in found.names):
        return True
    return all(alias_in(alias, found.names) for alias in wanted.names)


def alias_in(wanted: ast.alias, found: list[ast.alias]) -> bool:
    return any(
        wanted.name in (WILDCARD, alias.name)
        and (wanted.asname in (None, alias.asname) or (wanted.asname == WILDCARD and alias.asname))
        for alias in found
    )


def is_any_positional(node: ast.expr) -> bool:
    """`*__` in a pattern's call: any positional arguments, none included."""
    return isinstance(node, ast.Starred) and is_wildcard(node.value)


def is_any_keywords(keyword: ast.keyword) -> bool:
    """`**__` in a pattern's call: any keyword arguments, none included."""
    return keyword.arg is None and is_wildcard(keyword.value)


def call_pairs(wanted: ast.Call, found: ast.Call, index: CodeIndex) -> list[Pair] | None:
    binding = known_call_binding(wanted, found, index)
    if binding is not None:
        wanted_arguments, found_arguments, any_keywords = binding
        if any_keywords:
            if not wanted_arguments.keys() <= found_arguments.keys():
                return None
        elif wanted_arguments.keys() != found_arguments.keys():
            return None
        return [(wanted_arguments[name], found_arguments[name]) for name in wanted_arguments]
    positional = positional_pairs(wanted.args, found.args)
    if positional is None:
        return None
    any_keywords = any(is_any_keywords(keyword) for keyword in wanted.keywords)
    wanted_keywords = keywords_by_name(wanted, skip_any=True)
    found_keywords = keywords_by_name(found)
    if wanted_keywords is None or found_keywords is None:
        if any_keywords:
            # `f(**__)` against `f(**options)`: the named ones must still be there.
            named = {k.arg: k.value for k in found.keywords if k.arg is not None}
            wanted_named = {k.arg: k.value for k in wanted.keywords if k.arg is not None}
            if not wanted_named.keys() <= named.keys():
                return None
            pairs = [(wanted_named[name], named[name]) for name in wanted_named]
            return [(wanted.func, found.func), *positional, *pairs]
        return [(wanted.func, found.func), *positional, (wanted.keywords, found.keywords)]
    if any_keywords:
        if not wanted_keywords.keys() <= found_keywords.keys():
            return None
    elif wanted_keywords.keys() != found_keywords.keys():
        return None
    keyword_pairs = [(wanted_keywords[name], found_keywords[name]) for name in wanted_keywords]
    return [(wanted.func, found.func), *positional, *keyword_pairs]


def positional_pairs(wanted: list[ast.expr], found: list[ast.expr]) -> list[Pair] | None:
    """Positional arguments one by one; a `*__` among the pattern's takes any run of them."""
    stars = [number for number, node in enumerate(wanted) if is_any_positional(node)]
    if not stars:
        if len(wanted) != len(found):
            return None
        return list(zip(wanted, found, strict=True))
    star = stars[0]
    before = wanted[:star]
    after = [node for node in wanted[star + 1 :] if not is_any_positional(node)]
    if len(found) < len(before) + len(after):
        return None
    tail = found[len(found) - len(after) :] if after else []
    return [*zip(before, found[: len(before)], strict=True), *zip(after, tail, strict=True)]


Arguments = dict[str, ast.expr]


def known_call_binding(
    wanted: ast.Call, found: ast.Call, index: CodeIndex
) -> tuple[Arguments, Arguments, bool] | None:
    """Both calls' arguments by parameter name, when they call the same known callable,
    and whether the pattern takes any further keyword arguments (`**__`)."""
    wanted_name = plain_dotted(wanted.func)
    if wanted_name is None or not names_match(wanted_name, found.func, index):
        return None
    callable_name = KNOWN_BARE_NAMES.get(wanted_name, wanted_name)
    parameters = KNOWN_SIGNATURES.get(callable_name)
    if parameters is None or any(is_any_positional(arg) for arg in wanted.args):
        return None
    any_keywords = any(is_any_keywords(keyword) for keyword in wanted.keywords)
    plain = ast.Call(
        func=wanted.func,
        args=wanted.args,
        keywords=[keyword for keyword in wanted.keywords if not is_any_keywords(keyword)],
    )
    wanted_arguments = arguments_by_parameter(plain, parameters)
    found_arguments = arguments_by_parameter(found, parameters)
    if wanted_arguments is None or found_arguments is None:
        return None
    defaults = KNOWN_DEFAULTS.get(callable_name, {})
    ignorable = KNOWN_IGNORABLE.get(callable_name, frozenset())
    for parameter in list(found_arguments):
        if parameter in wanted_arguments:
            continue
        if parameter in ignorable or (
            parameter in defaults and is_constant(found_arguments[parameter], defaults[parameter])
        ):
            del found_arguments[parameter]
    return wanted_arguments, found_arguments, any_keywords


def is_constant(node: ast.expr, value: object) -> bool:
    return (
        isinstance(node, ast.Constant) and type(node.value) is type(value) and node.value == value
    )


def arguments_by_parameter(call: ast.Call, parameters: tuple[str, ...]) -> Arguments | None:
    if len(call.args) > len(parameters) or any(isinstance(arg, ast.Starred) for arg in call.args):
        return None
    bound = dict(zip(parameters, call.args, strict=False))
    for keyword in call.keywords:
        if keyword.arg is None or keyword.arg in bound or keyword.arg not in parameters:
            return None
        bound[keyword.arg] = keyword.value
    return bound


def keywords_by_name(call: ast.Call, skip_any: bool = False) -> dict[str, ast.expr] | None:
    keywords = [k for k in call.keywords if not (skip_any and is_any_keywords(k))]
    named = {keyword.arg: keyword.value for keyword in keywords if keyword.arg is not None}
    if len(named) != len(keywords):
        return None
    return named


def arguments_pairs(wanted: ast.arguments, found: ast.arguments) -> list[Pair]:
    """Parameters compare one by one, except that a view may also take `*args` and
    `**kwargs` (Django passes URL parameters through them) when the pattern names none, and
    one positional parameter may have any name (Django passes the request positionally, so
    `def slow_view(req)` works; a check with `Exact: yes` asks for the pattern's name)."""
    if one_positional(wanted, strict=True) and one_positional(found, strict=False):
        return (
            [(wanted.args[0].annotation, all_positional(found)[0].annotation)]
            if (wanted.args[0].annotation is not None)
            else []
        )
    pairs = field_pairs(wanted, found)
    return [
        (wanted_value, found_value)
        for wanted_value, found_value in pairs
        if not (wanted_value is None and isinstance(found_value, ast.arg))
    ]


def all_positional(arguments: ast.arguments) -> list[ast.arg]:
    return [*arguments.posonlyargs, *arguments.args]


def one_positional(arguments: ast.arguments, *, strict: bool) -> bool:
    """Exactly one positional parameter, without a default; a pattern (`strict`) has
    nothing else, while the learner's code may add `*args` and `**kwargs`."""
    if len(all_positional(arguments)) != 1 or arguments.defaults or arguments.kwonlyargs:
        return False
    if all_positional(arguments)[0].arg == WILDCARD:
        return False
    return not strict or (arguments.vararg is None and arguments.kwarg is None)


def parameter_names(node: ast.AST) -> list[str]:
    """A def's positional parameter names ([] for anything else)."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return []
    return [argument.arg for argument in all_positional(node.args)]


def any_signature(arguments: ast.arguments) -> bool:
    """`def f(__)` accepts any parameters."""
    return (
        len(arguments.args) == 1
        and arguments.args[0].arg == WILDCARD
        and not (arguments.posonlyargs or arguments.kwonlyargs or arguments.defaults)
        and arguments.vararg is None
        and arguments.kwarg is None
    )


def any_body(body: list[ast.stmt]) -> bool:
    """A body of just `...` accepts any body."""
    return (
        len(body) == 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and body[0].value.value is Ellipsis
    )


def is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def without_docstring(wanted: list[ast.stmt], found: object) -> object:
    if not isinstance(found, list) or not found or not is_docstring(found[0]):
        return found
    if wanted and is_docstring(wanted[0]):
        return found
    return found[1:]
