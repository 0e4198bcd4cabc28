"""Words of the payment password, registered when ``finlife.identity`` is imported."""

from finlife.kit.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "sign_in_disabled": {
        "zh-CN": "该账号已被停用，请联系管理员",
        "en": "This sign-in has been disabled: ask whoever manages it",
    },
    "payment_password_wrong": {
        "zh-CN": "支付密码错误，还可尝试 {tries_left} 次",
        "en": "Wrong payment password: {tries_left} tries left",
    },
    "payment_password_locked": {
        "zh-CN": "支付密码错误次数过多，已锁定，请 {minutes} 分钟后再试",
        "en": "Too many wrong payment passwords: locked, try again in {minutes} minutes",
    },
    "payment_password_required": {
        "zh-CN": "向他人转账超过限额需输入支付密码",
        "en": "Transfers to others above the threshold need your payment password",
    },
    "payment_password_not_set": {
        "zh-CN": "请先设置支付密码",
        "en": "Set a payment password first",
    },
    "payment_password_format": {
        "zh-CN": "支付密码须为 6 位数字",
        "en": "The payment password is six digits",
    },
    "payment_password_weak": {
        "zh-CN": "支付密码过于简单（如 111111、123456），请换一个",
        "en": "Too easy to guess (like 111111 or 123456): choose another",
    },
    "sign_in_password_wrong": {
        "zh-CN": "登录密码错误",
        "en": "Wrong sign-in password",
    },
    "ui.me.security": {"zh-CN": "安全", "en": "Security"},
    "ui.paypass.title": {"zh-CN": "支付密码", "en": "Payment password"},
    "ui.paypass.lead": {
        "zh-CN": "6 位数字，向他人大额转账时输入；与登录密码不同",
        "en": "Six digits you type for larger transfers to others; not your sign-in password",
    },
    "ui.paypass.link_hint": {"zh-CN": "设置或修改支付密码", "en": "Set or change it"},
    "ui.paypass.field": {"zh-CN": "支付密码", "en": "Payment password"},
    "ui.paypass.old": {"zh-CN": "原支付密码", "en": "Current payment password"},
    "ui.paypass.sign_in_password": {"zh-CN": "登录密码", "en": "Sign-in password"},
    "ui.paypass.sign_in_hint": {
        "zh-CN": "首次设置支付密码需验证登录密码",
        "en": "Your sign-in password proves it is you, the first time",
    },
    "ui.paypass.new": {"zh-CN": "新支付密码", "en": "New payment password"},
    "ui.paypass.new_hint": {
        "zh-CN": "6 位数字，不要用 111111、123456 这类",
        "en": "Six digits; not like 111111 or 123456",
    },
    "ui.paypass.repeat": {"zh-CN": "再次输入", "en": "Type it again"},
    "ui.paypass.repeat_differs": {"zh-CN": "两次输入不一致", "en": "The two do not match"},
    "ui.paypass.set": {"zh-CN": "设置支付密码", "en": "Set payment password"},
    "ui.paypass.change": {"zh-CN": "修改支付密码", "en": "Change payment password"},
    "ui.paypass.saved": {"zh-CN": "支付密码已保存", "en": "Payment password saved"},
    "ui.password.title": {"zh-CN": "登录密码", "en": "Sign-in password"},
    "ui.password.lead": {"zh-CN": "修改登录密码需验证原密码", "en": "Change it with the current one"},
    "ui.password.link_hint": {"zh-CN": "修改登录密码", "en": "Change it"},
    "ui.password.old": {"zh-CN": "原登录密码", "en": "Current password"},
    "ui.password.new": {"zh-CN": "新登录密码", "en": "New password"},
    "ui.password.new_hint": {"zh-CN": "至少 8 位", "en": "At least 8 characters"},
    "ui.password.change": {"zh-CN": "修改登录密码", "en": "Change password"},
    "ui.password.saved": {"zh-CN": "登录密码已修改", "en": "Password changed"},
    "ui.sessions.title": {"zh-CN": "退出所有设备", "en": "Sign out everywhere"},
    "ui.sessions.link_hint": {
        "zh-CN": "手机丢失或在别人的设备上登录过时使用",
        "en": "When a phone is lost or you signed in on someone else's device",
    },
    "ui.sessions.lead": {
        "zh-CN": "您在所有手机、电脑和应用上的登录都将失效，包括这一台；之后请重新登录。",
        "en": "Every sign-in on every phone, computer and app ends, this one too; then sign in again.",
    },
    "ui.sessions.confirm": {"zh-CN": "确认退出所有设备", "en": "Sign out everywhere now"},
    "ui.sessions.ended": {
        "zh-CN": "已退出所有设备，请重新登录",
        "en": "Signed out everywhere: sign in again",
    },
}

register(MESSAGES)
