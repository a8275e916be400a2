"""One iterative pass over the learner's syntax tree, and what the checks need from it.

Hostile code can nest thousands of levels deep, so nothing here recurses: the walk keeps an
explicit stack, and quoting learner code slices the source lines instead of `ast.unparse`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from checker.limits import LINE_BREAK

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
Owner = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
OWNER_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)

# Longer dotted chains cannot match any pattern; the cap keeps `a.b.c...` chains linear.
MAX_DOTTED_PARTS = 32
QUOTE_WIDTH = 70


# Not frozen: a frozen dataclass's __init__ costs three times as much, and there is one
# NodeInfo per node of a submission that may hold 20,000 of them.
@dataclass(slots=True)
class NodeInfo:
    node: ast.AST
    parent: ast.AST | None
    # Enclosing defs, lambdas and classes, outermost first; () at module level.
    owners: tuple[Owner, ...]
    # The nearest statement holding this node (the node itself for a statement).
    statement: ast.stmt | None
    # In the body of an `except` handler (of the same function).
    in_handler: bool = False
    # Code that never runs when the file is imported: under `if False:` or
    # `if __name__ == "__main__":`. It counts for no check.
    dead: bool = False

    @property
    def function(self) -> FunctionNode | None:
        for owner in reversed(self.owners):
            if not isinstance(owner, ast.ClassDef):
                return owner
        return None

    @property
    def in_async_function(self) -> bool:
        return isinstance(self.function, ast.AsyncFunctionDef)

    @property
    def start(self) -> tuple[int, int]:
        return (getattr(self.node, "lineno", 0), getattr(self.node, "col_offset", 0))

    @property
    def end(self) -> tuple[int, int]:
        line: int = getattr(self.node, "end_lineno", None) or self.start[0]
        column: int = getattr(self.node, "end_col_offset", None) or self.start[1]
        return (line, column)


@dataclass(frozen=True)
class StatementPlace:
    """Where a statement sits: its parent statement (None at module level) and its list."""

    parent: ast.stmt | None
    siblings: list[ast.stmt]
    index: int


@dataclass
class CodeIndex:
    source: str
    tree: ast.Module
    lines: list[str]
    nodes: list[NodeInfo] = field(default_factory=list)
    by_type: dict[type[ast.AST], list[NodeInfo]] = field(default_factory=dict)
    info: dict[int, NodeInfo] = field(default_factory=dict)
    places: dict[int, StatementPlace] = field(default_factory=dict)
    # Local name -> dotted name it was imported as ("sleep" -> "asyncio.sleep").
    imports: dict[str, str] = field(default_factory=dict)
    star_import: bool = False
    loads: dict[str, list[NodeInfo]] | None = None
    # Names the lesson's patterns use (`asyncio`, `slow_view`…): when a learner's name is one
    # letter off one of these, theirs is the typo.
    expected_names: frozenset[str] = frozenset()

    def loads_of(self, name: str) -> list[NodeInfo]:
        """Every place the name is read."""
        if self.loads is None:
            self.loads = {}
            for info in self.by_type.get(ast.Name, []):
                node = info.node
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    self.loads.setdefault(node.id, []).append(info)
        return self.loads.get(name, [])

    def info_of(self, node: ast.AST) -> NodeInfo:
        return self.info[id(node)]

    def of_types(self, types: tuple[type[ast.AST], ...]) -> list[NodeInfo]:
        found = [info for kind in types for info in self.by_type.get(kind, [])]
        if len(types) > 1:
            found.sort(key=lambda info: info.start)
        return found

    def resolve(self, dotted: str) -> str:
        """The dotted name with its first part replaced by what it was imported as."""
        root, dot, rest = dotted.partition(".")
        target = self.imports.get(root)
        if target is None:
            return dotted
        return canonical_module(target + dot + rest)

    def quote(self, node: ast.AST) -> str:
        """The learner's own text for `node`, on one line and shortened."""
        return quote_source(self.lines, node)


# Modules that re-export another's names: the same object under either path.
MODULE_ALIASES = {"django.http.response": "django.http"}


def canonical_module(dotted: str) -> str:
    for alias, module in MODULE_ALIASES.items():
        if dotted == alias or dotted.startswith(alias + "."):
            return module + dotted[len(alias) :]
    return dotted


def quote_source(lines: list[str], node: ast.AST) -> str:
    first = getattr(node, "lineno", None)
    if first is None or first > len(lines):
        return ""
    last = getattr(node, "end_lineno", None) or first
    start = getattr(node, "col_offset", 0)
    end = getattr(node, "end_col_offset", None)
    # col_offset counts UTF-8 bytes, not characters.
    head = lines[first - 1].encode("utf-8")
    if last == first and end is not None:
        text = head[start:end].decode("utf-8", "replace")
    else:
        text = head[start:].decode("utf-8", "replace").rstrip() + " …"
    text = " ".join(text.split())
    if len(text) > QUOTE_WIDTH:
        text = text[: QUOTE_WIDTH - 1].rstrip() + "…"
    return text


def dotted_name(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of plain names and attributes; None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        if len(parts) >= MAX_DOTTED_PARTS:
            return None
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def code_index(source: str, tree: ast.Module) -> CodeIndex:
    index = CodeIndex(source=source, tree=tree, lines=LINE_BREAK.split(source))
    walk(index)
    return index


Frame = tuple[ast.AST, ast.AST | None, tuple[Owner, ...], ast.stmt | None, bool, bool]


def walk(index: CodeIndex) -> None:
    stack: list[Frame] = [(index.tree, None, (), None, False, False)]
    while stack:
        node, parent, owners, statement, in_handler, dead = stack.pop()
        if isinstance(node, ast.stmt):
            statement = node
        record(index, NodeInfo(node, parent, owners, statement, in_handler, dead))
        is_owner = isinstance(node, OWNER_TYPES)
        inner = (*owners, node) if isinstance(node, OWNER_TYPES) else owners
        is_handler = isinstance(node, ast.ExceptHandler)
        is_branch = not dead and isinstance(node, ast.If | ast.While)
        children: list[Frame] = []
        for name in node._fields:
            value = getattr(node, name, None)
            if value is None:
                continue
            # A def's decorators and defaults run in the enclosing scope; its body does not.
            child_owners = inner if name in ("body", "args") else owners
            # A nested def's body is not the handler's body: it runs when it is called.
            opens_handler = is_handler and name == "body"
            child_handler = not is_owner and (in_handler or opens_handler)
            child_dead = dead or (is_branch and never_runs(node, name))
            if isinstance(value, ast.AST):
                children.append((value, node, child_owners, statement, child_handler, child_dead))
            elif isinstance(value, list) and value:
                note_places(index, statement, value)
                children.extend(
                    (item, node, child_owners, statement, child_handler, child_dead)
                    for item in value
                    if isinstance(item, ast.AST)
                )
        # Reversed, so that nodes are visited (and listed) in source order.
        children.reverse()
        stack.extend(children)


def never_runs(node: ast.AST, field_name: str) -> bool:
    """The block `field_name` of `node` never runs on import: the body of `if False:` (or
    `while 0:`), the `else` of `if True:`, the body of `if __name__ == "__main__":`."""
    if not isinstance(node, ast.If | ast.While):
        return False
    test = node.test
    if isinstance(test, ast.Constant) and not isinstance(test.value, str | bytes):
        truth = bool(test.value)
        return (field_name == "body" and not truth) or (field_name == "orelse" and truth)
    return field_name == "body" and isinstance(node, ast.If) and is_main_guard(test)


def is_main_guard(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [side for side in sides if isinstance(side, ast.Name) and side.id == "__name__"]
    mains = [side for side in sides if isinstance(side, ast.Constant) and side.value == "__main__"]
    return len(names) == 1 and len(mains) == 1


def note_places(index: CodeIndex, owner: ast.stmt | None, items: list[object]) -> None:
    if not isinstance(items[0], ast.stmt):
        return
    siblings = [item for item in items if isinstance(item, ast.stmt)]
    if len(siblings) != len(items):
        return
    for number, item in enumerate(siblings):
        index.places[id(item)] = StatementPlace(owner, siblings, number)


def record(index: CodeIndex, info: NodeInfo) -> None:
    node = info.node
    index.nodes.append(info)
    index.info[id(node)] = info
    kind = type(node)
    if kind in index.by_type:
        index.by_type[kind].append(info)
    else:
        index.by_type[kind] = [info]
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                index.imports[alias.asname] = alias.name
            else:
                root = alias.name.partition(".")[0]
                index.imports[root] = root
    elif isinstance(node, ast.ImportFrom):
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                index.star_import = True
            else:
                joined = (
                    f"{module}.{alias.name}"
                    if module and module[-1] != "."
                    else module + alias.name
                )
                index.imports[alias.asname or alias.name] = joined
