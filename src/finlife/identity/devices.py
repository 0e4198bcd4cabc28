"""Devices with credentials of their own (ATMs): registered by bank staff with a secret shown once and
stored as an argon2 hash; a device asks for its own token (OAuth2 client credentials) for the ``atm``
channel, and once deactivated it gets no token and the ones it holds stop working (``active_device``,
which every device route checks)."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.identity.models import Device
from finlife.identity.schemas import DeviceKind, DeviceOut, DeviceStatus, RegisteredDeviceOut, TokenOut
from finlife.identity.service import hash_secret, verify_secret
from finlife.kit.auth import Channel, issue_token
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, NotFound, Unauthenticated
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.settings import Settings

# The channel each kind of device speaks for; no person's token is ever for one of these.
DEVICE_CHANNELS = {DeviceKind.ATM: Channel.ATM}


class DeviceDeactivated(Unauthenticated):
    code = "device_deactivated"


class ChannelNotPermittedForDevice(FinlifeError):
    code = "channel_not_permitted_for_device"
    status = 403

    def __init__(self, channel: Channel) -> None:
        super().__init__(params={"channel": channel.value}, field="X-Channel")


def _out(device: Device) -> DeviceOut:
    return DeviceOut(
        id=device.public_id,
        kind=DeviceKind(device.kind),
        branch=device.branch,
        label=device.label,
        status=DeviceStatus(device.status),
        created_at=device.created_at,
        deactivated_at=device.deactivated_at,
    )


def register_device(
    session: Session, settings: Settings, *, kind: DeviceKind, branch: str, label: str, created_by: str
) -> RegisteredDeviceOut:
    """A new device and its secret; the answer is the only place the secret ever appears."""
    secret = secrets.token_urlsafe(32)
    device = Device(
        public_id=new_id("dev"),
        kind=kind.value,
        branch=branch,
        label=label,
        secret_hash=hash_secret(secret, settings),
        status=DeviceStatus.ACTIVE.value,
        created_by=created_by,
        created_at=clock.now(),
        deactivated_at=None,
    )
    session.add(device)
    session.flush()
    return RegisteredDeviceOut(**_out(device).model_dump(), secret=secret)


def list_devices(session: Session, params: PageParams) -> Page[DeviceOut]:
    """Every registered device, newest first."""
    rows, has_more = paginate(
        session, select(Device), id_column=Device.id, public_id_column=Device.public_id, params=params
    )
    return Page(data=[_out(device) for device in rows], has_more=has_more)


def deactivate_device(session: Session, device_id: str) -> DeviceOut:
    """Stop a device for good: no new token, and the tokens it holds are refused from now on."""
    device = session.execute(
        select(Device).where(Device.public_id == device_id).with_for_update()
    ).scalar_one_or_none()
    if device is None:
        raise NotFound("device")
    if device.status != DeviceStatus.DEACTIVATED:
        device.status = DeviceStatus.DEACTIVATED.value
        device.deactivated_at = clock.now()
        session.flush()
    return _out(device)


def active_device(session: Session, device_id: str) -> DeviceOut:
    """The device a device token names, if it is still active (401 ``device_deactivated`` if not)."""
    device = session.execute(select(Device).where(Device.public_id == device_id)).scalar_one_or_none()
    if device is None or device.status != DeviceStatus.ACTIVE:
        raise DeviceDeactivated()
    return _out(device)


def device_token(
    session: Session, settings: Settings, *, client_id: str, client_secret: str, channel: Channel | None
) -> TokenOut:
    """Client-credentials grant: a token for the device's own channel (``atm`` for an ATM), which a
    request may also name; any other channel is refused. Unknown id or wrong secret: ``invalid_client``."""
    device = session.execute(select(Device).where(Device.public_id == client_id)).scalar_one_or_none()
    if device is None or not verify_secret(device.secret_hash, client_secret, settings):
        raise Unauthenticated("invalid_client")
    if device.status != DeviceStatus.ACTIVE:
        raise DeviceDeactivated()
    own = DEVICE_CHANNELS[DeviceKind(device.kind)]
    if channel is not None and channel is not own:
        raise ChannelNotPermittedForDevice(channel)
    token = issue_token(
        secret=settings.secret_key,
        ttl_seconds=settings.token_ttl_seconds,
        user_id=device.public_id,
        username=device.label,
        roles=[],
        customer_id=None,
        channel=own,
        device_id=device.public_id,
    )
    return TokenOut(access_token=token, expires_in=settings.token_ttl_seconds, channel=own)
