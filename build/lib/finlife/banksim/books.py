"""The simulated bank's books: accounts, cards and every booking it made, kept in memory.

The accounts file is JSON: ``[{"account_number", "name", "id_number", "balance", "cards": [{"pan",
"expiry" (YYMM), "pin", "status"?}]}]``; balances are in fen. One lock guards every change, so
concurrent authorisations and transfers see consistent balances.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
SETTLEMENT_COLUMNS = ("bank", "business_date", "reference", "kind", "amount", "currency")


@dataclass(slots=True)
class Card:
    pan: str
    expiry: str  # YYMM
    pin: str
    account_number: str
    status: str = "active"


@dataclass(slots=True)
class Account:
    number: str
    name: str
    id_number: str
    balance: int


@dataclass(slots=True)
class Booking:
    """One movement with another bank, signed as it changes the customer's account: a card payment
    debits (negative, and this bank owes the acquirer), a transfer in credits (positive, and the
    sending bank owes this one). The settlement file lists the amounts with this sign."""

    reference: str
    kind: str  # card_payment | transfer_in
    account_number: str
    amount: int
    currency: str
    at: datetime
    reversed: bool = False

    @property
    def business_date(self) -> date:
        return self.at.astimezone(BUSINESS_TZ).date()


@dataclass
class Books:
    code: str
    accounts: dict[str, Account] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    bookings: dict[str, Booking] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def from_spec(cls, code: str, spec: list[dict[str, Any]]) -> Books:
        books = cls(code)
        for item in spec:
            number = str(item["account_number"])
            books.accounts[number] = Account(
                number, str(item["name"]), str(item.get("id_number", "")), int(item.get("balance", 0))
            )
            for card in item.get("cards", []):
                books.cards[str(card["pan"])] = Card(
                    pan=str(card["pan"]),
                    expiry=str(card["expiry"]),
                    pin=str(card["pin"]),
                    account_number=number,
                    status=str(card.get("status", "active")),
                )
        return books

    @classmethod
    def load(cls, code: str, path: Path | None) -> Books:
        spec = json.loads(path.read_text(encoding="utf-8")) if path is not None else []
        return cls.from_spec(code, spec)

    @property
    def bins(self) -> list[str]:
        return sorted({pan[:6] for pan in self.cards})

    def balance(self, account_number: str) -> int | None:
        with self.lock:
            account = self.accounts.get(account_number)
            return None if account is None else account.balance

    def book(self, booking: Booking) -> None:
        """Record a booking and apply it to its account (under the caller's lock)."""
        self.accounts[booking.account_number].balance += booking.amount
        self.bookings[booking.reference] = booking

    def undo(self, reference: str) -> bool:
        """Reverse a booking once (the money goes back); False when there is nothing to reverse."""
        booking = self.bookings.get(reference)
        if booking is None or booking.reversed:
            return False
        booking.reversed = True
        self.accounts[booking.account_number].balance -= booking.amount
        return True

    def settlement_rows(self, day: date) -> list[dict[str, str]]:
        """The day's standing bookings, as the settlement file lists them."""
        with self.lock:
            chosen = [b for b in self.bookings.values() if not b.reversed and b.business_date == day]
        return [
            {
                "bank": self.code,
                "business_date": day.isoformat(),
                "reference": booking.reference,
                "kind": booking.kind,
                "amount": str(booking.amount),
                "currency": booking.currency,
            }
            for booking in sorted(chosen, key=lambda b: (b.at, b.reference))
        ]

    def settlement_csv(self, day: date) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=SETTLEMENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.settlement_rows(day))
        return out.getvalue()

    def write_settlement_file(self, directory: Path, day: date) -> Path:
        """End of day: ``{code}-{date}.csv`` in ``directory``; rewritten if run again."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.code}-{day.isoformat()}.csv"
        path.write_text(self.settlement_csv(day), encoding="utf-8")
        return path


def now() -> datetime:
    return datetime.now(UTC)
