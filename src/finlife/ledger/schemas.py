from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel


class AccountKind(StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"


NORMAL_SIDE = {
    AccountKind.ASSET: "debit",
    AccountKind.EXPENSE: "debit",
    AccountKind.LIABILITY: "credit",
    AccountKind.EQUITY: "credit",
    AccountKind.INCOME: "credit",
}


class BankPurpose(StrEnum):
    """The bank's own ledger accounts, one per purpose, currency and (where it matters) branch."""

    CASH_VAULT = "cash_vault"
    CLEARING = "clearing"
    FEE_INCOME = "fee_income"
    MARKETING_EXPENSE = "marketing_expense"
    SUSPENSE = "suspense"
    LOAN_INTEREST_RECEIVABLE = "loan_interest_receivable"  # interest accrued on loans, not yet collected
    LOAN_INTEREST_INCOME = "loan_interest_income"
    LOAN_LOSSES = "loan_losses"  # what written-off loans (principal and interest) cost the bank


BANK_PURPOSE_KIND = {
    BankPurpose.CASH_VAULT: AccountKind.ASSET,
    BankPurpose.CLEARING: AccountKind.ASSET,
    BankPurpose.FEE_INCOME: AccountKind.INCOME,
    BankPurpose.MARKETING_EXPENSE: AccountKind.EXPENSE,
    BankPurpose.SUSPENSE: AccountKind.LIABILITY,
    BankPurpose.LOAN_INTEREST_RECEIVABLE: AccountKind.ASSET,
    BankPurpose.LOAN_INTEREST_INCOME: AccountKind.INCOME,
    BankPurpose.LOAN_LOSSES: AccountKind.EXPENSE,
}


@dataclass(frozen=True, slots=True)
class Line:
    """One posting of an entry to be made: ``amount`` is signed, debit positive."""

    account: str  # ledger account public id (lac_…)
    amount: int
    currency: str


class LedgerAccountOut(BaseModel):
    id: str
    code: str
    name: str
    kind: AccountKind
    normal_side: str
    currency: str
    allow_overdraft: bool
    balance_cap: int | None


class BalanceOut(BaseModel):
    """Balances in the account's normal direction (a customer's deposit shows positive)."""

    ledger: int
    available: int
    held: int
    currency: str


class PostingOut(BaseModel):
    account_id: str
    amount: int
    currency: str
    # None only in the answer of a posting that raised a hot account unlocked (ledger.hot_accounts):
    # its balance is set by the COMMIT; read back, every posting has one.
    balance_after: int | None


class EntryOut(BaseModel):
    id: str
    kind: str
    memo: str
    channel: str
    created_at: datetime
    reverses: str | None
    details: dict[str, Any]
    postings: list[PostingOut]


class StatementLineOut(BaseModel):
    """One posting seen from its account: positive amounts raise the account's normal balance."""

    id: str  # the entry's id; also the pagination cursor
    kind: str
    memo: str
    amount: int
    currency: str
    balance_after: int
    created_at: datetime


class HoldOut(BaseModel):
    id: str
    account_id: str
    amount: int
    captured: int
    currency: str
    status: str
    reference: str | None
    expires_at: datetime
    destination_id: str | None
    capture_entry_id: str | None


class TrialBalanceLine(BaseModel):
    id: str
    code: str
    name: str
    kind: AccountKind
    currency: str
    debit: int
    credit: int
    balance: int  # signed, debit positive


class TrialBalanceOut(BaseModel):
    accounts: list[TrialBalanceLine]
    totals: dict[str, int]  # per currency: the signed sum, always 0
    total: int
