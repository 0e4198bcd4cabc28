"""Words of unlocking a frozen login: by a code sent to the owner's phone (customer app, API) or by
a teller who checks the owner's ID (bank console)."""

MESSAGES: dict[str, dict[str, str]] = {
    "one_time_code_invalid": {
        "zh-CN": "验证码不正确或已失效，请重新获取",
        "en": "The code is wrong or no longer valid; ask for a new one",
    },
    "sms.unlock_code": {
        "zh-CN": "【finlife】您的登录解锁验证码为 {code}，{minutes} 分钟内有效。请勿告诉他人，银行工作人员不会向您索取。",
        "en": "[finlife] Your code to unlock your login is {code}, valid for {minutes} minutes. Tell nobody: bank staff never ask for it.",
    },
    # The customer app
    "ui.unlock.offer": {
        "zh-CN": "用发送到您手机的验证码解锁",
        "en": "Unlock with a code sent to your phone",
    },
    "ui.unlock.title": {"zh-CN": "解锁登录", "en": "Unlock your login"},
    "ui.unlock.lead": {
        "zh-CN": "输入您的登录手机号。若该登录已被冻结，我们会向客户档案中登记的手机发送验证码。",
        "en": "Enter the phone number you sign in with. If that login is frozen, we text a code to the phone on your customer record.",
    },
    "ui.unlock.send": {"zh-CN": "发送验证码", "en": "Text me a code"},
    "ui.unlock.sent": {
        "zh-CN": "如该登录已被冻结，验证码已发送到登记的手机，5 分钟内有效。",
        "en": "If that login is frozen, a code is on its way to the registered phone; it is valid for 5 minutes.",
    },
    "ui.unlock.code": {"zh-CN": "验证码", "en": "Code"},
    "ui.unlock.new_password": {"zh-CN": "新密码（可选）", "en": "New password (optional)"},
    "ui.unlock.new_password_hint": {
        "zh-CN": "不填则保留原密码；至少 8 位",
        "en": "Leave empty to keep your password; at least 8 characters",
    },
    "ui.unlock.submit": {"zh-CN": "解锁", "en": "Unlock"},
    "ui.unlock.again": {"zh-CN": "重新获取验证码", "en": "Send a new code"},
    "ui.unlock.done": {"zh-CN": "登录已解锁，请重新登录", "en": "Your login is unlocked; please sign in"},
    "ui.unlock.username_required": {"zh-CN": "请输入登录手机号", "en": "Enter your phone number"},
    # The teller's customer page
    "ui.unlock.teller_title": {"zh-CN": "登录已冻结", "en": "Login frozen"},
    "ui.unlock.teller_lead": {
        "zh-CN": "该客户的登录因多次密码错误已被冻结。请核对客户出示的身份证件后解锁。",
        "en": "This customer's login is frozen after too many failed sign-ins. Check the ID document they present, then unlock it.",
    },
    "ui.unlock.teller_submit": {"zh-CN": "核对证件并解锁", "en": "Check the ID and unlock"},
    "ui.unlock.teller_done": {"zh-CN": "客户登录已解锁", "en": "The customer's login is unlocked"},
}
