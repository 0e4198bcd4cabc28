"""Which problems a function can answer: every ``FinlifeError`` it (or anything it reaches) builds.

Read from the source, not from a list kept by hand: the function's AST is walked, every name it
calls or passes on (``service.open_order``, ``partial(work, …)``, ``lambda: …``) is resolved in
its module's globals, and finlife functions are walked in turn. A method called on a value whose
type the source does not say (``account.require_active()``) is looked up by name among finlife's
own classes. Errors are counted where they are *built*, raised or returned (a sign-in returns its
refusal for the route to raise). This over-approximates (a branch never taken still counts),
which a contract may do; tests/kit/test_openapi_contract.py checks the other direction: every
status the suite sees a route answer is documented.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import FunctionType, MethodType, ModuleType
from typing import Any

from finlife.kit.errors import FinlifeError

ROOT = "finlife"


@dataclass(frozen=True, order=True)
class Raised:
    status: int
    code: str


def problems_of(function: Callable[..., Any]) -> frozenset[Raised]:
    """Every (status, code) ``function`` can answer with, through anything it reaches."""
    found: set[Raised] = set()
    seen: set[Any] = set()
    pending = [function]
    while pending:
        current = _unwrap(pending.pop())
        if current is None or current.__code__ in seen:
            continue
        seen.add(current.__code__)
        raised, reached = _read(current)
        found |= raised
        pending.extend(reached)
    return frozenset(found)


def _unwrap(value: Any) -> FunctionType | None:
    if isinstance(value, MethodType):
        value = value.__func__
    value = inspect.unwrap(value) if callable(value) else value
    if isinstance(value, FunctionType) and value.__module__.startswith(ROOT):
        return value
    return None


@cache
def _read(function: FunctionType) -> tuple[frozenset[Raised], tuple[FunctionType, ...]]:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return frozenset(), ()
    scope = _Scope(function)
    raised: set[Raised] = set()
    reached: list[FunctionType] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            target = scope.resolve(node.func)
            if isinstance(target, type) and issubclass(target, FinlifeError):
                raised.add(_built(target, node))
                continue
            if isinstance(target, type) and target.__module__.startswith(ROOT):
                reached.extend(_methods(target, "__init__", "__post_init__"))
            if target is None and isinstance(node.func, ast.Attribute):
                reached.extend(_methods_named(node.func.attr))
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = scope.resolve(node.exc)
            if isinstance(target, type) and issubclass(target, FinlifeError):
                raised.add(_class_problem(target))
        if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            value = scope.resolve(node)
            # A hook a higher module registered is kept in a list or dict: each one is reached.
            hooks = value.values() if isinstance(value, dict) else value
            for candidate in hooks if isinstance(hooks, (list, tuple, type({}.values()))) else [value]:
                found = _unwrap(candidate)
                if found is not None:
                    reached.append(found)
    return frozenset(raised), tuple(reached)


def _built(cls: type[FinlifeError], call: ast.Call) -> Raised:
    """The (status, code) of ``cls(...)``: its literal ``code``/``status`` arguments, else the class's.
    A code only known when the request runs is left empty (the status is still documented)."""
    if cls.__init__ is not FinlifeError.__init__:
        return _class_problem(cls)
    return _arguments(call, Raised(cls.status, cls.code))


def _arguments(call: ast.Call, default: Raised) -> Raised:
    code, status = default.code, default.status
    if call.args:
        code = str(call.args[0].value) if isinstance(call.args[0], ast.Constant) else ""
    for keyword in call.keywords:
        if keyword.arg == "code":
            code = str(keyword.value.value) if isinstance(keyword.value, ast.Constant) else ""
        if keyword.arg == "status" and isinstance(keyword.value, ast.Constant):
            status = keyword.value.value if isinstance(keyword.value.value, int) else status
    return Raised(status, code)


_CLASS_PROBLEMS: dict[type[FinlifeError], Raised] = {}


def _class_problem(cls: type[FinlifeError]) -> Raised:
    """An error class's (status, code): the class's own, or what its ``__init__`` hands to
    ``super().__init__`` (``LimitExceeded`` passes "limit_exceeded")."""
    if cls not in _CLASS_PROBLEMS:
        _CLASS_PROBLEMS[cls] = _read_class_problem(cls)
    return _CLASS_PROBLEMS[cls]


def _read_class_problem(cls: type[FinlifeError]) -> Raised:
    default = Raised(cls.status, cls.code)
    for klass in cls.__mro__:
        if klass is FinlifeError or "__init__" not in vars(klass):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(vars(klass)["__init__"])))
        except (OSError, TypeError, SyntaxError):
            return default
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "__init__"
                and isinstance(node.func.value, ast.Call)
            ):
                return _arguments(node, default)
        return default
    return default


class _Scope:
    """Names as the function sees them: its closure, its module's globals, the builtins."""

    def __init__(self, function: FunctionType) -> None:
        self.names: dict[str, Any] = dict(vars(builtins)) | function.__globals__
        cells = function.__closure__ or ()
        for name, cell in zip(function.__code__.co_freevars, cells, strict=True):
            try:
                self.names[name] = cell.cell_contents
            except ValueError:  # an empty cell: not yet bound
                continue

    def resolve(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            if isinstance(base, (ModuleType, type)):
                return getattr(base, node.attr, None)
        return None


def _methods(cls: type, *names: str) -> Iterator[FunctionType]:
    for name in names:
        found = _unwrap(cls.__dict__.get(name))
        if found is not None:
            yield found


def _methods_named(name: str) -> tuple[FunctionType, ...]:
    return _method_index().get(name, ())


@cache
def _method_index() -> dict[str, tuple[FunctionType, ...]]:
    """finlife's own methods by name (built once, after every module is imported)."""
    index: dict[str, list[FunctionType]] = {}
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith(ROOT) or module is None:
            continue
        for value in list(vars(module).values()):
            if not (isinstance(value, type) and value.__module__ == module_name):
                continue
            for attribute, member in vars(value).items():
                found = _unwrap(
                    member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                )
                if found is not None and not attribute.startswith("__"):
                    index.setdefault(attribute, []).append(found)
    return {name: tuple(found) for name, found in index.items()}
