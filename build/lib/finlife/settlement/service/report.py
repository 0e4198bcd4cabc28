"""The merchant daily report: tenders, goods and hours of one business day, as JSON or CSV.

Every tender counts here, cash included (settlement statements pay out only the non-cash ones).
``net`` is gross − refunds − fees; coupon discounts were taken off the orders before they were paid,
so they are shown for information and not deducted again.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.schemas import OrderOut, OrderStatus
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.payments import service as payments
from finlife.settlement.schemas import (
    DailyReportOut,
    ReportHour,
    ReportItem,
    ReportTender,
    ReportTotals,
)
from finlife.settlement.service.booking import CURRENCY
from finlife.settlement.service.calendar import day_bounds
from finlife.settlement.service.figures import DayFigures
from finlife.settlement.service.reading import merchant_access_to_money


def _orders_paid_on(session: Session, actor: Actor, figures: DayFigures, day: date) -> list[OrderOut]:
    order_ids = sorted({t.order_id for t in figures.takings if t.order_id is not None})
    orders = [cashier.get_order(session, actor, order_id) for order_id in order_ids]
    return [
        order
        for order in orders
        if order.status is OrderStatus.PAID
        and order.paid_at is not None
        and clock.business_day(order.paid_at) == day
    ]


def _items(orders: list[OrderOut]) -> list[ReportItem]:
    items: dict[tuple[str | None, str], ReportItem] = {}
    for order in orders:
        for line in order.lines:
            key = (line.variation_id, line.name)
            item = items.setdefault(
                key,
                ReportItem(
                    variation_id=line.variation_id, sku=line.sku, name=line.name, quantity=0, amount=0
                ),
            )
            item.quantity += line.quantity
            item.amount += line.line_total
    return sorted(items.values(), key=lambda item: (-item.amount, item.name))


def _hours(figures: DayFigures) -> list[ReportHour]:
    hours = [ReportHour(hour=hour, count=0, gross=0) for hour in range(24)]
    for taking in figures.takings:
        bucket = hours[taking.at.astimezone(clock.business_zone).hour]
        bucket.count += 1
        bucket.gross += taking.amount
    return hours


def daily_report(session: Session, actor: Actor, merchant_id: str, day: date | None = None) -> DailyReportOut:
    """One business day of the merchant (default: today so far), for its owner and bank staff
    (403 to its cashiers, 404 to others)."""
    merchant_id = merchant_access_to_money(session, actor, merchant_id)
    day = day or clock.business_day()
    since, until = day_bounds(day)
    activity = payments.merchant_activity(session, merchant_id, since=since, until=until)
    figures = DayFigures(takings=activity.takings, refund_parts=activity.refunds)
    tenders = [
        ReportTender(
            method=line.method,
            count=line.count,
            gross=line.gross,
            refunds=line.refunds,
            fees=line.fees,
            net=line.gross - line.refunds - line.fees,
        )
        for line in figures.tenders()
    ]
    orders = _orders_paid_on(session, actor, figures, day)
    gross = sum(t.amount for t in figures.takings)
    refunds = sum(r.amount for r in figures.refund_parts)
    return DailyReportOut(
        merchant_id=merchant_id,
        date=day,
        currency=CURRENCY,
        totals=ReportTotals(
            payments=len(figures.takings),
            gross=gross,
            refunds=refunds,
            fees=figures.fees,
            coupon_discounts=sum(order.discount for order in orders),
            net=gross - refunds - figures.fees,
        ),
        by_tender=tenders,
        by_item=_items(orders),
        by_hour=_hours(figures),
    )


CSV_COLUMNS = ["section", "key", "name", "count", "quantity", "gross", "refunds", "fees", "net"]


def report_csv(report: DailyReportOut) -> str:
    """The report as one CSV table (amounts in fen), a ``section`` column telling the parts apart:
    totals, tender, item, hour."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    totals = report.totals
    rows: list[list[object]] = [
        [
            "totals",
            report.date.isoformat(),
            "gross",
            totals.payments,
            "",
            totals.gross,
            totals.refunds,
            totals.fees,
            totals.net,
        ],
        ["totals", report.date.isoformat(), "coupon_discounts", "", "", totals.coupon_discounts, "", "", ""],
    ]
    rows += [
        ["tender", t.method, t.method, t.count, "", t.gross, t.refunds, t.fees, t.net]
        for t in report.by_tender
    ]
    rows += [
        ["item", i.variation_id or "", i.name, "", i.quantity, i.amount, "", "", ""] for i in report.by_item
    ]
    rows += [
        ["hour", f"{h.hour:02d}", f"{h.hour:02d}:00", h.count, "", h.gross, "", "", ""]
        for h in report.by_hour
    ]
    writer.writerows(rows)
    return buffer.getvalue()
