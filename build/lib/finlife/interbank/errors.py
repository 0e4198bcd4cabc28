"""The conditions under which the interbank service says no (codes and messages in kit/i18n)."""

from __future__ import annotations

from datetime import date

from finlife.kit.errors import Conflict, FinlifeError, RuleViolation


class BankExists(Conflict):
    def __init__(self) -> None:
        super().__init__("bank_exists")


class UnknownBank(RuleViolation):
    def __init__(self) -> None:
        super().__init__("unknown_bank", field="bank_code")


class BinTaken(Conflict):
    """A BIN range belongs to one issuer only, or a card could be routed to two banks."""

    def __init__(self, bin_prefix: str, bank_code: str) -> None:
        super().__init__("bin_taken", params={"bin": bin_prefix, "bank": bank_code})


class NotOtherBank(RuleViolation):
    def __init__(self) -> None:
        super().__init__("not_other_bank", field="bank_code")


class SettlementFileInvalid(RuleViolation):
    def __init__(self, line: int, detail: str) -> None:
        super().__init__("settlement_file_invalid", field="file", params={"line": line, "detail": detail})


class ReconciliationExists(Conflict):
    """A bank's day is reconciled once: a second file would park its differences twice."""

    def __init__(self, bank_code: str, day: date) -> None:
        super().__init__("reconciliation_exists", params={"bank": bank_code, "date": day.isoformat()})


class BankUnreachable(FinlifeError):
    """The other bank did not answer a question it must answer before we go on."""

    code = "bank_unreachable"
    status = 503

    def __init__(self, bank_code: str) -> None:
        super().__init__(params={"bank": bank_code})
