"""The words of accounts opened for partners' users (and of the one-time codes and customers' rules
they meet on the way), in both languages."""

MESSAGES: dict[str, dict[str, str]] = {
    "account_opening_not_pending": {
        "zh-CN": "该开户申请已完成，不能再次确认",
        "en": "This account opening is already done and cannot be confirmed again",
    },
    "one_time_code_too_soon": {
        "zh-CN": "验证码发送过于频繁，请 {seconds} 秒后再试",
        "en": "A code was sent moments ago; try again in {seconds} s",
    },
    "thing.account_opening": {"zh-CN": "开户申请", "en": "account opening"},
}
