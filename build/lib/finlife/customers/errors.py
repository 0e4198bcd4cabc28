"""The conditions under which the customers service says no (codes are in kit/i18n)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, RuleViolation


class InvalidPhone(RuleViolation):
    def __init__(self) -> None:
        super().__init__("invalid_phone", field="phone")


class PhoneTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("phone_taken", field="phone")


class WeakPassword(RuleViolation):
    def __init__(self) -> None:
        super().__init__("weak_password", field="password")


class InvalidIdNumber(RuleViolation):
    def __init__(self) -> None:
        super().__init__("invalid_id_number", field="id_number")


class NameMismatch(RuleViolation):
    def __init__(self) -> None:
        super().__init__("name_mismatch", field="name")


class IdNumberTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("id_number_taken", field="id_number")


class IdNumberMismatch(Conflict):
    """A verified customer's ID number cannot be replaced by another one through verification."""

    def __init__(self) -> None:
        super().__init__("id_number_mismatch", field="id_number")
