"""Who may use what: named capabilities and the roles that hold them, decided here and nowhere else.

Routes declare ``Access.to(Capability.X)`` (or ``PageAccess.to(shell, Capability.X)``), services check
``may(actor, Capability.X)`` / ``require(actor, Capability.X)``, and the consoles' navigation shows an
item only to those who hold its capability, so a menu never offers a page that answers 403. Rows are
still scoped by the services (a merchant's owner reads their own merchant's books, not another's);
this table says which roles may ask at all. The staff half of it is the permission table in
CONTRIBUTING.md ("Least privilege"), tested cell by cell in tests/test_permissions.py.
"""

from __future__ import annotations

from enum import StrEnum

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.errors import Forbidden


class Capability(StrEnum):
    # Serving customers at the branch.
    CUSTOMER_RECORDS = "customer_records"  # search customers, read identity and interactions, register
    CUSTOMER_VIEW = "customer_view"  # the 360 view and timeline of any customer (each read audited)
    IDENTITY_VERIFICATION = "identity_verification"  # verify a customer's identity in person
    ACCOUNTS_READ = "accounts_read"  # any customer's accounts, balances, statements, cards, transfers
    ACCOUNTS_SERVE = "accounts_serve"  # open accounts, issue cards, place and settle holds
    CASH = "cash"  # cash deposits and withdrawals at the counter
    DEVICES = "devices"  # the registered ATMs: list them, deactivate one
    DEVICE_REGISTRATION = "device_registration"  # register an ATM (its secret is shown once)
    # Merchants.
    MERCHANT_RECORDS = "merchant_records"  # merchant records, applications, stores, staff, terminals, goods
    MERCHANT_APPROVAL = "merchant_approval"  # approve or reject an application
    MERCHANT_BOOKS = "merchant_books"  # a merchant's orders, shifts, settlements and daily reports
    MERCHANT_STAFF = "merchant_staff"  # a merchant's own people (the owner adds cashiers)
    REFUND_APPROVAL = "refund_approval"  # approve or reject a cashier's refund above the threshold
    # Marketing.
    CAMPAIGNS = "campaigns"  # draw up, read, pause, resume, end; figures and funnel
    CAMPAIGN_APPROVAL = "campaign_approval"  # approve or reject a submitted bank-funded campaign
    DISTRICTS = "districts"  # draw business districts
    CHANNEL_ACTIVITY = "channel_activity"  # events counted by channel and day (aggregate only)
    SEGMENTS = "segments"  # customer segments: define, refresh, count and list members (names only)
    # Back office and administration.
    SETTLEMENT = "settlement"  # read merchant settlement runs and the interbank position
    SETTLEMENT_RUN = "settlement_run"  # run a settlement, settle the interbank position
    RECONCILIATION = "reconciliation"  # read and run interbank reconciliations
    BANK_DIRECTORY = "bank_directory"  # the other banks finlife reaches
    AUDIT_LOG = "audit_log"
    LEDGER = "ledger"  # journal entries, reversals, trial balance
    ALL_JOBS = "all_jobs"  # any job's progress (everyone reads the jobs they started)
    DEMO_DATA = "demo_data"  # the demo seeding page (only with FINLIFE_DEMO_TOOLS)
    # The service centre (call centre as a channel).
    SERVICE_CASES = "service_cases"  # find a caller, open, act on and close cases, raise a limit review
    CARD_FREEZE = "card_freeze"  # freeze and unfreeze a customer's card
    SERVICE_APPROVAL = "service_approval"  # the second staff approval of a coupon restored by error
    SERVICE_METRICS = "service_metrics"  # cases and first-contact resolution figures
    CHANNEL_PLANNING = "channel_planning"  # channel analytics: activity, shifts, service quality
    # The open API's partners.
    PARTNERS = "partners"  # register, read, rotate a secret, suspend, reactivate; their call logs
    PARTNER_APPROVAL = "partner_approval"  # approve or reject a partner another admin registered
    # Wealth management.
    FUNDS = "funds"  # list the bank's money-market funds for sale, publish their daily yields
    # Lending.
    LOAN_PRODUCTS = "loan_products"  # loan products, reference rates, developers' escrow accounts
    LOANS_READ = "loans_read"  # any customer's loans and applications, the review queue, the portfolio
    LOANS_SERVE = "loans_serve"  # enter an application for a customer, check ID face to face, sign, disburse
    LOAN_APPROVAL = "loan_approval"  # approve or reject an application (never one's own entry)


_SERVING = frozenset({Role.TELLER, Role.BANK_ADMIN})
# The service centre's agent reads what a caller asks about (records, accounts, cards) and acts on
# the phone only through the service capabilities; nothing at the counter.
_PHONE = frozenset({Role.AGENT})
_SERVICE_CENTRE = frozenset({Role.AGENT, Role.BANK_ADMIN})
_MARKETING = frozenset({Role.BRANCH_MARKETING, Role.HQ_MARKETING, Role.BANK_ADMIN})
_ADMIN = frozenset({Role.BANK_ADMIN})

HOLDERS: dict[Capability, frozenset[Role]] = {
    Capability.CUSTOMER_RECORDS: _SERVING | _PHONE,
    Capability.CUSTOMER_VIEW: _SERVING | _PHONE,
    Capability.IDENTITY_VERIFICATION: _SERVING,
    Capability.ACCOUNTS_READ: _SERVING | _PHONE,
    Capability.ACCOUNTS_SERVE: _SERVING,
    Capability.CASH: _SERVING,
    Capability.DEVICES: _SERVING,
    Capability.DEVICE_REGISTRATION: _ADMIN,
    Capability.MERCHANT_RECORDS: _SERVING,
    Capability.MERCHANT_APPROVAL: _SERVING,
    # The owner reads their own merchant's books (the service scopes); cashiers see no money totals.
    Capability.MERCHANT_BOOKS: _SERVING | {Role.MERCHANT_OWNER},
    Capability.MERCHANT_STAFF: frozenset({Role.MERCHANT_OWNER}),
    Capability.REFUND_APPROVAL: frozenset({Role.MERCHANT_OWNER}),
    # A merchant's owner runs their own merchant's campaigns (the service scopes).
    Capability.CAMPAIGNS: _MARKETING | {Role.MERCHANT_OWNER},
    Capability.CAMPAIGN_APPROVAL: _MARKETING,
    Capability.DISTRICTS: _MARKETING,
    Capability.CHANNEL_ACTIVITY: _MARKETING,
    Capability.SEGMENTS: _MARKETING,
    Capability.SETTLEMENT: _ADMIN,
    Capability.SETTLEMENT_RUN: _ADMIN,
    Capability.RECONCILIATION: _ADMIN,
    Capability.BANK_DIRECTORY: _ADMIN,
    Capability.AUDIT_LOG: _ADMIN,
    Capability.LEDGER: _ADMIN,
    Capability.ALL_JOBS: _ADMIN,
    Capability.DEMO_DATA: _ADMIN,
    Capability.PARTNERS: _ADMIN,
    Capability.PARTNER_APPROVAL: _ADMIN,
    Capability.FUNDS: _ADMIN,
    Capability.SERVICE_CASES: _SERVICE_CENTRE,
    Capability.CARD_FREEZE: _SERVICE_CENTRE,
    Capability.SERVICE_APPROVAL: _SERVICE_CENTRE,
    Capability.SERVICE_METRICS: _SERVICE_CENTRE,
    Capability.CHANNEL_PLANNING: _MARKETING,
    Capability.LOAN_PRODUCTS: _ADMIN,
    Capability.LOANS_READ: _SERVING,
    Capability.LOANS_SERVE: _SERVING,
    # A loan officer is a teller or an admin: the service adds four eyes (never the entrant, a second
    # officer above the product's threshold).
    Capability.LOAN_APPROVAL: _SERVING,
}


def holders(capability: Capability) -> frozenset[Role]:
    return HOLDERS[capability]


def may(actor: Actor | None, capability: Capability) -> bool:
    return actor is not None and actor.has(*HOLDERS[capability])


def require(actor: Actor, capability: Capability) -> None:
    if not may(actor, capability):
        raise Forbidden()


def access_to(capability: Capability, *also: Role) -> Access:
    """A route's declared audience: the capability's holders (and ``also``, whom the service scopes)."""
    return Access(*HOLDERS[capability], *also)
