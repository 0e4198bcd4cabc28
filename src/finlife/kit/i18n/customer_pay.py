"""Words of the customer's payment code page and of scan-to-pay by uploading a picture of a QR code."""

MESSAGES: dict[str, dict[str, str]] = {
    "ui.action.paycode": {"zh-CN": "付款码", "en": "Pay code"},
    # The payment code page (/app/pay/code)
    "ui.paycode.title": {"zh-CN": "付款码", "en": "Payment code"},
    "ui.paycode.lead": {
        "zh-CN": "向收银员出示，扫一下就付好了",
        "en": "Show it at the till: one scan and it is paid",
    },
    "ui.paycode.choose": {"zh-CN": "选择付款账户", "en": "Choose the account to pay from"},
    "ui.paycode.account": {"zh-CN": "付款账户", "en": "Pay from"},
    "ui.paycode.show": {"zh-CN": "显示付款码", "en": "Show payment code"},
    "ui.paycode.new": {"zh-CN": "刷新付款码", "en": "New code"},
    "ui.paycode.hint": {
        "zh-CN": "每个付款码只能使用一次，很快就会失效；请勿截图或发送给他人。",
        "en": "Each code pays once and expires quickly: never screenshot it or send it to anyone.",
    },
    "ui.paycode.show_cashier": {"zh-CN": "请向收银员出示", "en": "Show this to the cashier"},
    "ui.paycode.barcode": {"zh-CN": "付款码条形码", "en": "The payment code as a barcode"},
    "ui.paycode.qr": {"zh-CN": "付款码二维码", "en": "The payment code as a QR code"},
    "ui.paycode.digits": {"zh-CN": "付款码数字", "en": "The payment code's digits"},
    "ui.paycode.expires_in": {"zh-CN": "{seconds} 秒后失效", "en": "Expires in {seconds} s"},
    "ui.paycode.valid_until": {"zh-CN": "有效期至 {time}", "en": "Valid until {time}"},
    # Once a cashier has taken the code (the page then opens the payment's result)
    "ui.paycode.taken": {"zh-CN": "收银员已扫码，付款完成", "en": "The cashier took your code: paid"},
    "ui.paycode.expired": {
        "zh-CN": "付款码已失效，请刷新付款码",
        "en": "This code has expired: get a new one",
    },
    "ui.paycode.from": {
        "zh-CN": "付款账户：{cls}（尾号 {number}）",
        "en": "Paying from: {cls} ending {number}",
    },
    # Scan to pay by uploading a picture (/app/pay)
    "ui.pay.upload_title": {"zh-CN": "上传二维码图片", "en": "Upload a picture of the QR code"},
    "ui.pay.image": {"zh-CN": "二维码图片", "en": "Picture of the QR code"},
    "ui.pay.image_hint": {
        "zh-CN": "截图或照片均可，不超过 10 MB",
        "en": "A screenshot or a photo, up to 10 MB",
    },
    "ui.pay.read_image": {"zh-CN": "识别图片", "en": "Read the picture"},
    "ui.pay.image_missing": {"zh-CN": "请先选择一张图片", "en": "Choose a picture first"},
    "ui.pay.image_too_large": {
        "zh-CN": "图片太大，请上传不超过 10 MB 的图片",
        "en": "The picture is too large: 10 MB at most",
    },
    "ui.pay.image_unreadable": {
        "zh-CN": "无法打开该图片，请上传 PNG 或 JPEG 格式的图片",
        "en": "This file cannot be opened as a picture: upload a PNG or JPEG",
    },
    "ui.pay.image_no_code": {
        "zh-CN": "图片中没有找到二维码，请换一张更清晰的图片",
        "en": "No QR code found in the picture: try a sharper one",
    },
}
