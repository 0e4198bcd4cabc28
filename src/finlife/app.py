"""create_app(settings): the database, the routers of every module and the pages, wired once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError

from finlife import __version__, schema
from finlife.accounts import api as accounts_api
from finlife.accounts import atm_api, payee_api, payee_pages, teller_pages, voucher_pages
from finlife.accounts import pages as accounts_pages
from finlife.accounts import service as accounts_service
from finlife.accounts import statement_pages as accounts_statement_pages
from finlife.accounts import statement_view as accounts_statement_view
from finlife.accounts import transfer_pages as accounts_transfer_pages
from finlife.audit import api as audit_api
from finlife.audit import pages as audit_pages
from finlife.books import api as books_api
from finlife.books import pages as books_pages
from finlife.books.service import ensure_subscribed as subscribe_books
from finlife.cashier import api as cashier_api
from finlife.cashier import service as cashier_service
from finlife.catalog import api as catalog_api
from finlife.catalog import pages as catalog_pages
from finlife.customers import activation_pages as customer_activation_pages
from finlife.customers import api as customers_api
from finlife.customers import pages as customers_pages
from finlife.customers import self_unlock_api, unlock_pages
from finlife.customers import service as customers_service
from finlife.demo import pages as demo_pages
from finlife.events.metrics import RelayMetrics
from finlife.events.runner import StreamThreads
from finlife.identity import api as identity_api
from finlife.identity import pages as identity_pages
from finlife.identity import payment_password_api
from finlife.identity import security_pages as identity_security_pages
from finlife.identity.sessions import SessionGenerations
from finlife.insights import api as insights_api
from finlife.insights import pages as insights_pages
from finlife.insights import segment_pages as insights_segment_pages
from finlife.insights import service as insights_service
from finlife.interbank import api as interbank_api
from finlife.interbank import bank_pages as interbank_bank_pages
from finlife.interbank import pages as interbank_pages
from finlife.interbank import service as interbank_service
from finlife.jobs import api as jobs_api
from finlife.jobs import pages as jobs_pages
from finlife.journeys import api as journeys_api
from finlife.kit import hot_routes, jobs
from finlife.kit.auth import Access
from finlife.kit.contract import install_contract
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError, install_handlers
from finlife.kit.heap import freeze_startup_heap
from finlife.kit.inputs import RefuseUnreadableInput
from finlife.kit.middleware import Metrics, RequestContextMiddleware
from finlife.kit.operators import OperatorAccess
from finlife.ledger import api as ledger_api
from finlife.ledger import service as ledger_service
from finlife.lending import api as lending_api
from finlife.lending import bank_pages as lending_bank_pages
from finlife.lending import pages as lending_pages
from finlife.life import api as life_api
from finlife.life import order_pages as life_order_pages
from finlife.life import pages as life_pages
from finlife.life import staff_pages as life_staff_pages
from finlife.life import wallet_pages as life_wallet_pages
from finlife.marketing import api as marketing_api
from finlife.marketing import bank_pages as marketing_bank_pages
from finlife.marketing import pages as marketing_pages
from finlife.marketing import service as marketing_service
from finlife.merchants import api as merchants_api
from finlife.merchants import onboarding_pages as merchant_onboarding_pages
from finlife.merchants import pages as merchants_pages
from finlife.openapi_links import install as install_openapi_links
from finlife.partners import tokens as partner_tokens
from finlife.partners.consents import api as consents_api
from finlife.partners.consents import pages as consents_pages
from finlife.partners.oauth import api as oauth_api
from finlife.partners.oauth import pages as oauth_pages
from finlife.partners.opening import api as partner_opening_api
from finlife.partners.payments import api as partner_payments_api
from finlife.partners.payments import pages as partner_payments_pages
from finlife.partners.registry import api as partner_registry_api
from finlife.partners.registry import bank_pages as partner_bank_pages
from finlife.partners.registry import calls as partner_calls
from finlife.partners.registry import console as partner_console
from finlife.partners.webhooks import api as webhooks_api
from finlife.partners.webhooks import pages as webhooks_pages
from finlife.partners.webhooks.fanout import ensure_subscribed as subscribe_webhooks
from finlife.partners.webhooks.runner import DeliveryThread
from finlife.payments import api as payments_api
from finlife.payments import overview as payments_overview
from finlife.payments import pages as payments_pages
from finlife.payments import service as payments_service
from finlife.payments.approvals import api as refund_approvals_api
from finlife.payments.approvals import pages as refund_approvals_pages
from finlife.recommend import api as recommend_api
from finlife.recommend import pages as recommend_pages
from finlife.recommend import service as recommend_service
from finlife.servicecentre import api as servicecentre_api
from finlife.servicecentre import metrics_pages as servicecentre_metrics_pages
from finlife.servicecentre import page_forms as servicecentre_forms
from finlife.servicecentre import pages as servicecentre_pages
from finlife.servicecentre import planning_pages as servicecentre_planning_pages
from finlife.servicecentre import service as servicecentre_service
from finlife.servicecentre.quality import RequestOutcomes
from finlife.settings import Settings, get_settings
from finlife.settlement import api as settlement_api
from finlife.settlement import interbank_pages as settlement_interbank_pages
from finlife.settlement import pages as settlement_pages
from finlife.takings_credit import api as takings_credit_api
from finlife.takings_credit import pages as takings_credit_pages
from finlife.wealth import api as wealth_api
from finlife.wealth import pages as wealth_pages
from finlife.wealth import service as wealth_service
from finlife.web.pages import install_pages

# Order matters for speed: each request is matched against the routes in this order, one regular
# expression each (FastAPI keeps no index), so the routers of the busiest paths come first
# (transfers, recommendations, discovery, claims, orders, payments). Moving a router is safe only while
# no route is shadowed by an earlier one (tests/test_route_order.py).
API_ROUTERS = (
    accounts_api.router,
    recommend_api.router,
    life_api.router,
    marketing_api.router,
    cashier_api.router,
    payments_api.router,
    identity_api.router,
    payment_password_api.router,
    payee_api.router,
    atm_api.router,
    audit_api.router,
    customers_api.router,
    ledger_api.router,
    merchants_api.router,
    catalog_api.router,
    refund_approvals_api.router,
    settlement_api.router,
    interbank_api.router,
    jobs_api.router,
    self_unlock_api.router,
    partner_registry_api.router,
    webhooks_api.router,
    oauth_api.router,
    consents_api.router,
    partner_opening_api.router,
    partner_payments_api.router,
    wealth_api.router,
    insights_api.router,
    servicecentre_api.router,
    books_api.router,
    lending_api.router,
    journeys_api.router,
    takings_credit_api.router,
)
# Server-rendered pages of /app, /merchant, /bank and /partner (see finlife.web.pages).
PAGE_ROUTERS = (
    identity_pages.router,
    identity_security_pages.router,
    customers_pages.router,
    accounts_pages.router,
    accounts_statement_pages.router,
    accounts_transfer_pages.router,
    payee_pages.router,
    teller_pages.router,
    merchants_pages.router,
    merchant_onboarding_pages.router,
    catalog_pages.router,
    payments_pages.router,
    settlement_pages.router,
    interbank_pages.router,
    interbank_bank_pages.router,
    settlement_interbank_pages.router,
    marketing_pages.router,
    marketing_bank_pages.router,
    life_pages.router,
    life_wallet_pages.router,
    life_order_pages.router,
    life_staff_pages.router,
    audit_pages.router,
    jobs_pages.router,
    unlock_pages.router,
    partner_bank_pages.router,
    partner_console.router,
    webhooks_pages.router,
    oauth_pages.router,
    consents_pages.router,
    customer_activation_pages.router,
    partner_payments_pages.router,
    refund_approvals_pages.router,
    voucher_pages.router,
    wealth_pages.router,
    insights_pages.router,
    insights_segment_pages.router,
    servicecentre_pages.router,
    servicecentre_forms.router,
    servicecentre_metrics_pages.router,
    servicecentre_planning_pages.router,
    books_pages.router,
    recommend_pages.router,
    lending_pages.router,
    lending_bank_pages.router,
    takings_credit_pages.router,
)
# The busiest routes (kit.hot_routes): straight to their router, without FastAPI's walk of the routes
# before it. Each must be one no earlier route can take (checked when the app is built). The QR
# code's GET is the middle step of every QR checkout.
HOT_ROUTES = (
    ("POST", "/v1/transfers"),
    ("POST", "/v1/life/campaigns/{campaign_id}/claim"),
    ("POST", "/v1/orders"),
    ("GET", "/v1/orders/{order_id}/qr"),
    ("POST", "/v1/qr/payments"),
)
# Pages a production bank does not have: only when their setting turns them on.
DEMO_ROUTERS = (demo_pages.router,)


class NotReady(FinlifeError):
    """This node should not take traffic now (``/readyz``): a load balancer sends it elsewhere."""

    status = 503


NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "Not ready: the database cannot be reached, or its schema is not the code's",
        "content": {"application/problem+json": {}},
    }
}


def create_app(settings: Settings | None = None, *, check_schema: bool = True) -> FastAPI:
    settings = settings or get_settings()
    database = Database(settings.database_url, echo=settings.sql_echo)
    metrics = Metrics()
    relay_metrics = RelayMetrics(metrics.registry, database)
    flush_every = settings.channel_quality_flush_seconds
    outcomes = RequestOutcomes(database, flush_seconds=flush_every) if flush_every > 0 else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if check_schema:
            schema.ensure_current(database.engine, database.url)
        # The outbox relay runs beside the server, off the request path (finlife.events).
        relay = StreamThreads(settings, database, relay_metrics) if settings.relay_in_server else None
        if relay is not None:
            relay.start()
        # Runs again the page-started jobs of a node that died (kit.jobs.takeover).
        claimer = jobs.Claimer(database, settings) if settings.job_claimer_in_server else None
        if claimer is not None:
            claimer.start()
        # Partners' webhooks are sent by a worker of their own, never by the request that made the event.
        webhooks = DeliveryThread(settings, database) if settings.webhooks_worker_in_server else None
        if webhooks is not None:
            webhooks.start()
        freeze_startup_heap()
        try:
            yield
        finally:
            if claimer is not None:
                claimer.stop()
            if webhooks is not None:
                webhooks.stop()
            if relay is not None:
                relay.stop()
            if outcomes is not None:
                outcomes.flush()  # the last seconds' counts
            database.dispose()

    app = FastAPI(
        title="finlife",
        version=__version__,
        description="Finance + Life ecosystem platform: one ledger, one customer record, every channel.",
        lifespan=lifespan,
        # finlife exports its own Prometheus metrics (kit.middleware). FastAPI's OpenTelemetry bridge
        # would look for a configured provider on every request (environment reads and all).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.db = database
    jobs.configure(settings)
    app.state.metrics = metrics
    # Partners' bearer tokens are opaque; kit.auth.Access asks the partners module what one grants.
    app.state.partner_tokens = partner_tokens.resolver(database)
    # A token of a login signed out everywhere since is refused (kit.auth.Access asks identity).
    app.state.session_generations = SessionGenerations(
        database, settings.session_check_seconds, settings.token_ttl_seconds
    )
    # Every answered call made with a partner's token goes to its call log (kit.middleware).
    app.state.partner_calls = partner_calls.recorder(database, settings)
    # Every answered request is counted per channel, outcome and latency for channel planning.
    app.state.request_outcomes = outcomes
    # Committed events become partners' webhook deliveries (a consumer of finlife.events).
    subscribe_webhooks()
    subscribe_books()  # and into the merchants' books
    install_handlers(app)
    app.add_middleware(RefuseUnreadableInput)  # inside the context middleware: its 422s are counted too
    app.add_middleware(RequestContextMiddleware, metrics=metrics)

    @app.get("/healthz", tags=["operations"], dependencies=[Depends(Access.public_route())])
    def healthz() -> dict[str, str]:
        with database.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return {"status": "ok", "version": __version__}

    # The code's own head revision: read once, the code does not change while it runs.
    code_head = schema.head_revision(database.url)

    @app.get(
        "/readyz", tags=["operations"], responses=NOT_READY, dependencies=[Depends(Access.public_route())]
    )
    def readyz() -> dict[str, str | None]:
        """Ready for traffic: the database answers and its schema is the one this code needs."""
        try:
            current = schema.current_revision(database.engine)
        except SQLAlchemyError as error:
            raise NotReady("not_ready_database") from error
        if current != code_head:
            raise NotReady("not_ready_schema", params={"current": current or "-", "head": code_head})
        return {"status": "ready", "version": __version__, "schema": code_head}

    @app.get(
        "/metrics",
        tags=["operations"],
        response_class=PlainTextResponse,
        dependencies=[Depends(OperatorAccess("metrics_token"))],
    )
    def prometheus() -> PlainTextResponse:
        return PlainTextResponse(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    for router in API_ROUTERS:
        app.include_router(router)
    # The teller finds a customer by an account or card number (accounts sits above customers).
    customers_service.register_number_holder(accounts_service.holder_of_number)
    # Receipts list an order's tenders; the cashier sits below payments, so payments plugs them in.
    cashier_service.register_payment_source(payments_service.payment_summaries)
    # The teller's customer page (accounts) shows the customer's coupons and reviews (life).
    teller_pages.register_customer_section(life_staff_pages.customer_section)
    # ... and the customer's consents to partners (partners.consents).
    teller_pages.register_customer_section(consents_pages.customer_section)
    # The merchant home shows today's takings (payments sits above merchants).
    merchants_pages.register_home_section(payments_overview.takings_section)
    # Statements (accounts) name the store each payment went to (payments).
    accounts_statement_view.register_payment_namer(payments_service.payee_names)
    # ... and the 360 view: preferences, segments and the timeline of every channel (insights).
    teller_pages.register_customer_section(insights_pages.customer_section)
    # A merchant's daily report (settlement) shows the day's reviews (life).
    settlement_pages.register_report_section(life_staff_pages.report_section)
    # Transfers to other banks start at the accounts route; interbank sits above it and plugs in.
    accounts_service.register_other_bank_sender(interbank_service.send_transfer)
    accounts_service.register_binding_verifier(interbank_service.verify_binding)
    # A debit short of money redeems from the account's sweep fund first (wealth sits above the ledger).
    ledger_service.register_top_up_provider(wealth_service.cover_shortfall)
    # Recommendations use a customer's own data only while they allow personalised marketing (PIPL 24).
    recommend_service.register_personalisation_check(insights_service.personalised)
    # The 360 view lists the customer's open service-centre cases (servicecentre sits beside insights).
    insights_service.register_open_cases(servicecentre_service.open_cases)
    # Channel planning (servicecentre) shows the channel mix of each segment (insights, beside it).
    servicecentre_planning_pages.register_section(insights_segment_pages.channel_mix_section)
    # A campaign's audience is a segment of insights, above marketing: insights answers who is in it.
    marketing_service.register_audiences(
        marketing_service.Audiences(
            exists=insights_service.segment_exists,
            is_member=insights_service.in_audience,
            members=insights_service.audience_members,
        )
    )
    # New-customer coupons ask payments (above marketing) whether the customer paid there before.
    marketing_service.register_purchase_history(payments_service.paid_before)
    install_contract(app)
    install_pages(app, *PAGE_ROUTERS, *(DEMO_ROUTERS if settings.demo_tools else ()))
    # The main flows' links (what to do next with an answer's id) in /openapi.json.
    install_openapi_links(app)
    hot_routes.install(app, HOT_ROUTES)
    return app
