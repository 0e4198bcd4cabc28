"""The API contract: the problem+json body, the statuses each route can answer, and the OpenAPI
document that states both (``document``)."""

from finlife.kit.contract.openapi import install_contract, own_error_shape
from finlife.kit.contract.problem import FieldError, Problem

__all__ = ["FieldError", "Problem", "install_contract", "own_error_shape"]
