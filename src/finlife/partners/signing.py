"""The signature a partner's call must carry when it moves money or opens accounts (RFC 9421).

Routes take it as one dependency parameter, ``signed: Annotated[str, Depends(signed_by_partner)]``,
so that verifying it is a change in one place.
"""

from __future__ import annotations

from fastapi import Header

from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import register

register(
    {
        "signature_missing": {
            "zh-CN": "此调用须带 HTTP 消息签名（Signature-Input 与 Signature）",
            "en": "This call must carry an HTTP message signature (Signature-Input and Signature)",
        }
    }
)


class SignatureMissing(FinlifeError):
    code = "signature_missing"
    status = 401


async def signed_by_partner(
    signature_input: str | None = Header(
        default=None,
        alias="Signature-Input",
        description="RFC 9421 signature parameters (with `Signature` and `Content-Digest`).",
    ),
) -> str:
    """Placeholder until ``finlife.kit.httpsig`` lands: it only requires ``Signature-Input``.

    The integrator replaces this body with kit.httpsig's verifier keyed by the calling partner's
    registered ``public_key`` (Content-Digest over the body, the signature over
    ``@method @target-uri content-digest``, age and nonce checks, each refusal with its own code).
    """
    if not signature_input:
        raise SignatureMissing()
    return signature_input
