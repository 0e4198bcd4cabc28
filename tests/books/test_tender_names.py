"""books: every payment method's tender has a name on the page and in the CSV, in both languages."""

from __future__ import annotations


def test_every_payment_method_has_a_tender_name_in_both_languages() -> None:
    # The takings report names tenders by the payment's method (its ledger account's last part); the
    # page and the CSV translate them, and showed qr_merchant and payment_code raw before.
    import finlife.app  # noqa: F401  (registers every module's messages)
    from finlife.kit.i18n import translate
    from finlife.payments.schemas import Method

    for method in Method:
        key = f"books.tender.{method.value}"
        assert translate(key, "zh-CN") != key and translate(key, "en") != key, method
