"""ISO 8583 messages between banks, encoded with ``pyiso8583`` and framed for TCP.

Each message on the wire is preceded by its length in two bytes (big-endian), the framing most card
hosts use. Fields follow domain-rules.md: 2 PAN, 3 processing code, 4 amount (n12, fen), 7
transmission time, 11 STAN, 14 expiry (YYMM), 22 POS entry mode, 37 RRN, 38 auth code, 39 response
code, 41 terminal, 42 merchant, 49 currency (ISO 4217 numeric), 52 PIN block.

The PIN travels as an ISO 9564 format-0 block (PIN field XOR PAN field), never as the PIN itself;
on loopback there is no key exchange, so the block is not enciphered.
"""

from __future__ import annotations

import copy
import socket
import struct
from typing import Any

import iso8583
from iso8583.specs import default_ascii

SPEC: dict[str, Any] = copy.deepcopy(default_ascii)
# Our PIN block is 16 hex characters, sent as text like every other field.
SPEC["52"] = {**SPEC["52"], "max_len": 16}

AUTHORISATION = "0100"
FINANCIAL = "0200"
REVERSAL = "0400"
NETWORK = "0800"
RESPONSE_OF = {"0100": "0110", "0200": "0210", "0400": "0410", "0800": "0810"}
CNY_NUMERIC = "156"
ENTRY_MODES = {"swipe": "021", "chip": "051", "contactless": "071"}

Message = dict[str, str]


class FrameError(Exception):
    """The peer closed the connection or sent a frame that is not ISO 8583."""


def encode(message: Message) -> bytes:
    """The message with its two-byte length prefix."""
    body, _ = iso8583.encode(dict(message), SPEC)
    return struct.pack(">H", len(body)) + bytes(body)


def decode(body: bytes) -> Message:
    """A message body (without the prefix) as {field: value}; ``t`` is the MTI."""
    try:
        decoded, _ = iso8583.decode(body, SPEC)
    except (iso8583.DecodeError, ValueError) as exc:
        raise FrameError(str(exc)) from exc
    return {key: value for key, value in decoded.items() if key not in ("p", "h")}


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise FrameError("connection closed")
        chunks.extend(chunk)
    return bytes(chunks)


def read_message(sock: socket.socket) -> Message:
    """Block until one whole framed message has arrived (the socket's timeout applies)."""
    (size,) = struct.unpack(">H", _read_exactly(sock, 2))
    return decode(_read_exactly(sock, size))


def pin_block(pin: str, pan: str) -> str:
    """ISO 9564 format 0: (0, PIN length, PIN, F padding) XOR (0000, 12 PAN digits before the check)."""
    pin_field = f"0{len(pin):X}{pin}".ljust(16, "F")
    pan_field = "0000" + pan[-13:-1]
    return f"{int(pin_field, 16) ^ int(pan_field, 16):016X}"


def pin_from_block(block: str, pan: str) -> str | None:
    """The PIN inside a format-0 block, or None when the block is malformed."""
    try:
        clear = f"{int(block, 16) ^ int('0000' + pan[-13:-1], 16):016X}"
        length = int(clear[1], 16)
    except ValueError:
        return None
    if clear[0] != "0" or not 4 <= length <= 12:
        return None
    pin = clear[2 : 2 + length]
    return pin if pin.isdigit() else None
