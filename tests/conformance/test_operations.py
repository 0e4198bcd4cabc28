"""Every operation of /openapi.json, for each role, against the seeded world (schemathesis).

Checks (tests/conformance/schemathesis.toml): no server error; status codes, content types, headers and
bodies as documented; invalid input refused with a 4xx; required headers enforced.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from schemathesis.generation.case import Case

from tests.conformance.world import World, load_schema

pytestmark = pytest.mark.conformance
schema = load_schema()


@schema.parametrize()
def test_operation(case: Case, app: FastAPI, world: World, role: str) -> None:
    case.call_and_validate(headers=world.headers[role], app=app)
