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
SIGN_OUT_EVERYWHERE = "/v1/me/sessions/revoke-all"


@schema.parametrize()
def test_operation(case: Case, app: FastAPI, world: World, role: str) -> None:
    case.call_and_validate(headers=world.headers[role], app=app)
    if case.path == SIGN_OUT_EVERYWHERE:
        world.sign_in_again(role)  # it ended the role's every token: the rest of the run needs a new one
