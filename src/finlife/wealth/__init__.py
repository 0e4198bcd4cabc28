"""Wealth management: the bank's money-market fund (yields, subscriptions, T+0 and normal
redemptions, daily income paid as units) and the sweep of idle balances into it."""

from finlife.kit.i18n import register
from finlife.wealth.messages import MESSAGES

register(MESSAGES)
