"""The cashier: orders (open → paid / cancelled) with a calculate preview, shifts with the cash drawer,
and receipts."""
