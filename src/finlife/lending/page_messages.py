"""The words of the loan pages (/app and /bank), in both languages."""

_STATUS = {
    "submitted": ("已提交", "Submitted"),
    "under_review": ("审核中", "Under review"),
    "approved": ("已批准", "Approved"),
    "rejected": ("已拒绝", "Rejected"),
    "signed": ("已签约", "Signed"),
    "disbursed": ("已放款", "Paid out"),
    "active": ("还款中", "Repaying"),
    "closed": ("已结清", "Repaid"),
    "written_off": ("已核销", "Written off"),
    "withdrawn": ("已撤回", "Withdrawn"),
}
_CLASSES = {
    "normal": ("正常", "Normal (正常)"),
    "special_mention": ("关注", "Special mention (关注)"),
    "substandard": ("次级", "Substandard (次级)"),
    "doubtful": ("可疑", "Doubtful (可疑)"),
    "loss": ("损失", "Loss (损失)"),
}
_LINES = {
    "scheduled": ("待还", "Not yet due"),
    "paid": ("已还", "Paid"),
    "overdue": ("逾期", "Overdue"),
    "written_off": ("已核销", "Written off"),
}
_STEPS = {
    "apply": ("提交申请", "Apply"),
    "documents": ("提交材料", "Hand in documents"),
    "identity_verified": ("网点面签核身", "Identity checked at a branch"),
    "approve": ("审批", "Approval"),
    "sign": ("签约", "Signing"),
    "disburse": ("放款", "Pay-out"),
    "written_off": ("核销", "Write-off"),
}
_CHANNELS = {
    "mobile": ("手机银行", "Mobile app"),
    "web": ("网上银行", "Web"),
    "branch": ("网点柜面", "Branch"),
    "call_centre": ("客服中心", "Call centre"),
    "partner": ("合作方", "Partner"),
    "pos": ("收银台", "Till"),
    "atm": ("自助设备", "ATM"),
}
_RULES = {
    "ltv": ("贷款成数", "Loan-to-value"),
    "dti": ("收入负债比", "Debt-to-income"),
    "kyc_in_person": ("面签核身", "Identity checked face to face"),
    "approvals": ("审批人数", "Approvals"),
}
_WORDS = {
    "ui.nav.loans": ("贷款", "Loans"),
    "ui.nav.loan_portfolio": ("贷款五级分类", "Loan portfolio"),
    "ui.loan.mine": ("我的贷款", "My loans"),
    "ui.loan.mine_intro": ("申请、签约与还款计划", "Applications, signing and repayment schedules"),
    "ui.loan.none": ("还没有贷款", "No loans yet"),
    "ui.loan.in_progress": ("办理中", "In progress"),
    "ui.loan.next_step": ("下一步", "Next step"),
    "ui.loan.continue": ("继续办理", "Continue"),
    "ui.loan.can_do.documents": ("您现在可以提交材料。", "You can hand in your documents now."),
    "ui.loan.can_do.sign": ("贷款已批准，请核对还款计划后签约。", "Approved: review the schedule and sign."),
    "ui.loan.can_do.wait": ("正在等待银行办理，无需操作。", "The bank is handling this step; nothing to do."),
    "ui.loan.outstanding": ("剩余本金", "Principal outstanding"),
    "ui.loan.amount": ("贷款金额", "Amount"),
    "ui.loan.rate": ("年利率", "Annual rate"),
    "ui.loan.method": ("还款方式", "Repayment method"),
    "ui.loan.method.equal_instalment": ("等额本息", "Equal instalments (等额本息)"),
    "ui.loan.method.equal_principal": ("等额本金", "Equal principal (等额本金)"),
    "ui.loan.days_past_due": ("逾期天数", "Days past due"),
    "ui.loan.days": ("{days} 天", "{days} days"),
    "ui.loan.months": ("{months} 个月", "{months} months"),
    "ui.loan.classification": ("五级分类", "Classification"),
    "ui.loan.penalty": ("应付罚息", "Penalty interest due"),
    "ui.loan.schedule": ("还款计划", "Repayment schedule"),
    "ui.loan.n": ("期数", "No."),
    "ui.loan.due_date": ("还款日", "Due date"),
    "ui.loan.principal": ("本金", "Principal"),
    "ui.loan.interest": ("利息", "Interest"),
    "ui.loan.instalment": ("月供", "Instalment"),
    "ui.loan.paid": ("已还", "Paid"),
    "ui.loan.documents": ("材料名称", "Documents"),
    "ui.loan.documents_hint": ("多份材料用逗号分隔，如：购房合同，收入证明", "Separate them with commas"),
    "ui.loan.hand_in": ("提交材料", "Hand in"),
    "ui.loan.documents_recorded": ("材料已提交", "Documents handed in"),
    "ui.loan.sign_title": ("核对还款计划并签约", "Review the schedule and sign"),
    "ui.loan.sign_intro": (
        "签约即按年利率 {rate} 固定，以下还款计划即入账的计划。",
        "Signing fixes the rate at {rate}; this schedule is the one booked.",
    ),
    "ui.loan.sign": ("确认签约", "Sign"),
    "ui.loan.signed": ("已签约", "Signed"),
    "ui.loan.rate_changed": (
        "基准利率已变动，请重新核对还款计划后再签约",
        "The reference rate has changed: review the schedule again before signing",
    ),
    "ui.loan.apply": ("申请消费贷款", "Apply for a consumer loan"),
    "ui.loan.no_products": ("暂无可申请的贷款产品", "No loan products on offer"),
    "ui.loan.product": ("贷款产品", "Product"),
    "ui.loan.term_months": ("期限（月）", "Term (months)"),
    "ui.loan.repayment_account": ("还款账户", "Repayment account"),
    "ui.loan.monthly_income": ("月收入", "Monthly income"),
    "ui.loan.preview": ("试算还款计划", "Preview the schedule"),
    "ui.loan.preview_title": ("还款计划试算", "Schedule preview"),
    "ui.loan.preview_intro": (
        "按今日年利率 {rate} 试算，签约时以当日利率为准。",
        "At today's rate of {rate}; signing fixes the rate of that day.",
    ),
    "ui.loan.submit": ("提交申请", "Submit the application"),
    "ui.loan.submitted": ("申请已提交", "Application submitted"),
    "ui.loan.queue": ("待审批申请", "Applications to review"),
    "ui.loan.queue_empty": ("没有待审批的申请", "No applications waiting"),
    "ui.loan.four_eyes": (
        "录入人不能审批自己的申请；超过产品限额需两位审批人。",
        "Nobody approves an application they entered; above the product's threshold two officers approve.",
    ),
    "ui.loan.customer": ("客户", "Customer"),
    "ui.loan.rules": ("审批规则", "Decision rules"),
    "ui.loan.rule_passed": ("满足", "Met"),
    "ui.loan.rule_open": ("未满足", "Not met"),
    "ui.loan.journey": ("办理进度", "Journey"),
    "ui.loan.verify_identity": ("面签核身完成", "Identity checked face to face"),
    "ui.loan.identity_verified": ("面签核身已记录", "Face-to-face check recorded"),
    "ui.loan.approve": ("批准", "Approve"),
    "ui.loan.approved": ("已批准", "Approved"),
    "ui.loan.reject": ("拒绝申请", "Reject"),
    "ui.loan.reason": ("拒绝原因", "Reason"),
    "ui.loan.reason_required": ("请填写拒绝原因", "Give the reason for rejecting"),
    "ui.loan.rejected": ("已拒绝", "Rejected"),
    "ui.loan.disburse": ("放款", "Pay out"),
    "ui.loan.disbursed": ("已放款", "Paid out"),
    "ui.loan.portfolio_intro": (
        "在账贷款按五级分类的笔数与剩余本金",
        "Loans on the books by classification: how many, and the principal outstanding",
    ),
    "ui.loan.write_off": ("核销贷款", "Write off"),
    "ui.loan.write_off_intro": (
        "损失类贷款核销：剩余本金与应收利息转入贷款损失。超过产品限额需两位审批人。",
        "A loan classified as loss: its principal and interest receivable go to loan losses. Above the"
        " product's threshold two officers approve.",
    ),
    "ui.loan.write_off_reason": ("核销原因", "Reason for the write-off"),
    "ui.loan.write_off_pending": (
        "已有 {count} 位审批人同意核销",
        "{count:plural:officer:officers} approved the write-off",
    ),
    "ui.loan.written_off": ("已核销", "Written off"),
    "ui.loan.write_off_reason_required": ("请填写核销原因", "Give the reason for the write-off"),
    "ui.loan.count": ("笔数", "Loans"),
    "ui.loan.total": ("合计", "Total"),
}


def _entries() -> dict[str, dict[str, str]]:
    groups = {
        "ui.loan.status.": _STATUS,
        "ui.loan.class.": _CLASSES,
        "ui.loan.line.": _LINES,
        "ui.journey.step.": _STEPS,
        "ui.journey.channel.": _CHANNELS,
        "ui.loan.rule.": _RULES,
        "": _WORDS,
    }
    words = {prefix + key: pair for prefix, group in groups.items() for key, pair in group.items()}
    words |= {"ui.journey.status.pending": ("待办", "To do"), "ui.journey.status.done": ("已完成", "Done")}
    # The ledger entries lending posts, as a statement or a customer's timeline names them.
    words |= {
        "ui.kind.loan_disbursement": ("贷款发放", "Loan paid out"),
        "ui.kind.loan_collection": ("贷款还款", "Loan repayment"),
    }
    return {key: {"zh-CN": zh, "en": en} for key, (zh, en) in words.items()}


MESSAGES = _entries()
