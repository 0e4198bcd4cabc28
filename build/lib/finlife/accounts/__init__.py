"""Deposit accounts of Class I/II/III, their limits, cash, transfers and debit cards."""
