"""Words of signed calls (``kit.httpsig``): RFC 9421 message signatures and RFC 9530 digests."""

MESSAGES: dict[str, dict[str, str]] = {
    "signature_missing": {
        "zh-CN": "此调用须带 HTTP 消息签名（Signature-Input 与 Signature 请求头）",
        "en": "This call must carry an HTTP message signature (Signature-Input and Signature headers)",
    },
    "signature_malformed": {
        "zh-CN": (
            '签名格式不符：须为 sig1=("@method" "@target-uri" "content-digest")，'
            '带 created、nonce、keyid，alg="ed25519"'
        ),
        "en": (
            'The signature does not follow the profile: sig1=("@method" "@target-uri" "content-digest")'
            ' with created, nonce and keyid, alg="ed25519"'
        ),
    },
    "signature_expired": {
        "zh-CN": "签名已过期或创建时间在未来，请用当前时间重新签名",
        "en": "The signature is too old or dated in the future; sign the request again now",
    },
    "signature_replayed": {
        "zh-CN": "此 nonce 已用过，请用新的 nonce 重新签名",
        "en": "This nonce was already used; sign the request again with a new nonce",
    },
    "signature_invalid": {
        "zh-CN": "签名校验失败",
        "en": "The signature does not verify",
    },
    "signature_unknown_key": {
        "zh-CN": "签名的 keyid 没有登记的公钥",
        "en": "The signature's keyid has no registered public key",
    },
    "signature_keyid_mismatch": {
        "zh-CN": "签名所用的密钥不属于发起调用的客户端",
        "en": "The signature was made with another client's key than the caller's",
    },
    "content_digest_missing": {
        "zh-CN": "请求须带 sha-256 的 Content-Digest 请求头",
        "en": "The request must carry a sha-256 Content-Digest header",
    },
    "content_digest_mismatch": {
        "zh-CN": "Content-Digest 与请求体不符",
        "en": "The Content-Digest does not match the request body",
    },
    "public_key_invalid": {
        "zh-CN": "公钥须为 Ed25519 公钥（PEM 或 32 字节的 base64）",
        "en": "The public key must be an Ed25519 public key (PEM, or base64 of its 32 bytes)",
    },
}
