"""What partners' opening and payment tests share: signed calls (one place to change when the real
RFC 9421 verifier replaces the placeholder) and the codes people receive by text message."""

from __future__ import annotations

import re

from sqlalchemy import select

from finlife.identity.sms import SmsMessage
from finlife.kit.db import Database

CODE = re.compile(r"(?<![0-9])([0-9]{6})(?![0-9])")


def signed_headers(token: str, **extra: str) -> dict[str, str]:
    """A partner's call as it must be sent when it moves money or opens accounts.

    The Signature-Input is a dummy for now: finlife.partners.signing only checks it is there. When
    kit.httpsig's verifier is plugged in, this helper signs the request instead."""
    return {
        "Authorization": f"Bearer {token}",
        "Signature-Input": 'sig1=("@method" "@target-uri" "content-digest");keyid="test";alg="ed25519"',
        "Signature": "sig1=:dGVzdA==:",
        **extra,
    }


def last_code(db: Database, phone: str) -> str:
    """The one-time code in the latest text message sent to ``phone``."""
    with db.unit_of_work() as session:
        text = session.execute(
            select(SmsMessage.text)
            .where(SmsMessage.phone == phone, SmsMessage.purpose != "partner_opened")
            .order_by(SmsMessage.id.desc())
            .limit(1)
        ).scalar_one()
    found = CODE.search(text)
    assert found, text
    return found.group(1)


def texts_to(db: Database, phone: str) -> list[str]:
    with db.unit_of_work() as session:
        return list(
            session.execute(select(SmsMessage.text).where(SmsMessage.phone == phone).order_by(SmsMessage.id))
            .scalars()
            .all()
        )
