"""Words of channels bound to credentials: sign-in per channel, device credentials, cash at an ATM."""

MESSAGES: dict[str, dict[str, str]] = {
    "channel_mismatch": {
        "zh-CN": "请求声明的渠道（{claimed}）与登录凭证的渠道（{bound}）不一致",
        "en": "The request claims the {claimed} channel, but its credential was issued for {bound}",
    },
    "channel_not_permitted_for_user": {
        "zh-CN": "该账号不能在此渠道登录：{channel}",
        "en": "This login may not sign in on this channel: {channel}",
    },
    "channel_not_permitted_for_device": {
        "zh-CN": "该设备不能在此渠道取得凭证：{channel}",
        "en": "This device may not obtain a token for this channel: {channel}",
    },
    "insufficient_scope": {
        "zh-CN": "合作方的授权不包含此操作所需的权限：{scopes}",
        "en": "The partner's authorisation does not include what this needs: {scopes}",
    },
    "invalid_request": {
        "zh-CN": "请求缺少必填字段",
        "en": "The request lacks a required field",
    },
    "invalid_client": {"zh-CN": "设备编号或密钥错误", "en": "Wrong device id or secret"},
    "device_deactivated": {
        "zh-CN": "该设备已停用，其凭证不再有效",
        "en": "This device is deactivated; its credentials no longer work",
    },
    "card_not_accepted": {
        "zh-CN": "该卡不能在本机使用",
        "en": "This card cannot be used here",
    },
    "wrong_pin": {"zh-CN": "密码错误", "en": "Wrong PIN"},
    "thing.device": {"zh-CN": "设备", "en": "device"},
}
