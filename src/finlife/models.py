"""Every module's tables, imported once so that Alembic and the schema check see the whole schema."""

from finlife.accounts import models as account_models
from finlife.audit import models as audit_models
from finlife.books import models as book_models
from finlife.cashier import models as cashier_models
from finlife.catalog import models as catalog_models
from finlife.customers import models as customer_models
from finlife.events import models as event_models
from finlife.identity import models as identity_models
from finlife.identity import one_time_codes, sms
from finlife.insights import models as insights_models
from finlife.interbank import models as interbank_models
from finlife.journeys import models as journey_models
from finlife.kit import idempotency, leases, outbox
from finlife.kit.db import Base
from finlife.kit.httpsig import models as signature_models
from finlife.kit.jobs import models as job_models
from finlife.ledger import models as ledger_models
from finlife.lending import models as lending_models
from finlife.life import models as life_models
from finlife.marketing import models as marketing_models
from finlife.merchants import models as merchant_models
from finlife.partners import models as partner_models
from finlife.partners.oauth import models as oauth_models
from finlife.partners.opening import models as partner_opening_models
from finlife.partners.payments import models as partner_payment_models
from finlife.partners.registry import models as partner_registry_models
from finlife.partners.webhooks import models as webhook_models
from finlife.payments import models as payment_models
from finlife.payments.approvals import models as refund_approval_models
from finlife.recommend import models as recommend_models
from finlife.search import models as search_models
from finlife.servicecentre import models as servicecentre_models
from finlife.settlement import models as settlement_models
from finlife.takings_credit import models as takings_credit_models
from finlife.wealth import models as wealth_models

MODULES = (
    account_models,
    audit_models,
    book_models,
    cashier_models,
    catalog_models,
    customer_models,
    event_models,
    identity_models,
    idempotency,
    insights_models,
    interbank_models,
    job_models,
    journey_models,
    leases,
    ledger_models,
    lending_models,
    life_models,
    marketing_models,
    merchant_models,
    partner_models,
    one_time_codes,
    partner_registry_models,
    oauth_models,
    partner_opening_models,
    partner_payment_models,
    outbox,
    payment_models,
    refund_approval_models,
    recommend_models,
    search_models,
    servicecentre_models,
    settlement_models,
    takings_credit_models,
    wealth_models,
    signature_models,
    sms,
    webhook_models,
)
metadata = Base.metadata
