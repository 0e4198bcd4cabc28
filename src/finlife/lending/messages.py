"""The words of lending, in both languages."""

MESSAGES: dict[str, dict[str, str]] = {
    "thing.loan": {"zh-CN": "贷款", "en": "loan"},
    "thing.loan_product": {"zh-CN": "贷款产品", "en": "loan product"},
    "loan_product_range_invalid": {
        "zh-CN": "产品的下限不能高于上限",
        "en": "A product's minimum cannot be above its maximum",
    },
    "loan_product_ltv_required": {
        "zh-CN": "按揭产品须设定首套和二套房的最高贷款成数",
        "en": "A mortgage product needs a maximum loan-to-value for first and second homes",
    },
    "loan_reference_rate_missing": {
        "zh-CN": "{day} 没有生效的基准利率 {name}",
        "en": "No {name} reference rate is in force on {day}",
    },
    "loan_developer_unknown": {
        "zh-CN": "开发商不是本行在用的合作方",
        "en": "The developer is not an active partner of the bank",
    },
    "loan_escrow_account_invalid": {
        "zh-CN": "监管账户须为本行在用的账户",
        "en": "The escrow account must be an active account at this bank",
    },
    "loan_escrow_missing": {
        "zh-CN": "开发商 {partner} 尚未登记监管账户",
        "en": "Developer {partner} has no escrow account registered",
    },
    "loan_customer_required": {
        "zh-CN": "请指明申请贷款的客户",
        "en": "Name the customer the application is for",
    },
    "loan_repayment_account_invalid": {
        "zh-CN": "还款账户须为申请人本人在用的账户",
        "en": "The repayment account must be the applicant's own active account",
    },
    "loan_amount_out_of_range": {
        "zh-CN": "贷款金额须在 {min} 至 {max} 分之间",
        "en": "The amount must be between {min} and {max} fen",
    },
    "loan_term_out_of_range": {
        "zh-CN": "贷款期限须在 {min} 至 {max} 个月之间",
        "en": "The term must be between {min} and {max} months",
    },
    "loan_method_not_offered": {
        "zh-CN": "该产品不提供这种还款方式",
        "en": "This product does not offer that repayment method",
    },
    "loan_property_required": {
        "zh-CN": "按揭贷款须提供房产信息",
        "en": "A mortgage needs the property",
    },
    "loan_ltv_exceeded": {
        "zh-CN": "贷款成数 {ltv}% 超过上限 {max}%",
        "en": "Loan-to-value {ltv}% is above the maximum {max}%",
    },
    "loan_dti_exceeded": {
        "zh-CN": "月供收入比 {dti}% 超过上限 {max}%",
        "en": "Debt-to-income {dti}% is above the maximum {max}%",
    },
    "loan_age_beyond_limit": {
        "zh-CN": "借款人年龄加贷款期限不能超过 {max} 岁",
        "en": "Age plus term may not exceed {max} years",
    },
    "loan_identity_not_verified": {
        "zh-CN": "客户身份尚未核实",
        "en": "The customer's identity has not been verified",
    },
    "loan_kyc_in_person_required": {
        "zh-CN": "按揭贷款须在网点当面核实身份",
        "en": "A mortgage needs the customer's identity verified face to face at a branch",
    },
    "loan_approver_is_entrant": {
        "zh-CN": "不能审批自己录入的申请",
        "en": "You cannot decide an application you entered",
    },
    "loan_approver_already_approved": {
        "zh-CN": "已由您审批，须另一位审批人",
        "en": "You have approved it already: another officer must",
    },
    "loan_state_invalid": {
        "zh-CN": "贷款状态为 {status}，不能{action}",
        "en": "The loan is {status}: it cannot {action}",
    },
    "loan_in_arrears": {
        "zh-CN": "贷款有逾期未还款项，请先归还",
        "en": "The loan is in arrears: pay those first",
    },
    "loan_prepayment_too_large": {
        "zh-CN": "提前还款金额超过剩余本金 {outstanding} 分",
        "en": "The prepayment is more than the {outstanding} fen of principal left",
    },
    "loan_write_off_not_loss": {
        "zh-CN": "只有五级分类为损失的贷款才能核销（现逾期 {days} 天）",
        "en": "Only a loan classified as loss can be written off (it is {days} days past due)",
    },
}
