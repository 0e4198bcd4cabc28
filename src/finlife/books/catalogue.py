"""The merchant's chart of accounts and the categories an owner books expenses and income under.

Account codes are ``<group>:<name>``. Lines are signed: + debit, − credit. Assets and expenses
grow with debits, revenue and income with credits. The P&L reads the groups:
revenue = −(sales − refunds, ``revenue:*``), fees = ``expense:fees``, coupon cost =
``expense:coupon_cost``, expenses = every other ``expense:*``, other income = −(``income:*``), and
profit = revenue + other income − fees − coupon cost − expenses.
"""

from __future__ import annotations

from typing import Final

BANK: Final = "asset:bank"  # the settlement account at the bank
DRAWER: Final = "asset:drawer"  # the stores' cash drawers
PENDING: Final = "asset:pending"  # owed by the bank: non-cash takings and subsidies before T+1
FUNDS: Final = "asset:funds"  # money-market fund units
OWNER: Final = "equity:owner"  # the owner's own pocket: money put in or taken out
FEES_PAYABLE: Final = "liability:fees"  # merchant fees accrued, not yet charged by settlement
FEES: Final = "expense:fees"
COUPON_COST: Final = "expense:coupon_cost"  # the part of coupons' discounts the merchant funded
INTEREST: Final = "expense:interest"  # loan interest
COUPON_SALES: Final = "revenue:sales:coupon"  # the list price coupons paid for (discounts)
COUPON_REFUNDS: Final = "revenue:refunds:coupon"
FUND_INCOME: Final = "income:fund"
OVER_SHORT: Final = "income:over_short"  # the drawer's count against what it should hold
# Not a ledger account: takings of orders that used a coupon (coupon return), kept in the totals only.
COUPON_ORDERS: Final = "stat:coupon_orders"

TENDERS: Final = ("cash", "card", "qr", "code")
CASH_ACCOUNTS: Final = (BANK, DRAWER)  # the two the cash flow shows

EXPENSE_CATEGORIES: Final = ("rent", "wages", "stock", "utilities", "marketing", "equipment", "tax", "other")
INCOME_CATEGORIES: Final = ("service", "subsidy", "other")
VIAS: Final = {"owner": OWNER, "bank": BANK, "drawer": DRAWER}


def sales(method: str) -> str:
    return f"revenue:sales:{method}"


def refunds(method: str) -> str:
    return f"revenue:refunds:{method}"


def category_account(kind: str, category: str) -> str:
    return f"{kind}:{category}"


def pnl_group(account: str) -> str | None:
    """Which P&L column an account adds to (None: a balance-sheet account)."""
    if account.startswith("revenue:"):
        return "revenue"
    if account == FEES:
        return "fees"
    if account == COUPON_COST:
        return "coupon_cost"
    if account.startswith("expense:"):
        return "expenses"
    if account.startswith("income:"):
        return "other_income"
    return None
