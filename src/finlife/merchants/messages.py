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
    "ui.disable_staff_of": {"zh-CN": "停用 {name}", "en": "Disable {name}"},
    "ui.enable_staff_of": {"zh-CN": "启用 {name}", "en": "Enable {name}"},
    "ui.reset_password_of": {"zh-CN": "重置 {name} 的密码", "en": "Reset {name}'s password"},
    "ui.reset_password": {"zh-CN": "重置密码", "en": "Reset password"},
    "ui.staff_disabled": {
        "zh-CN": "{name} 已停用，无法再登录",
        "en": "{name} is disabled and can no longer sign in",
    },
    "ui.staff_enabled": {"zh-CN": "{name} 已启用", "en": "{name} can sign in again"},
    "ui.temporary_password": {
        "zh-CN": "{name} 的新密码（只显示这一次，请当面交给本人）：",
        "en": "{name}'s new password (shown only this once; hand it over in person):",
    },
    "ui.you": {"zh-CN": "（你）", "en": "(you)"},
}
