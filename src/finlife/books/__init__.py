"""The merchant's books (财务管理): a small double-entry book per merchant, written from finlife's
events and by its owner, with P&L, cash flow, takings, coupon return and reconciliation reports.
CONTRIBUTING.md ("The merchant's books") tells the design."""

from finlife.books.messages import MESSAGES
from finlife.kit.i18n import register

register(MESSAGES)
