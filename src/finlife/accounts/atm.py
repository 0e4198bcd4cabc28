"""Cash at an ATM: the machine acts with its own credential (a device token, channel ``atm``) and
the customer with their card and PIN; the cash moves against the vault of the branch the machine is
registered to. Bank staff register, list and deactivate the machines (``identity.devices`` keeps
their credentials; this module records who did it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.accounts.cards import find_card_by_pan, verify_card_pin
from finlife.accounts.common import resolve_one
from finlife.accounts.errors import CardNotAccepted, WrongPin
from finlife.accounts.movements import cash
from finlife.accounts.schemas import MovementOut
from finlife.audit import service as audit
from finlife.identity import devices
from finlife.identity.schemas import DeviceIn, DeviceOut, RegisteredDeviceOut
from finlife.kit.auth import Actor, Channel
from finlife.kit.errors import FinlifeError, Forbidden
from finlife.kit.pagination import Page, PageParams
from finlife.settings import Settings


def register_device(
    session: Session, settings: Settings, actor: Actor, body: DeviceIn
) -> RegisteredDeviceOut:
    """Register a device bound to a branch's cash vault; its secret is in this answer only."""
    registered = devices.register_device(
        session,
        settings,
        kind=body.kind,
        branch=body.branch,
        label=body.label,
        created_by=actor.user_id or "",
    )
    facts = {"kind": registered.kind.value, "branch": registered.branch, "label": registered.label}
    audit.record(
        session, actor, "device.registered", subject_type="device", subject_id=registered.id, details=facts
    )
    return registered


def list_devices(session: Session, params: PageParams) -> Page[DeviceOut]:
    return devices.list_devices(session, params)


def deactivate_device(session: Session, actor: Actor, device_id: str) -> DeviceOut:
    """Stop a device; its tokens are refused from now on."""
    device = devices.deactivate_device(session, device_id)
    audit.record(session, actor, "device.deactivated", subject_type="device", subject_id=device.id)
    return device


def _machine(session: Session, actor: Actor) -> DeviceOut:
    """The ATM whose token this is, still active (only a device's token is ever on ``atm``)."""
    if actor.device_id is None or actor.channel is not Channel.ATM:
        raise Forbidden()
    return devices.active_device(session, actor.device_id)


def check_card(
    session: Session, settings: Settings, actor: Actor, *, card_number: str, pin: str
) -> FinlifeError | None:
    """The card presented at the ATM and its PIN: None when both are good, else the refusal.

    Returned, not raised: a wrong PIN is counted (and blocks the card at the limit), and the count
    must be committed with the refusal, as sign-in commits its failures.
    """
    _machine(session, actor)
    card = find_card_by_pan(session, settings, card_number)
    if card is None or card.status != "active":
        return CardNotAccepted()
    if not verify_card_pin(session, settings, card_id=card.id, pin=pin):
        return WrongPin()
    return None


def atm_cash(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    card_number: str,
    amount: int,
    currency: str,
    deposit: bool,
) -> MovementOut:
    """Cash in or out at the ATM, on the card's account, against its branch's vault. The card and
    PIN were checked by ``check_card`` first (in a unit of work of its own)."""
    machine = _machine(session, actor)
    card = find_card_by_pan(session, settings, card_number)
    if card is None or card.status != "active":
        raise CardNotAccepted()
    account = resolve_one(session, card.account_id)
    return cash(
        session,
        settings,
        actor,
        account=account,
        unit=machine.branch,
        amount=amount,
        currency=currency,
        deposit=deposit,
    )
