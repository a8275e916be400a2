"""The structural code checker: the learner's code is parsed, compared with the lesson's
patterns and scanned for common async mistakes. It is never executed.
"""

from __future__ import annotations

import ast
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from checker.diagnostics import MAX_PER_TOPIC, Diagnostic, diagnostics_find
from checker.limits import submission_refusal
from checker.nearmiss import (
    SCOPE_WORDS,
    Explanation,
    Search,
    comes_after,
    in_scope,
    near_miss,
    scope_parts,
)
from checker.patterns import (
    WILDCARD,
    Pattern,
    PatternError,
    is_wildcard,
    parameter_names,
    pattern_compile,
    pattern_matches,
    quiet_parse,
)
from checker.spec import CheckSpec
from checker.syntax import syntax_explanation
from checker.tree import CodeIndex, NodeInfo, code_index
from checker.verdict import Feedback, Status, Verdict

logger = logging.getLogger(__name__)

TOO_DEEP = (
    "Your code nests too deeply for the checker to read (thousands of brackets or operators "
    "inside one another). Split it into shorter lines and smaller expressions."
)


@dataclass
class CheckOutcome:
    items: list[Feedback]
    # What the failed check already told the learner, so diagnostics do not repeat it.
    claimed_nodes: set[int] = field(default_factory=set)
    claimed_lines: set[tuple[int, str]] = field(default_factory=set)


def submission_check(*, code: str, checks: Sequence[CheckSpec]) -> Verdict:
    refusal = submission_refusal(code)
    if refusal is not None:
        return refused(refusal.message, refusal.line)
    # Python ignores a byte-order mark at the start of a file; some editors save one.
    code = code.removeprefix("\ufeff")
    try:
        tree = quiet_parse(code)
    except SyntaxError as error:
        return syntax_verdict(error, code)
    except ValueError as error:  # e.g. null bytes, should the limits ever miss one
        return refused(f"Your code cannot be read as Python source: {error}.")
    except (RecursionError, MemoryError, OverflowError):
        return refused(TOO_DEEP)
    try:
        compile_error = compile_problem(tree)
    except (RecursionError, MemoryError, OverflowError):
        return refused(TOO_DEEP)
    if compile_error is not None:
        return syntax_verdict(compile_error, code)
    try:
        return analysed(code_index(code, tree), checks)
    except (RecursionError, MemoryError):
        return refused(TOO_DEEP)


# Errors Python only finds when compiling that the diagnostics explain better, in the
# learner's terms (which function, what to change).
EXPLAINED_ELSEWHERE = (
    "'await' outside",
    "'async with' outside",
    "'async for' outside",
    "asynchronous comprehension outside",
)


def compile_problem(tree: ast.Module) -> SyntaxError | None:
    """Errors the parser lets through but Python refuses to run (`break` outside a loop,
    a parameter named twice, `nonlocal` at the top level…). Compiling makes bytecode; it
    runs nothing."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(tree, "<your code>", "exec", dont_inherit=True)
    except SyntaxError as error:
        if str(error.msg).startswith(EXPLAINED_ELSEWHERE):
            return None
        return error
    except ValueError:
        return None
    return None


def refused(message: str, line: int | None = None) -> Verdict:
    return Verdict("refused", (Feedback("Code refused", False, message, line, None, "refused"),))


def syntax_verdict(error: SyntaxError, code: str) -> Verdict:
    explanation = syntax_explanation(error, code.splitlines())
    item = Feedback(
        "Syntax error", False, explanation.message, explanation.line, explanation.column, "syntax"
    )
    return Verdict("syntax_error", (item,))


def pattern_names(checks: Sequence[CheckSpec]) -> frozenset[str]:
    """Every name the checks' patterns use: the names the lesson means."""
    names: set[str] = set()
    for check in checks:
        for source in (*check.patterns, check.after):
            if source is None:
                continue
            try:
                root = pattern_compile(source).root
            except PatternError:
                continue
            for node in ast.walk(root):
                if isinstance(node, ast.Name):
                    names.add(node.id)
                elif isinstance(node, ast.alias):
                    names.add(node.asname or node.name.partition(".")[0])
                    names.add(node.name)
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    names.add(node.name)
    names.discard(WILDCARD)
    return frozenset(names)


def analysed(index: CodeIndex, checks: Sequence[CheckSpec]) -> Verdict:
    index.expected_names = pattern_names(checks)
    outcomes = [outcome for check in checks if (outcome := check_run(check, index))]
    items = [item for outcome in outcomes for item in outcome.items]
    claimed_nodes = {node for outcome in outcomes for node in outcome.claimed_nodes}
    claimed_lines = {line for outcome in outcomes for line in outcome.claimed_lines}
    for diagnostic in diagnostics_find(index):
        if id(diagnostic.node) in claimed_nodes:
            continue
        if (diagnostic.line, diagnostic.topic) in claimed_lines:
            continue
        items.append(diagnostic_feedback(diagnostic))
    status: Status = "passed" if all(item.passed for item in items) else "failed"
    return Verdict(status, tuple(in_characters(item, index) for item in items))


def in_characters(item: Feedback, index: CodeIndex) -> Feedback:
    """`ast` counts columns in UTF-8 bytes; learners count characters."""
    if item.line is None or item.column is None or not 0 < item.line <= len(index.lines):
        return item
    head = index.lines[item.line - 1].encode("utf-8")[: item.column - 1]
    column = len(head.decode("utf-8", errors="ignore")) + 1
    return item if column == item.column else replace(item, column=column)


def diagnostic_feedback(diagnostic: Diagnostic) -> Feedback:
    return Feedback(
        diagnostic.label,
        False,
        diagnostic.message,
        diagnostic.line,
        diagnostic.column,
        "diagnostic",
    )


def check_run(check: CheckSpec, index: CodeIndex) -> CheckOutcome | None:
    try:
        patterns = [pattern_compile(source) for source in check.patterns]
        after = pattern_compile(check.after) if check.after else None
    except PatternError as error:
        # The lesson validator reports this to the instructor; a learner cannot fix it.
        logger.warning("Skipping check %r: %s", check.label, error)
        return None
    searches = [search_run(pattern, after, check.inside, index) for pattern in patterns]
    if check.kind == "forbid":
        return forbid_outcome(check, searches)
    return expect_outcome(check, searches)


def search_run(
    pattern: Pattern, after: Pattern | None, inside: str | None, index: CodeIndex
) -> Search:
    found = pattern_matches(pattern, index)
    scoped = [info for info in found if in_scope(info, inside)]
    after_found: list[NodeInfo] = []
    if after is not None:
        after_found = [info for info in pattern_matches(after, index) if in_scope(info, inside)]
    return Search(pattern, after, inside, index, found, scoped, after_found)


def placed(search: Search, exact: bool = False) -> list[NodeInfo]:
    """Matches in scope that also come after the `after` pattern, when there is one (and,
    for a check with `Exact: yes`, that use the pattern's parameter names)."""
    good = search.in_scope
    if search.after is not None:
        good = [info for info in good if comes_after(info, search.after_found)]
    if exact:
        wanted = parameter_names(search.pattern.root)
        good = [info for info in good if parameter_names(info.node) == wanted]
    return good


def all_placed(searches: list[Search], exact: bool = False) -> list[NodeInfo]:
    """Every node that matches any of the patterns, once, in source order."""
    seen: dict[int, NodeInfo] = {}
    for search in searches:
        for info in placed(search, exact):
            seen.setdefault(id(info.node), info)
    return sorted(seen.values(), key=lambda info: info.start)


def expect_outcome(check: CheckSpec, searches: list[Search]) -> CheckOutcome:
    good = all_placed(searches, check.exact)
    if good and check.count is not None and len(good) != check.count:
        return CheckOutcome([miscounted(check, good, searches[0].index)])
    if good:
        line, column = good[0].start
        note = naming_note(good[0], searches)
        return CheckOutcome([Feedback(check.label, True, note, line, column + 1)])
    for search in searches:
        explanation = near_miss(search)
        if explanation is not None:
            return CheckOutcome(
                [explained(check, explanation)], claimed_lines=set(explanation.claims)
            )
    nearest = scope_line(check.inside, searches[0].index)
    return CheckOutcome([Feedback(check.label, False, check.message, nearest, None)])


def miscounted(check: CheckSpec, good: list[NodeInfo], index: CodeIndex) -> Feedback:
    lines = ", ".join(str(info.start[0]) for info in good[:MAX_PER_TOPIC])
    times = "once" if check.count == 1 else f"{check.count} times"
    quoted = index.quote(good[0].node)
    text = (
        f"Lines {lines} each have `{quoted}`; it must appear exactly {times}."
        if len(good) > 1
        else f"Only line {lines} has `{quoted}`; it must appear exactly {times}."
    )
    line, column = good[-1].start if len(good) > 1 else good[0].start
    return Feedback(check.label, False, f"{text} {check.message}", line, column + 1)


def naming_note(info: NodeInfo, searches: list[Search]) -> str:
    """A def that passes with another name for its one parameter: say what is usual."""
    found = parameter_names(info.node)
    for search in searches:
        wanted = parameter_names(search.pattern.root)
        if wanted and found and wanted != found and len(wanted) == len(found) == 1:
            return (
                f"`{found[0]}` works: Django passes the request as the first argument, "
                f"whatever its name. `{wanted[0]}` is the convention, and what other Django "
                "code will lead readers to expect."
            )
    return ""


def explained(check: CheckSpec, explanation: Explanation) -> Feedback:
    message = f"{explanation.text} {check.message}"
    return Feedback(check.label, False, message, explanation.line, explanation.column)


def scope_line(inside: str | None, index: CodeIndex) -> int | None:
    """The def line of the function a check looks inside, as the nearest relevant line."""
    names = [part for part in scope_parts(inside) if part not in SCOPE_WORDS]
    if not names:
        return None
    for info in index.of_types((ast.FunctionDef, ast.AsyncFunctionDef)):
        if getattr(info.node, "name", None) == names[0]:
            return info.start[0]
    return None


def forbid_outcome(check: CheckSpec, searches: list[Search]) -> CheckOutcome:
    bad = all_placed(searches)
    if not bad:
        return CheckOutcome([Feedback(check.label, True, "")])
    index = searches[0].index
    # The first few point the way; hundreds of copies of one finding are noise.
    items = [
        Feedback(
            check.label,
            False,
            f"Line {info.start[0]} has `{index.quote(info.node)}`. {check.message}",
            info.start[0],
            info.start[1] + 1,
        )
        for info in bad[:MAX_PER_TOPIC]
    ]
    return CheckOutcome(items, claimed_nodes={id(info.node) for info in bad})


@dataclass(frozen=True)
class PatternProblem:
    """Why a check cannot be used. `where` says which part of it is at fault: the index of
    the pattern in `check.patterns`, "inside", "after" or "check"; `line` is the line within
    that pattern, when known."""

    message: str
    where: int | str
    line: int | None = None


def pattern_problems(check: CheckSpec) -> list[str]:
    """Why a check cannot be used as written; [] when it can."""
    return [problem.message for problem in pattern_problem_details(check)]


def pattern_problem_details(check: CheckSpec) -> list[PatternProblem]:
    problems: list[PatternProblem] = []
    sources: list[tuple[int | str, str, str | None]] = [
        (number, "pattern" if len(check.patterns) == 1 else f"pattern {number + 1}", source)
        for number, source in enumerate(check.patterns)
    ]
    sources.append(("after", "after", check.after))
    for where, role, source in sources:
        if source is None:
            continue
        try:
            pattern = pattern_compile(source)
        except PatternError as error:
            problems.append(PatternProblem(f"{role}: {error}", where, error.line))
            continue
        if is_wildcard(pattern.root):
            problems.append(
                PatternProblem(
                    f"{role}: `__` alone matches any code, so the check means nothing", where, 1
                )
            )
    if check.kind not in ("expect", "forbid"):
        problems.append(
            PatternProblem(f"kind must be expect or forbid, not {check.kind!r}", "check")
        )
    for part in scope_parts(check.inside):
        if part not in SCOPE_WORDS and not part.isidentifier():
            problems.append(
                PatternProblem(
                    "inside must be a function name, `module`, `async def`, `def` or `except` "
                    f"(several separated by commas), not {part!r}",
                    "inside",
                )
            )
    if check.count is not None and check.count < 1:
        problems.append(PatternProblem(f"count must be 1 or more, not {check.count}", "check"))
    return problems
