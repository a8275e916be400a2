"""What the checker knows of Django's ORM, read from code alone: which expressions are
querysets, which calls hit the database, and their async counterparts.

Structural only: a queryset is an expression built from `<Model>.objects` through
queryset-returning methods (`Article.objects.filter(...).order_by(...)`), or a name assigned
one in the same function. Nothing is imported or run.
"""

from __future__ import annotations

import ast

from checker.tree import CodeIndex, FunctionNode, NodeInfo

# Methods that return another queryset: they build the query but run nothing.
LAZY_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "select_related",
        "prefetch_related",
        "values",
        "values_list",
        "annotate",
        "alias",
        "only",
        "defer",
        "distinct",
        "using",
        "none",
        "reverse",
        "select_for_update",
        "union",
        "intersection",
        "difference",
        "dates",
        "datetimes",
    }
)
# Methods that run a query, and the async method Django gives for each.
QUERY_METHODS = {
    name: f"a{name}"
    for name in (
        "get",
        "first",
        "last",
        "count",
        "exists",
        "create",
        "update",
        "delete",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "in_bulk",
        "earliest",
        "latest",
        "aggregate",
        "contains",
        "explain",
        "iterator",
    )
}
# Model instance methods that write or read the database.
INSTANCE_METHODS = {"save": "asave", "delete": "adelete", "refresh_from_db": "arefresh_from_db"}
# Django's coroutine methods: calling one without `await` runs nothing.
ASYNC_METHODS = frozenset(
    {*QUERY_METHODS.values(), *INSTANCE_METHODS.values()} - {"aiterator"}
) | frozenset({"aset", "aadd", "aremove", "aclear", "alogin", "alogout", "aauthenticate"})
SHORTCUTS = {
    "django.shortcuts.get_object_or_404": "aget_object_or_404",
    "django.shortcuts.get_list_or_404": "aget_list_or_404",
}
ASYNC_SHORTCUTS = frozenset(
    {"django.shortcuts.aget_object_or_404", "django.shortcuts.aget_list_or_404"}
)
SYNC_TO_ASYNC = frozenset(
    {"asgiref.sync.sync_to_async", "sync_to_async", "channels.db.database_sync_to_async"}
)


def is_manager(node: ast.AST) -> bool:
    """`Article.objects` (or `app.models.Article.objects`)."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and isinstance(node.value, ast.Name | ast.Attribute)
    )


def queryset_root(node: ast.AST, names: frozenset[str] = frozenset()) -> bool:
    """Whether the expression is a queryset (or a manager): read down the method chain
    without recursion, so a hostile chain of thousands of calls stays linear."""
    steps = 0
    while steps < 64:
        steps += 1
        if is_manager(node):
            return True
        if isinstance(node, ast.Name):
            return node.id in names
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            node = node.value  # `qs[:5]` is still a lazy queryset
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LAZY_METHODS
        ):
            node = node.func.value
            continue
        return False
    return False


def queryset_names(index: CodeIndex) -> dict[int, frozenset[str]]:
    """Per function (by id), the names assigned a queryset in it: `qs = Article.objects.all()`."""
    names: dict[int, set[str]] = {}
    for info in index.of_types((ast.Assign,)):
        node = info.node
        assert isinstance(node, ast.Assign)
        if info.function is None or not queryset_root(node.value):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                names.setdefault(id(info.function), set()).add(target.id)
    return {key: frozenset(value) for key, value in names.items()}


def names_in(
    function: FunctionNode | None, by_function: dict[int, frozenset[str]]
) -> frozenset[str]:
    return by_function.get(id(function), frozenset()) if function is not None else frozenset()


def evaluation_advice(info: NodeInfo, index: CodeIndex, names: frozenset[str]) -> str | None:
    """How to write this queryset evaluation asynchronously, when `info` evaluates one:
    `list(qs)`, `len(qs)`, `bool(qs)`, `qs[0]`."""
    node = info.node
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1:
        if node.func.id in index.imports or not queryset_root(node.args[0], names):
            return None
        shown = index.quote(node.args[0])
        advice = {
            "list": f"`[item async for item in {shown}]`",
            "len": f"`await {shown}.acount()`",
            "bool": f"`await {shown}.aexists()`",
            "tuple": f"`[item async for item in {shown}]`",
            "set": f"`{{item async for item in {shown}}}`",
        }
        return advice.get(node.func.id)
    if (
        isinstance(node, ast.Subscript)
        and not isinstance(node.slice, ast.Slice)
        and queryset_root(node.value, names)
        and isinstance(node.ctx, ast.Load)
    ):
        shown = index.quote(node.value)
        return f"`await {shown}.afirst()` (or `async for` over a slice such as `{shown}[:1]`)"
    return None
