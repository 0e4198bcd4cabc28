"""Debit cards: the PAN appears once, never in the database; PINs hashed; lookups by HMAC."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from stdnum import luhn

from finlife.accounts import service
from finlife.kit.clock import clock
from finlife.models import metadata
from tests.accounts.support import Bank, audit_count
from tests.factories import headers


def _issue(bank: Bank, account: str, pin: str = "135790", token: str | None = None) -> Any:
    return bank.client.post(
        f"/v1/accounts/{account}/cards", json={"pin": pin}, headers=headers(token or bank.teller)
    )


def _card(bank: Bank) -> tuple[str, dict[str, Any]]:
    person = bank.customer()
    account = bank.funded(person, 0)
    response = _issue(bank, account, token=person.token)
    assert response.status_code == 201, response.text
    return account, response.json()


def test_a_card_is_issued_with_a_luhn_pan_and_a_five_year_expiry(bank: Bank, settings) -> None:  # type: ignore[no-untyped-def]
    account, card = _card(bank)
    pan = card["pan"]
    assert len(pan) == 19 and pan.startswith(settings.card_bin) and luhn.is_valid(pan)
    assert card["masked_pan"] == pan[:6] + "*" * 9 + pan[-4:]
    today = clock.business_day()
    assert card["expiry"] == f"{(today.year + 5) % 100:02d}{today.month:02d}"
    assert card["status"] == "active"
    assert card["account_id"] == account
    assert audit_count(bank.db, "card.issued") == 1


@pytest.mark.parametrize("pin", ["12345", "1234567", "abcdef", "12 345", "１２３４５６"])
def test_the_pin_must_be_six_digits(bank: Bank, pin: str) -> None:
    person = bank.customer()
    account = bank.funded(person, 0)
    response = _issue(bank, account, pin=pin)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_pin"


def test_cards_are_listed_masked_to_the_owner_and_staff_only(bank: Bank) -> None:
    person, intruder = bank.customer(), bank.customer()
    account = bank.funded(person, 0)
    pan = _issue(bank, account).json()["pan"]
    for token in (person.token, bank.teller):
        listed = bank.client.get(f"/v1/accounts/{account}/cards", headers=headers(token))
        assert listed.status_code == 200
        assert [c["masked_pan"] for c in listed.json()] == [pan[:6] + "*" * 9 + pan[-4:]]
        assert pan not in listed.text
    assert (
        bank.client.get(f"/v1/accounts/{account}/cards", headers=headers(intruder.token)).status_code == 404
    )
    assert _issue(bank, account, token=intruder.token).status_code == 404


_COPY_OUT = (
    "import shutil, sys\n"
    "for name in sys.argv[1:]:\n"
    "    shutil.copyfileobj(open(name, 'rb'), sys.stdout.buffer)"
)


def _database_text(bank: Bank) -> str:
    """Every row of every table as text (PostgreSQL), or the raw SQLite files' bytes."""
    if bank.db.is_sqlite:
        # Read by another process: closing a file descriptor of the database in this one would drop
        # every POSIX lock SQLite holds on it here (a later checkpoint could then corrupt it).
        path = Path(bank.db.url.split("///", 1)[1])
        files = [str(p) for p in (path, Path(f"{path}-wal")) if p.exists()]
        read = subprocess.run(  # noqa: S603 (our own interpreter and files)
            [sys.executable, "-c", _COPY_OUT, *files], capture_output=True, check=True
        )
        return read.stdout.decode("latin-1")
    with bank.db.engine.connect() as conn:
        return "\n".join(
            str(row)
            for table in metadata.sorted_tables
            for row in conn.execute(text(f'SELECT * FROM "{table.name}"'))
        )


def test_the_pan_is_never_stored(bank: Bank) -> None:
    _, card = _card(bank)
    stored = _database_text(bank)
    assert card["pan"] not in stored
    assert card["pan"][6:-4] not in stored


def test_a_card_is_found_by_its_pan_and_checks_pin_and_expiry(bank: Bank, settings) -> None:  # type: ignore[no-untyped-def]
    account, card = _card(bank)
    with bank.db.unit_of_work() as session:
        found = service.find_card_by_pan(session, settings, card["pan"])
        assert found is not None and found.id == card["id"] and found.account_id == account
        assert (
            service.find_card_by_pan(session, settings, card["pan"][:-1] + "0") is None
            or card["pan"][-1] == "0"
        )
        assert service.verify_card_pin(session, settings, card_id=card["id"], pin="135790") is True
        pan, expiry = card["pan"], card["expiry"]
        assert service.verify_card_expiry(session, settings, card_id=card["id"], pan=pan, expiry=expiry)
        assert not service.verify_card_expiry(session, settings, card_id=card["id"], pan=pan, expiry="0101")


def test_wrong_pins_block_the_card(bank: Bank, settings) -> None:  # type: ignore[no-untyped-def]
    account, card = _card(bank)
    for _ in range(settings.card_pin_max_failures):
        with bank.db.unit_of_work() as session:
            assert service.verify_card_pin(session, settings, card_id=card["id"], pin="000000") is False
    with bank.db.unit_of_work() as session:
        assert service.verify_card_pin(session, settings, card_id=card["id"], pin="135790") is False
    listed = bank.client.get(f"/v1/accounts/{account}/cards", headers=headers(bank.teller)).json()
    assert listed[0]["status"] == "blocked"
