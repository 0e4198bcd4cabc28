"""The identity module's own words: one-time codes sent by text message."""

MESSAGES: dict[str, dict[str, str]] = {
    "one_time_code_unknown": {
        "zh-CN": "验证码无效，请重新获取",
        "en": "This code is not valid; ask for a new one",
    },
    "one_time_code_expired": {
        "zh-CN": "验证码已过期，请重新获取",
        "en": "The code has expired; ask for a new one",
    },
    "one_time_code_wrong": {
        "zh-CN": "验证码错误，还可尝试 {tries_left} 次",
        "en": "Wrong code: {tries_left} tries left",
    },
    "one_time_code_used_up": {
        "zh-CN": "验证码已使用或尝试次数已用完，请重新获取",
        "en": "The code was used already or every try is spent; ask for a new one",
    },
}
