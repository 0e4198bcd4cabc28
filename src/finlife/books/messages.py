"""The merchant's books' words, in both languages (registered by the package)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # Problems
    "books_range_invalid": {
        "zh-CN": "日期范围无效：开始日期须不晚于结束日期，且不超过 {days} 天",
        "en": "The date range is not valid: from must not be after to, and it spans at most {days} days",
    },
    "books_category_unknown": {
        "zh-CN": "未知的类别：{category}",
        "en": "Unknown category: {category}",
    },
    "books_amount_invalid": {"zh-CN": "金额须大于零", "en": "The amount must be more than zero"},
    "books_entry_not_reversible": {
        "zh-CN": "只能冲销店主录入且尚未冲销的账目",
        "en": "Only an owner's entry that has not been reversed can be reversed",
    },
    "books_receipt_invalid": {
        "zh-CN": "票据图片须为 PNG、JPEG 或 WebP，且不超过 {limit_kb} KB",
        "en": "The receipt picture must be PNG, JPEG or WebP and at most {limit_kb} KB",
    },
    "thing.book_entry": {"zh-CN": "账目", "en": "book entry"},
    "thing.receipt": {"zh-CN": "票据", "en": "receipt"},
    # Categories (expense and income)
    "books.category.expense.rent": {"zh-CN": "房租", "en": "Rent"},
    "books.category.expense.wages": {"zh-CN": "工资", "en": "Wages"},
    "books.category.expense.stock": {"zh-CN": "进货", "en": "Stock purchases"},
    "books.category.expense.utilities": {"zh-CN": "水电煤", "en": "Utilities"},
    "books.category.expense.marketing": {"zh-CN": "推广", "en": "Marketing"},
    "books.category.expense.equipment": {"zh-CN": "设备", "en": "Equipment"},
    "books.category.expense.tax": {"zh-CN": "税费", "en": "Taxes"},
    "books.category.expense.other": {"zh-CN": "其他支出", "en": "Other expenses"},
    "books.category.income.service": {"zh-CN": "服务收入", "en": "Service income"},
    "books.category.income.subsidy": {"zh-CN": "补贴", "en": "Subsidies"},
    "books.category.income.other": {"zh-CN": "其他收入", "en": "Other income"},
    # Report headers (exports and pages)
    "books.col.period": {"zh-CN": "期间", "en": "Period"},
    "books.col.revenue": {"zh-CN": "营业收入", "en": "Revenue"},
    "books.col.fees": {"zh-CN": "手续费", "en": "Fees"},
    "books.col.coupon_cost": {"zh-CN": "优惠券成本", "en": "Coupon cost"},
    "books.col.expenses": {"zh-CN": "费用", "en": "Expenses"},
    "books.col.other_income": {"zh-CN": "其他收入", "en": "Other income"},
    "books.col.profit": {"zh-CN": "利润", "en": "Profit"},
    "books.col.total": {"zh-CN": "合计", "en": "Total"},
    "books.col.account": {"zh-CN": "账户", "en": "Account"},
    "books.col.opening": {"zh-CN": "期初", "en": "Opening"},
    "books.col.inflows": {"zh-CN": "流入", "en": "Inflows"},
    "books.col.outflows": {"zh-CN": "流出", "en": "Outflows"},
    "books.col.closing": {"zh-CN": "期末", "en": "Closing"},
    "books.col.tender": {"zh-CN": "支付方式", "en": "Tender"},
    "books.col.store": {"zh-CN": "门店", "en": "Store"},
    "books.col.hour": {"zh-CN": "时段", "en": "Hour"},
    "books.col.takings": {"zh-CN": "实收", "en": "Takings"},
    "books.account.asset:bank": {"zh-CN": "结算账户", "en": "Settlement account"},
    "books.account.asset:drawer": {"zh-CN": "钱箱现金", "en": "Cash drawer"},
    "books.tender.cash": {"zh-CN": "现金", "en": "Cash"},
    "books.tender.card": {"zh-CN": "银行卡", "en": "Card"},
    "books.tender.qr": {"zh-CN": "扫码", "en": "QR"},
    "books.tender.code": {"zh-CN": "付款码", "en": "Payment code"},
    "books.tender.coupon": {"zh-CN": "优惠券", "en": "Coupon"},
}
