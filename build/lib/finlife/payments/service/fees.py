"""The merchant fee of one card or QR payment (2016 bank-card fee reform defaults, in settings).

Each part is ``amount × rate``, rounded half-up to the fen, then capped: rates are integers in
millionths (3 500 = 0.35 %), so ``(amount × rate + 500 000) // 1 000 000`` rounds exactly, with no
float or Decimal involved. Each part is rounded on its own and the total is their sum, so the split
always adds up. The fee is accrued per payment and booked at settlement; refunds do not change it.
"""

from __future__ import annotations

from dataclasses import dataclass

from finlife.payments.models import Payment
from finlife.settings import Settings

MILLION = 1_000_000


@dataclass(frozen=True, slots=True)
class Fee:
    issuer: int
    network: int
    acquirer: int

    @property
    def total(self) -> int:
        return self.issuer + self.network + self.acquirer


def part(amount: int, rate_ppm: int, cap: int | None = None) -> int:
    """``amount × rate_ppm / 1 000 000`` rounded half-up to the fen, at most ``cap``."""
    value = (amount * rate_ppm + MILLION // 2) // MILLION
    return value if cap is None else min(value, cap)


def merchant_fee(settings: Settings, amount: int) -> Fee:
    """Issuer (debit, capped), network (capped) and acquirer service fee on a payment of ``amount``."""
    return Fee(
        issuer=part(amount, settings.merchant_fee_issuer_ppm, settings.merchant_fee_issuer_cap),
        network=part(amount, settings.merchant_fee_network_ppm, settings.merchant_fee_network_cap),
        acquirer=part(amount, settings.merchant_fee_acquirer_ppm),
    )


def accrue(settings: Settings, payment: Payment) -> None:
    """Store the merchant fee of an approved card or QR payment on its row (booked at settlement)."""
    fee = merchant_fee(settings, payment.amount)
    payment.fee_issuer, payment.fee_network, payment.fee_acquirer = fee.issuer, fee.network, fee.acquirer
    payment.fee_amount = fee.total
