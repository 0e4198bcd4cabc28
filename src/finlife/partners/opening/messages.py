"""The words of accounts opened for partners' users (and the texts sent to their phones), in both
languages."""

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
    # Texts to the person's phone (in the bank's language: see service._text)
    "sms.partner_opening_code": {
        "zh-CN": "【finlife】{partner} 正为您申请开立本行账户，验证码 {code}，{minutes} 分钟内有效。如非本人申请，请勿告诉任何人。",
        "en": "[finlife] {partner} is opening an account with us for you: your code is {code}, valid for {minutes} minutes. If you did not ask for it, tell nobody.",
    },
    "sms.partner_account_opened": {
        "zh-CN": "【finlife】您的{account_class}类账户已开立。请在 {path} 用本手机号设置登录密码。",
        "en": "[finlife] Your Class {account_class} account is open. Set a password for this phone at {path}.",
    },
}
