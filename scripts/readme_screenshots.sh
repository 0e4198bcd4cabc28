#!/usr/bin/env bash
# The README's pictures of the three apps, taken by the browser tests: runs the tests that take them
# (Debian's Chromium, FINLIFE_CHROMIUM to override), then copies the chosen steps from
# test-results/screenshots/ into docs/screenshots/. Run it after a change to the pages, and commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
SHOTS=test-results/screenshots
DOCS=docs/screenshots

FINLIFE_TEST_DATABASE=sqlite FINLIFE_CHROMIUM=${FINLIFE_CHROMIUM:-/usr/bin/chromium} \
  .venv/bin/python -m pytest -q -m browser -p no:randomly \
  tests/e2e/test_o2o_loop.py tests/e2e/test_accounts_flow.py tests/e2e/test_daily_report.py \
  tests/e2e/test_partner_pages.py tests/e2e/test_consent_screen.py tests/e2e/test_customer_journeys.py \
  tests/e2e/test_mortgage_journey.py tests/e2e/test_teller_journey.py

# docs name  ←  test folder (prefix)  and step (the part after the step number)
while read -r name folder step; do
  found=$(ls "$SHOTS"/"$folder"*/[0-9][0-9]-"$step".png 2>/dev/null | head -n 1 || true)
  if [[ -z "$found" ]]; then
    echo "!! no screenshot '$step' under $SHOTS/$folder*" >&2
    exit 1
  fi
  cp "$found" "$DOCS/$name.png"
  echo "$DOCS/$name.png  <-  $found"
done <<'MAP'
app-nearby              test_the_o2o_loop  app-store-nearby
app-wallet              test_the_o2o_loop  app-coupon-claimed
app-pay-confirm         test_the_o2o_loop  app-pay-confirm
app-account             test_a_teller_serves  app-class-ii-statement
merchant-pos-coupon     test_the_o2o_loop  pos-coupon-applied
merchant-pos-qr         test_the_o2o_loop  pos-order-qr
merchant-report         test_the_owner  report
merchant-reviews        test_the_o2o_loop  merchant-reviews
bank-campaign-approved  test_the_o2o_loop  bank-campaign-approved
bank-customer-page      test_the_o2o_loop  bank-customer-page
bank-partner            test_admins_register_and_approve_a_partner_whose_developer_uses_the_console_chromium-zh-CN  bank-partner-registered
partner-console         test_admins_register_and_approve_a_partner_whose_developer_uses_the_console_chromium-zh-CN  partner-webhook-delivered
app-consent             test_a_customer_approves_a_partner_on_the_consent_screen_chromium-zh-CN  consent-screen-zh-CN
app-transfer-confirm    test_transfer_by_card_number_with_the_name_checked_and_the_payment_password  transfer-confirm
app-mortgage-sign       test_a_mortgage_from_the_developers_app_to_its_escrow_across_channels  app-review-and-sign
bank-cash-voucher       test_the_teller_finds_a_customer_by_card_number_and_takes_cash_with_a_voucher  teller-cash-voucher
MAP
