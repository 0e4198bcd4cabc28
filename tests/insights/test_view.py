"""The customer 360 view and its timeline: every channel merged newest first, paged and filtered; who
may open it (the customer, serving staff with a reason; never a merchant or a partner); identity
masked by role and channel; staff reads audited."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.audit.models import AuditEvent
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till
from tests.factories import staff_token
from tests.insights.support import REASON, busy_customer, timeline, view, whole_timeline
from tests.partners.factories import partner_token
from tests.partners.support import keyed_partner, signed_headers
from tests.payments.support import Payer


def test_the_timeline_merges_every_channel_newest_first(client: TestClient, till: Till, who: Payer) -> None:
    busy = busy_customer(client, till, who)
    lines = whole_timeline(client, who.token, who.person.customer_id, limit=100)
    times = [line["at"] for line in lines]
    assert times == sorted(times, reverse=True)
    assert {line["kind"] for line in lines} == {"interaction", "money", "coupon", "review"}
    # The last thing done comes first: the review, then the coupon claimed in the app before it.
    assert [lines[0]["kind"], lines[1]["kind"]] == ["review", "coupon"]
    assert lines[1]["id"] == busy.coupon_id and lines[1]["channel"] == "mobile"
    paid = [line for line in lines if line["kind"] == "money" and line["amount"] == -12_300]
    assert len(paid) == 1 and paid[0]["channel"] == "pos" and paid[0]["action"] == "card_payment"
    deposit = [line for line in lines if line["kind"] == "money" and line["amount"] == 200_000]
    assert len(deposit) == 1 and deposit[0]["channel"] == "branch"
    assert {"mobile", "branch", "pos"} <= {line["channel"] for line in lines}
    # Two at a time, following the cursor: the same lines in the same order, none twice.
    paged = whole_timeline(client, who.token, who.person.customer_id, limit=2)
    assert [line["id"] for line in paged] == [line["id"] for line in lines]


def test_the_timeline_filters_by_channel_and_kind(client: TestClient, till: Till, who: Payer) -> None:
    busy_customer(client, till, who)
    everything = whole_timeline(client, who.token, who.person.customer_id, limit=100)
    at_the_till = whole_timeline(client, who.token, who.person.customer_id, channel="pos", limit=1)
    assert at_the_till == [line for line in everything if line["channel"] == "pos"] != []
    money = whole_timeline(client, who.token, who.person.customer_id, kind="money", limit=1)
    assert money == [line for line in everything if line["kind"] == "money"]
    assert [line["amount"] for line in money] == [-12_300, 200_000]


def test_a_cursor_that_is_not_one_is_refused(client: TestClient, who: Payer) -> None:
    answer = timeline(client, who.token, who.person.customer_id, cursor="not-a-cursor")
    assert (answer.status_code, answer.json()["code"]) == (422, "timeline_cursor_invalid")


def test_the_view_gathers_the_customer_and_learns_their_preferences(
    client: TestClient, till: Till, who: Payer
) -> None:
    busy = busy_customer(client, till, who)
    answer = view(client, who.token, who.person.customer_id)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["customer"]["id"] == who.person.customer_id and body["customer"]["masked"] is False
    assert body["kyc_level"] == "verified_in_person"
    assert [a["id"] for a in body["accounts"]] == [who.account_id]
    assert body["accounts"][0]["balance"]["ledger"] == 200_000 - 12_300
    assert [c["account_id"] for c in body["cards"]] == [who.account_id]
    assert [c["id"] for c in body["coupons"]] == [busy.coupon_id]
    assert [(r["store_id"], r["rating"]) for r in body["reviews"]] == [(till.store_id, 5)]
    assert body["preferences"]["categories"] == [
        {"category": "restaurant", "spend_30d": 12_300, "spend_90d": 12_300, "change": None}
    ]
    assert [s["store_id"] for s in body["preferences"]["favourite_stores"]] == [till.store_id]
    assert body["preferences"]["districts"] == ["徐汇区"]
    assert body["preferences"]["channels"]["pos"] == 1
    paid = next(
        line
        for line in whole_timeline(client, who.token, who.person.customer_id)
        if line["amount"] == -12_300
    )
    paid_at = datetime.fromisoformat(paid["at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert body["preferences"]["usual_hours"] == [paid_at.hour]
    # Paid today, once, ¥123.00 in 90 days; joined today, so still new.
    assert body["rfm"] == {"r": 5, "f": 1, "m": 2}
    assert body["lifecycle"] == "new"
    assert body["open_cases"] == [] and body["segments"] == []
    assert body["personalised_marketing"] is True


def test_identity_is_masked_by_role_and_channel(
    client: TestClient, db: Database, settings: Settings, who: Payer
) -> None:
    customer_id = who.person.customer_id
    own = view(client, who.token, customer_id).json()["customer"]
    assert own["phone"] == who.person.phone and own["id_number"] is not None and not own["masked"]
    for role in (Role.TELLER, Role.BANK_ADMIN):
        at_branch = view(client, staff_token(client, db, settings, role), customer_id, **REASON).json()
        assert at_branch["customer"]["phone"] == who.person.phone, role
        on_phone = staff_token(client, db, settings, role, channel="call_centre")
        masked = view(client, on_phone, customer_id, **REASON).json()["customer"]
        assert masked["masked"] is True and masked["birth_date"] is None, role
        assert masked["phone"] == who.person.phone[:3] + "****" + who.person.phone[-4:]
        assert masked["id_number"] == own["id_number"][:6] + "*" * 8 + own["id_number"][-4:]


def test_merchants_partners_marketing_and_other_customers_cannot_read_a_view(
    client: TestClient, db: Database, settings: Settings, bank: Bank, till: Till, who: Payer
) -> None:
    customer_id = who.person.customer_id
    for path in ("view", "timeline"):
        url = f"/v1/customers/{customer_id}/{path}"
        assert (
            client.get(url, params=REASON, headers={"Authorization": f"Bearer {till.owner}"}).status_code
            == 403
        )
        assert (
            client.get(url, params=REASON, headers={"Authorization": f"Bearer {till.cashier}"}).status_code
            == 403
        )
        marketer = staff_token(client, db, settings, Role.HQ_MARKETING)
        assert (
            client.get(url, params=REASON, headers={"Authorization": f"Bearer {marketer}"}).status_code == 403
        )
        # A partner's service login is refused; its OAuth token is no credential on a people's route.
        service_login = staff_token(client, db, settings, Role.PARTNER)
        assert (
            client.get(url, params=REASON, headers={"Authorization": f"Bearer {service_login}"}).status_code
            == 403
        )
        signer = keyed_partner(db, settings)
        token = partner_token(db, signer.made, scopes=["accounts:read"])
        answer = client.get(url, headers=signed_headers(signer, token, url, method="GET"))
        assert (answer.status_code, answer.json()["code"]) == (401, "unauthenticated")
        stranger = bank.customer()
        assert client.get(url, headers={"Authorization": f"Bearer {stranger.token}"}).status_code == 404


def test_staff_say_why_and_the_read_is_audited(
    client: TestClient, db: Database, settings: Settings, who: Payer
) -> None:
    customer_id = who.person.customer_id
    teller = staff_token(client, db, settings, Role.TELLER)
    refused = view(client, teller, customer_id)
    assert (refused.status_code, refused.json()["code"]) == (422, "view_reason_required")
    assert view(client, teller, "cus_nobody", **REASON).status_code == 404
    assert view(client, teller, customer_id, **REASON).status_code == 200
    assert timeline(client, teller, customer_id, **REASON).status_code == 200
    view(client, who.token, customer_id)  # the customer's own reads are not staff reads
    with db.unit_of_work() as session:
        reads = (
            session.execute(
                select(AuditEvent).where(AuditEvent.action == "customer.view_read").order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
        found = [(r.subject_id, r.actor_username is not None, r.details) for r in reads]
    assert found == [
        (customer_id, True, {"part": "view", "reason": "客户来电查询", "channel": "branch"}),
        (customer_id, True, {"part": "timeline", "reason": "客户来电查询", "channel": "branch"}),
    ]
