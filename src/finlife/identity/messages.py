"""Words of the payment password, registered when ``finlife.identity`` is imported."""

from finlife.kit.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "payment_password_wrong": {
        "zh-CN": "支付密码错误，还可尝试 {tries_left} 次",
        "en": "Wrong payment password: {tries_left} tries left",
    },
    "payment_password_locked": {
        "zh-CN": "支付密码错误次数过多，已锁定，请 {minutes} 分钟后再试",
        "en": "Too many wrong payment passwords: locked, try again in {minutes} minutes",
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
}

register(MESSAGES)
