"""The wealth module's public face: the API, pages, CLI and app call these functions."""

from finlife.wealth.calendar import is_business_day, next_business_day
from finlife.wealth.funds import create_fund, list_funds, publish_yield, yield_history
from finlife.wealth.holdings import FAST_DAILY_LIMIT
from finlife.wealth.income import distribute
from finlife.wealth.orders import cover_shortfall, redeem, subscribe
from finlife.wealth.reading import my_holdings
from finlife.wealth.sweeping import run as sweep
from finlife.wealth.switch import clear_sweep, find_sweep, get_sweep, set_sweep
from finlife.wealth.yield_files import load_yields

__all__ = [
    "FAST_DAILY_LIMIT",
    "clear_sweep",
    "cover_shortfall",
    "create_fund",
    "distribute",
    "find_sweep",
    "get_sweep",
    "is_business_day",
    "list_funds",
    "load_yields",
    "my_holdings",
    "next_business_day",
    "publish_yield",
    "redeem",
    "set_sweep",
    "subscribe",
    "sweep",
    "yield_history",
]
