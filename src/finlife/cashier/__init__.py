"""The cashier: orders (draft → open → paid / cancelled) with a calculate preview, shifts with the cash drawer, receipts."""
