"""The settlement module's public face: the API and the CLI call these functions."""

from finlife.settlement.service.booking import settle_merchant
from finlife.settlement.service.calendar import day_bounds, latest_settleable
from finlife.settlement.service.interbank import (
    interbank_positions,
    positions_csv,
    settle_interbank,
    write_positions_report,
)
from finlife.settlement.service.reading import list_settlements, merchant_settlements, settled_by_day
from finlife.settlement.service.report import daily_report, report_csv
from finlife.settlement.service.run import (
    SETTLEMENT_LEASE,
    merchants_awaiting,
    merchants_to_settle,
    settle_day,
    settle_one_by_one,
    summarise,
)

__all__ = [
    "SETTLEMENT_LEASE",
    "daily_report",
    "day_bounds",
    "interbank_positions",
    "latest_settleable",
    "list_settlements",
    "merchant_settlements",
    "merchants_awaiting",
    "merchants_to_settle",
    "positions_csv",
    "report_csv",
    "settle_day",
    "settle_interbank",
    "settle_merchant",
    "settle_one_by_one",
    "settled_by_day",
    "summarise",
    "write_positions_report",
]
