"""The OAuth pages' words and error codes (zh-CN and en)."""

MESSAGES: dict[str, dict[str, str]] = {
    "oauth_request_refused": {
        "zh-CN": "无法处理该授权请求：{reason}",
        "en": "This authorization request cannot be handled: {reason}",
    },
    "consent_accounts_required": {
        "zh-CN": "请至少选择一个要共享的账户",
        "en": "Choose at least one account to share",
    },
    "consent_account_not_yours": {
        "zh-CN": "只能共享您本人名下正常状态的账户",
        "en": "Only your own active accounts can be shared",
    },
    "ui.oauth.title": {"zh-CN": "授权确认", "en": "Give a partner access"},
    "ui.oauth.asks": {
        "zh-CN": "“{partner}”请求访问您在本行的以下信息和功能：",
        "en": "{partner} asks for access to the following at this bank:",
    },
    "ui.oauth.permissions": {"zh-CN": "申请的权限", "en": "Permissions asked for"},
    "ui.oauth.accounts": {"zh-CN": "选择要共享的账户", "en": "Accounts to share"},
    "ui.oauth.no_accounts": {
        "zh-CN": "您没有可共享的正常状态账户",
        "en": "You have no active account to share",
    },
    "ui.oauth.expires": {
        "zh-CN": "授权有效期至 {when}（{days}天），您可随时在“授权管理”中撤销。",
        "en": "Valid until {when} ({days} days); you can revoke it at any time under Consents.",
    },
    "ui.oauth.daily_limit": {
        "zh-CN": "免逐笔确认的每日付款上限：{amount}",
        "en": "Daily total paid without asking you each time: {amount}",
    },
    "ui.oauth.approve": {"zh-CN": "同意授权", "en": "Allow"},
    "ui.oauth.deny": {"zh-CN": "拒绝", "en": "Deny"},
    "ui.oauth.notice": {
        "zh-CN": "本行不会向合作方提供您的登录密码。合作方只能访问您在此选择的账户。",
        "en": "The bank never gives the partner your password. It reaches only the accounts you choose here.",
    },
}
