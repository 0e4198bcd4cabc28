"""A tiny app whose routes take only signed calls (``kit.httpsig.SignedCall``), wired as finlife's
app is (problem+json handlers, the OpenAPI contract, the answer check), on the test database."""

from dataclasses import dataclass, field
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.kit.contract import install_contract
from finlife.kit.db import Database
from finlife.kit.deps import DbSession
from finlife.kit.errors import Conflict, install_handlers
from finlife.kit.httpsig import SignedCall, VerifiedCall, sign_request
from finlife.kit.httpsig.models import SignatureNonce
from finlife.settings import Settings
from tests.contract import install_answer_check

BASE = "http://testserver"


class Payment(BaseModel):
    amount: int


@dataclass
class SignedApp:
    app: FastAPI
    keys: dict[str, Ed25519PublicKey]
    undocumented: list[str]
    private: dict[str, Ed25519PrivateKey] = field(default_factory=dict)

    def register(self, keyid: str) -> Ed25519PrivateKey:
        key = Ed25519PrivateKey.generate()
        self.keys[keyid] = key.public_key()
        self.private[keyid] = key
        return key

    def headers(
        self, method: str, path: str, body: bytes, keyid: str, **signing: int | str
    ) -> dict[str, str]:
        return sign_request(method, BASE + path, body, self.private[keyid], keyid, **signing)  # type: ignore[arg-type]


def build(settings: Settings, db: Database) -> SignedApp:
    app = FastAPI()
    app.state.settings = settings
    app.state.db = db
    install_handlers(app)
    install_contract(app)
    keys: dict[str, Ed25519PublicKey] = {}

    def registered_key(session: Session, keyid: str) -> Ed25519PublicKey | None:
        return keys.get(keyid)

    Signed = Annotated[VerifiedCall, Depends(SignedCall(registered_key))]

    @app.post("/payments")
    def pay(payment: Payment, signed: Signed, session: DbSession) -> dict[str, object]:
        # The request's own session is used after the signature's unit of work has committed.
        nonces = session.scalar(select(func.count()).select_from(SignatureNonce))
        return {"keyid": signed.keyid, "amount": payment.amount, "nonces": nonces}

    @app.get("/balance")
    def balance(signed: Signed) -> dict[str, str]:
        return {"keyid": signed.keyid}

    @app.post("/payments/as/{client_id}")
    def pay_as(client_id: str, payment: Payment, signed: Signed) -> dict[str, str]:
        signed.require_keyid(client_id)  # the token's client must be the key's owner
        return {"keyid": signed.keyid}

    # A test's own route is not read by the contract (only finlife's code is): its 409 is declared.
    @app.post("/payments/refused", responses={409: {"description": "The route refuses after the signature"}})
    def refused(payment: Payment, signed: Signed) -> None:
        raise Conflict("idempotency_in_progress")

    undocumented = install_answer_check(app)
    return SignedApp(app=app, keys=keys, undocumented=undocumented)
