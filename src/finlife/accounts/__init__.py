"""Deposit accounts of Class I/II/III, their limits, cash, transfers and debit cards."""

from finlife.accounts import messages as _messages  # noqa: F401  (registers the module's words once)
