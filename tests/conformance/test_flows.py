"""The main flows, followed through the document's OpenAPI links (schemathesis's stateful phase).

Each scenario starts at an operation and follows the links of its answers (sign up → account →
transfer; order → QR → pay; campaign → claim ...), as each role, on the seeded world.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.generation.case import Case
from schemathesis.generation.stateful import run_state_machine_as_test

from tests.conformance.world import World, load_schema

pytestmark = pytest.mark.conformance
Workflow = load_schema().as_state_machine()
# Bounds: scenarios per role, and steps (calls) per scenario; see CONTRIBUTING.md, "Contract run".
SCENARIOS = 12
STEPS = 10


def test_flows(app: FastAPI, world: World, role: str) -> None:
    class Flows(Workflow):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": world.headers[role], "app": app}

    run_state_machine_as_test(
        Flows,
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        ),
    )
