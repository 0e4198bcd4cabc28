"""The double-entry book: ledger accounts, immutable entries, holds, reversals, trial balance."""
