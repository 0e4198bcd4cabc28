"""The one shape of every error answer (RFC 9457 problem+json), as the OpenAPI document states it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FieldError(BaseModel):
    """One invalid input of a 422 ``validation_error``."""

    field: str = Field(description="Where the input was, dotted (``items.0.quantity``); empty: the body")
    message: str
    type: str = Field(description="Pydantic's error type, e.g. ``missing``, ``string_too_long``")


class Problem(BaseModel):
    """An error answer (``application/problem+json``). ``code`` is stable; the words follow
    ``Accept-Language`` (zh-CN or en). Some codes add their own fields (a card decline its
    ``response_code``), so further properties may appear."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(description="A URI naming the problem: https://finlife.dev/problems/<code>")
    title: str = Field(description="The problem in words, its placeholders filled")
    status: int = Field(description="The HTTP status, repeated")
    detail: str = Field(description="This occurrence in words")
    code: str = Field(description="Stable, machine-readable: what a client branches on")
    instance: str = Field(description="The request's path")
    field: str | None = Field(default=None, description="The input the problem is about, if one is")
    errors: list[FieldError] | None = Field(
        default=None, description="Every invalid input (``validation_error`` only)"
    )
