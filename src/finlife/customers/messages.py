"""Words of customers' newer rules, registered in the catalogue when this module is imported."""

from finlife.kit.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "reveal_reason_required": {
        "zh-CN": "请填写查看完整证件号的原因（200 字以内）",
        "en": "Say why you need the whole ID number (200 characters at most)",
    },
    "ui.reveal_id.submit": {"zh-CN": "显示完整证件号", "en": "Show the whole ID number"},
    "ui.reveal_id.reason": {"zh-CN": "查看原因", "en": "Reason"},
    "ui.reveal_id.hint": {
        "zh-CN": "每次查看都记入审计日志，连同原因",
        "en": "Each look is written to the audit log with its reason",
    },
    "ui.reveal_id.shown_once": {
        "zh-CN": "完整证件号仅此一次显示，刷新后恢复脱敏",
        "en": "Shown this once; it is masked again when the page reloads",
    },
    "ui.event.customer.id_number_revealed": {"zh-CN": "查看完整证件号", "en": "Whole ID number shown"},
    "phone_not_on_record": {
        "zh-CN": "该身份证号的客户预留了其他手机号，验证码须发送至预留手机号",
        "en": "This ID number's customer has another phone on record; the code must go to that phone",
    },
    "sms.activation_code": {
        "zh-CN": (
            "【finlife】您设置登录密码的验证码为 {code}，{minutes} 分钟内有效。"
            "请勿告诉他人，银行工作人员不会向您索取。"
        ),
        "en": (
            "[finlife] Your code to set your login password is {code}, valid for {minutes} minutes."
            " Tell nobody: bank staff never ask for it."
        ),
    },
    "ui.activate.title": {"zh-CN": "设置登录密码", "en": "Set your password"},
    "ui.activate.lead": {
        "zh-CN": "已在本行或合作方开户、尚未设置登录密码？用预留手机号接收验证码后设置。",
        "en": (
            "Opened an account with us or a partner but have no password yet?"
            " Get a code on the phone on record."
        ),
    },
    "ui.activate.send_code": {"zh-CN": "获取验证码", "en": "Send me a code"},
    "ui.activate.code_sent": {
        "zh-CN": "如该手机号 {phone} 属于尚未设置密码的客户，验证码已发送。",
        "en": "If {phone} belongs to a customer without a password, a code is on its way.",
    },
    "ui.activate.code": {"zh-CN": "短信验证码", "en": "Code from the text message"},
    "ui.activate.submit": {"zh-CN": "设置密码", "en": "Set password"},
    "ui.activated": {"zh-CN": "密码已设置，请登录", "en": "Password set: please sign in"},
}

register(MESSAGES)
