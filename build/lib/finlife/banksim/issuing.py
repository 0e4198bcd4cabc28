"""The card host: answers ISO 8583 financial requests (0200), reversals (0400) and echo tests (0800).

Checks run in a card host's order: invalid transaction (12), invalid amount (13), unknown card (14),
blocked card (57), expiry (54), PIN (55), per-transaction limit (61), funds (51). Requests are keyed
by RRN (field 37): a repeated request gets the first answer again, and a reversal that arrives before
its request (the request was slow) leaves a mark so that the late request is declined, not applied.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from finlife.banksim.books import BUSINESS_TZ, Booking, Books, now
from finlife.kit import iso8583
from finlife.kit.iso8583 import Message

APPROVED = "00"
DO_NOT_HONOUR = "05"
PER_TRANSACTION_LIMIT = 5_000_000  # fen: 50,000 CNY per card payment
PURCHASE = "000000"


class Issuer:
    def __init__(self, books: Books) -> None:
        self.books = books
        self.answers: dict[str, Message] = {}  # RRN → the answer given
        self.reversed_early: set[str] = set()  # RRNs reversed before their request arrived

    def _check(self, request: Message) -> str:
        if request.get("3") != PURCHASE:
            return "12"
        amount = int(request.get("4", "0") or 0)
        if amount <= 0 or request.get("49") != iso8583.CNY_NUMERIC:
            return "13"
        card = self.books.cards.get(request.get("2", ""))
        if card is None:
            return "14"
        if card.status != "active":
            return "57"
        this_month = datetime.now(BUSINESS_TZ).strftime("%y%m")
        if request.get("14") != card.expiry or card.expiry < this_month:
            return "54"
        block = request.get("52")
        if block is not None and iso8583.pin_from_block(block, card.pan) != card.pin:
            return "55"
        if amount > PER_TRANSACTION_LIMIT:
            return "61"
        if self.books.accounts[card.account_number].balance < amount:
            return "51"
        return APPROVED

    def _answer(self, request: Message, code: str) -> Message:
        answer: Message = {
            key: request[key] for key in ("2", "3", "4", "7", "11", "37", "41", "42", "49") if key in request
        }
        answer["t"] = iso8583.RESPONSE_OF[request["t"]]
        answer["39"] = code
        if code == APPROVED and request["t"] != iso8583.REVERSAL:
            answer["38"] = f"{secrets.randbelow(1_000_000):06d}"
        return answer

    def financial(self, request: Message, *, decline: bool = False) -> Message:
        """Debit the card's account, or decline; once per RRN."""
        rrn = request.get("37", "")
        with self.books.lock:
            if rrn in self.answers:
                return self.answers[rrn]
            if rrn in self.reversed_early:
                code = DO_NOT_HONOUR  # reversed already: the acquirer has given up on it
            else:
                code = DO_NOT_HONOUR if decline else self._check(request)
            if code == APPROVED:
                card = self.books.cards[request["2"]]
                self.books.book(
                    Booking(rrn, "card_payment", card.account_number, -int(request["4"]), "CNY", now())
                )
            answer = self._answer(request, code)
            self.answers[rrn] = answer
            return answer

    def reversal(self, request: Message) -> Message:
        """Undo the request with the same RRN (once); acknowledged whether or not it was seen."""
        rrn = request.get("37", "")
        with self.books.lock:
            if not self.books.undo(rrn) and rrn not in self.answers:
                self.reversed_early.add(rrn)
            return self._answer(request, APPROVED)

    def handle(self, request: Message, *, decline: bool = False) -> Message:
        kind = request.get("t")
        if kind in (iso8583.FINANCIAL, iso8583.AUTHORISATION):
            return self.financial(request, decline=decline)
        if kind == iso8583.REVERSAL:
            return self.reversal(request)
        if kind == iso8583.NETWORK:
            return self._answer(request, APPROVED)
        return {"t": "0210", "39": "12", **({"37": request["37"]} if "37" in request else {})}
