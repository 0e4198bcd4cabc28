"""The words of editing stores and staff, and of the required-field marker, in both languages
(registered when ``finlife.merchants`` is imported)."""

MESSAGES: dict[str, dict[str, str]] = {
    "staff_is_you": {
        "zh-CN": "不能停用或重置自己的账号",
        "en": "You cannot disable or reset your own sign-in",
    },
    "ui.required": {"zh-CN": "必填", "en": "required"},
    "ui.required_note": {"zh-CN": "带 * 的为必填项", "en": "Fields marked * are required"},
    "ui.edit_store": {"zh-CN": "编辑门店", "en": "Edit the store"},
    "ui.store_updated": {"zh-CN": "门店信息已保存", "en": "Store details saved"},
    "ui.staff_status.active": {"zh-CN": "在职", "en": "Active"},
    "ui.staff_status.disabled": {"zh-CN": "已停用", "en": "Disabled"},
    "ui.staff_actions": {"zh-CN": "操作", "en": "Actions"},
    "ui.disable_staff": {"zh-CN": "停用", "en": "Disable"},
    "ui.enable_staff": {"zh-CN": "启用", "en": "Enable"},
    "ui.reset_password_confirm": {
        "zh-CN": "确认重置 {name} 的密码",
        "en": "Yes, give {name} a new password",
    },
    "ui.reset_password_hint": {
        "zh-CN": "旧密码将立即失效，新密码只显示一次。",
        "en": "The old password stops working at once; the new one is shown only once.",
    },
    "ui.reset_password": {"zh-CN": "重置密码", "en": "Reset password"},
    "ui.staff_disabled": {"zh-CN": "已停用，该员工无法再登录", "en": "Disabled: they can no longer sign in"},
    "ui.staff_enabled": {"zh-CN": "已启用，该员工可以重新登录", "en": "Enabled: they can sign in again"},
    "ui.temporary_password": {
        "zh-CN": "{name} 的新密码（只显示这一次，请当面交给本人）：",
        "en": "{name}'s new password (shown only this once; hand it over in person):",
    },
    "ui.you": {"zh-CN": "（你）", "en": "(you)"},
}
