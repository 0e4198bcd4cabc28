"""QR payments committed in groups on PostgreSQL (``kit.group_commit``, as transfers): what a request
tells the batch before it runs (``QrHint``), and the locks the batch takes first (``prepare_qr_payments``).

Each payment of a batch still runs ``pay_qr`` as if alone, under a savepoint of its own; the batch
holds every row it locks to its COMMIT. So, before any payment runs, the batch takes the locks its
payments will take, in the order a payment alone takes them: the Idempotency-Keys' advisory locks,
the customers' barcode counters of today (created at zero if missing, so they can be locked), their
deposit accounts' limit counters and ledger rows (``accounts.lock_for_payments``), then the merchants'
pending-settlement rows, last, as hot accounts are locked (``ledger.hot_accounts``). A payment then
waits for nothing another batch may hold while waiting for this one, and the two worker processes'
batches for one merchant take turns on its pending row instead of deadlocking on it.

The pending row also orders what comes after it: the store's popularity count, which a payment of a
batch writes as it runs (``defer_to_commit`` is ``defer_sql`` in a batch), belongs to a store of the
merchant whose pending row the batch already holds. Rows locked by a payment itself and not here (its
code, its order, tracked stock, coupons) are its own, or shared only with a card payment on the same
order or a second payment of the same code at the same moment: a cycle there is found by PostgreSQL,
the batch fails and each of its payments runs again alone (``kit.group_commit``), as correct as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.cashier import service as cashier
from finlife.kit import emvqr
from finlife.kit.clock import clock
from finlife.kit.db import increment_counters, table_of
from finlife.kit.errors import FinlifeError
from finlife.kit.idempotency import keys_prefetch
from finlife.kit.pipeline import prefetch_together
from finlife.ledger import service as ledger
from finlife.merchants import service as merchants
from finlife.payments.models import QrToken, QrUsage, StoreQr
from finlife.payments.schemas import QrPaymentIn
from finlife.payments.service.qr import reference_of
from finlife.payments.service.usage import DYNAMIC, STATIC
from finlife.settings import Settings

_usage = table_of(QrUsage)


@dataclass(frozen=True, slots=True)
class QrHint:
    """What the batch needs to know of one payment before it runs: its account, its
    Idempotency-Key (scope, key), and its code's reference and kind (None: the payload is not one of
    finlife's codes, which the payment refuses by itself)."""

    account_id: str
    idempotency: tuple[str, str]
    reference: str | None
    kind: str | None


def qr_hint(settings: Settings, body: QrPaymentIn, idempotency: tuple[str, str]) -> QrHint:
    try:
        qr = emvqr.decode(body.payload)
        reference = reference_of(settings, qr)
    except emvqr.InvalidQrPayload:
        return QrHint(body.account_id, idempotency, None, None)
    kind = DYNAMIC if qr.point_of_initiation == "dynamic" else STATIC
    return QrHint(body.account_id, idempotency, reference, kind)


def prepare_qr_payments(session: Session, hints: Sequence[Any], *, settings: Settings) -> None:
    """Before a batch of QR payments runs: every lock its payments will take, in the global order."""
    batch = [hint for hint in hints if isinstance(hint, QrHint)]
    keys = keys_prefetch(session, [hint.idempotency for hint in batch])
    if keys is not None:
        prefetch_together(session, [keys])
    facts = accounts.accounts_facts(session, [hint.account_id for hint in batch])
    day = clock.business_day().isoformat()
    counters = sorted(
        {(facts[h.account_id].customer_id, h.kind) for h in batch if h.account_id in facts and h.kind}
    )
    if counters:  # + 0: made if missing, and locked, in one order for every batch
        increments = [({"customer_id": customer, "day": day, "kind": kind}, 0) for customer, kind in counters]
        increment_counters(session, _usage, column="used", increments=increments)
    accounts.lock_for_payments(session, sorted(facts), to_ledger=[], settings=settings)
    pending = _pending_accounts(session, _merchants_paid(session, batch))
    if pending:
        ledger.lock_accounts(session, pending)


def _merchants_paid(session: Session, batch: Sequence[QrHint]) -> set[str]:
    dynamic = sorted({h.reference for h in batch if h.kind == DYNAMIC and h.reference is not None})
    static = sorted({h.reference for h in batch if h.kind == STATIC and h.reference is not None})
    found: set[str] = set()
    if dynamic:
        orders = session.execute(select(QrToken.order_id).where(QrToken.token.in_(dynamic))).scalars().all()
        found |= cashier.merchants_of_orders(session, orders)
    if static:
        found |= set(
            session.execute(select(StoreQr.merchant_id).where(StoreQr.store_id.in_(static))).scalars()
        )
    return found


def _pending_accounts(session: Session, merchant_ids: set[str]) -> list[str]:
    """The merchants' pending-settlement accounts; a merchant that cannot be paid is left to its
    payments to refuse."""
    pending = set()
    for merchant_id in sorted(merchant_ids):
        try:
            facts = merchants.merchant_facts(session, merchant_id)
        except FinlifeError:
            continue
        if facts.pending_ledger_account_id is not None:
            pending.add(facts.pending_ledger_account_id)
    return sorted(pending)
