"""Error words have their placeholders filled: every error built with a catalogue code whose message
has ``{placeholders}`` passes params for each, and the problem's title is rendered with them."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

import finlife
from finlife.interbank.errors import SettlementFileInvalid
from finlife.kit.errors import FinlifeError, install_handlers
from finlife.kit.i18n import CATALOGUE, LANGUAGES

SOURCE = Path(finlife.__file__).parent
# Names the code builds errors with: the kit's classes, and super().__init__ inside a subclass.
ERROR_CALLS = {"FinlifeError", "BadRequest", "Conflict", "Locked", "RuleViolation", "Forbidden", "__init__"}


def _placeholders(code: str) -> set[str]:
    names: set[str] = set()
    for language in LANGUAGES:
        template = CATALOGUE[code].get(language, "")
        names |= {field for _, field, _, _ in string.Formatter().parse(template) if field}
    return names


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def test_every_error_with_placeholders_is_built_with_its_params() -> None:
    unfilled, checked = [], 0
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _called(node) in ERROR_CALLS and node.args):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and first.value in CATALOGUE):
                continue
            wanted = _placeholders(str(first.value))
            if not wanted:
                continue
            checked += 1
            given = {k.arg: k.value for k in node.keywords}
            params = given.get("params")
            if params is None:
                unfilled.append(f"{path.relative_to(SOURCE)}:{node.lineno} {first.value}: no params")
            elif isinstance(params, ast.Dict):
                keys = {k.value for k in params.keys if isinstance(k, ast.Constant)}
                if not wanted <= keys:
                    where = f"{path.relative_to(SOURCE)}:{node.lineno}"
                    unfilled.append(f"{where} {first.value}: missing {sorted(wanted - keys)}")
    assert unfilled == []
    assert checked >= 10


def test_the_title_is_rendered_with_the_params() -> None:
    app = FastAPI()
    install_handlers(app)

    @app.get("/file")
    def bad_file() -> None:
        raise SettlementFileInvalid(line=3, detail="amount")

    @app.get("/plain")
    def plain() -> None:
        raise FinlifeError("validation_error", status=422)

    client = TestClient(app)
    zh = client.get("/file").json()
    assert zh["title"] == "清算文件第 3 行无效：amount" == zh["detail"]
    en = client.get("/file", headers={"Accept-Language": "en"}).json()
    assert en["title"] == "The settlement file is not valid at line 3: amount"
    assert client.get("/plain").json()["title"] == "请求参数有误"


def test_no_title_in_the_catalogue_is_shown_raw() -> None:
    """Any code rendered with its placeholders' params leaves no brace behind."""
    for code in CATALOGUE:
        wanted = _placeholders(code)
        if not wanted:
            continue
        error = FinlifeError(code, status=422, params=dict.fromkeys(wanted, "x"))
        for language in LANGUAGES:
            assert "{" not in error.message(language), (code, language)
