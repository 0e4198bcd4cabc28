"""Where finlife may send a webhook: https only, to hosts whose every address is public.

A webhook is a request the bank's servers make to an address a partner chose, so an address inside
the bank's network (loopback, private, link-local such as cloud metadata at 169.254.169.254, shared,
reserved) would let a partner reach what it must not (SSRF). The rule is checked when an endpoint is
created and again at each attempt, and the attempt connects to the address it checked (with the
URL's host in ``Host`` and TLS SNI): a name that resolved to a public address at creation and to a
private one later (DNS rebinding) is refused then. ``FINLIFE_WEBHOOKS_ALLOW_PRIVATE=true`` lifts both
rules (plain http, private addresses) for local development and the tests.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpx

from finlife.kit.errors import RuleViolation

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UrlRefused(RuleViolation):
    """``webhook_url_invalid`` | ``_insecure`` | ``_unresolvable`` | ``_private``, on the ``url`` field."""

    def __init__(self, code: str) -> None:
        super().__init__(code, field="url")


@dataclass(frozen=True)
class Target:
    """Where an attempt connects: the checked address, and the names the server expects."""

    url: httpx.URL  # the URL with the checked address as its host
    host_header: str
    sni_hostname: str | None


def is_public(address: IpAddress) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def parse(url: str, *, allow_private: bool) -> httpx.URL:
    """The URL if its form is acceptable (the addresses are checked by ``resolve``)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise UrlRefused("webhook_url_invalid") from error
    if parsed.scheme not in ("https", "http") or not parsed.host or parsed.userinfo or parsed.fragment:
        raise UrlRefused("webhook_url_invalid")
    if parsed.scheme == "http" and not allow_private:
        raise UrlRefused("webhook_url_insecure")
    return parsed


def addresses_of(host: str, port: int) -> list[IpAddress]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UrlRefused("webhook_url_unresolvable") from error
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]


def resolve(url: str, *, allow_private: bool) -> Target:
    """Check ``url`` and choose the address to connect to; ``UrlRefused`` if any rule says no."""
    parsed = parse(url, allow_private=allow_private)
    host = parsed.host
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = addresses_of(host, port)
    if not addresses:
        raise UrlRefused("webhook_url_unresolvable")
    if not allow_private and not all(is_public(address) for address in addresses):
        raise UrlRefused("webhook_url_private")
    named = _is_name(host)
    return Target(
        url=parsed.copy_with(host=str(addresses[0])),
        host_header=parsed.netloc.decode("ascii"),
        sni_hostname=host if parsed.scheme == "https" and named else None,
    )


def _is_name(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False
