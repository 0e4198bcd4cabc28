"""Credit transfers received over ISO 20022: pacs.008 in, pacs.002 out; once per UETR.

Reasons (ISO external status reason codes): AC01 unknown account, BE01 the name does not match the
account holder, AM04 amount or currency this bank does not take, AG01 refused (the decline fault).
"""

from __future__ import annotations

import secrets

from finlife.banksim.books import Booking, Books, now
from finlife.kit import iso20022
from finlife.kit.iso20022 import CreditTransfer, StatusReport


class Receiver:
    def __init__(self, books: Books) -> None:
        self.books = books
        self.reports: dict[str, StatusReport] = {}  # UETR → the first answer

    def _reason(self, transfer: CreditTransfer) -> str | None:
        account = self.books.accounts.get(transfer.creditor_account)
        if transfer.creditor_bank != self.books.code or account is None:
            return "AC01"
        if account.name != transfer.creditor_name:
            return "BE01"
        if transfer.currency != "CNY" or transfer.amount <= 0:
            return "AM04"
        return None

    def receive(self, transfer: CreditTransfer, *, decline: bool = False) -> StatusReport:
        """Credit the named account, or reject with a reason; a repeated UETR gets the first answer."""
        with self.books.lock:
            if transfer.uetr in self.reports:
                return self.reports[transfer.uetr]
            reason = "AG01" if decline else self._reason(transfer)
            if reason is None:
                self.books.book(
                    Booking(
                        transfer.uetr,
                        "transfer_in",
                        transfer.creditor_account,
                        transfer.amount,
                        transfer.currency,
                        now(),
                    )
                )
            report = StatusReport(
                msg_id=f"{self.books.code}{secrets.token_hex(8)}",
                original_msg_id=transfer.msg_id,
                end_to_end_id=transfer.end_to_end_id,
                uetr=transfer.uetr,
                status=iso20022.ACCEPTED if reason is None else iso20022.REJECTED,
                reason=reason,
            )
            self.reports[transfer.uetr] = report
            return report

    def verify_binding(self, account_number: str, name: str, id_number: str) -> bool:
        """Does this account exist and belong to this person (name and ID number)?"""
        with self.books.lock:
            account = self.books.accounts.get(account_number)
            return account is not None and account.name == name and account.id_number == id_number
