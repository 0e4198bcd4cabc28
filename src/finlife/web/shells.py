"""The web apps ("shells"): where they live, who may enter, which channels they speak for.

A capability adds a page to a shell by adding a router (see ``finlife.web`` docs) and, if the page
deserves a place in the navigation, a ``NavItem`` here; an item only some may open names the
capability its page needs (``kit.permissions``, the same one the page's route declares), and the
others do not see it. An item of an optional page names the setting that turns it on.
"""

from __future__ import annotations

from dataclasses import dataclass

from finlife.kit.auth import BANK_STAFF, Actor, Channel, Role
from finlife.kit.permissions import Capability, may
from finlife.settings import Settings


@dataclass(frozen=True)
class NavItem:
    label_key: str  # catalogue key of the label, e.g. "ui.nav.home"
    href: str
    icon: str  # a name known to the ``icon`` macro in macros.html
    capability: Capability | None = None  # who sees it; None: everyone the shell lets in
    setting: str | None = None  # a boolean setting the page needs on (e.g. "demo_tools"); None: always

    def shown_to(self, actor: Actor | None, settings: Settings | None = None) -> bool:
        if self.setting is not None and not (settings is not None and getattr(settings, self.setting)):
            return False
        return self.capability is None or may(actor, self.capability)


@dataclass(frozen=True)
class Shell:
    name: str  # "app" | "merchant" | "bank" | "partner"
    prefix: str
    channel: Channel  # the channel a visitor without a session is attributed to
    # The channels a session of this shell may be bound to; its sign-in page issues the token for the
    # first of them the user's roles allow (``kit.auth.channels_for``), and page actions are
    # attributed to the session's channel.
    channels: tuple[Channel, ...]
    roles: frozenset[Role]  # who may use the shell at all
    layout: str  # "mobile" (customer app) | "console" (desktop consoles)
    title_key: str
    nav: tuple[NavItem, ...]
    # Pages outside the prefix that run on this shell's session, where its sign-in may send a person
    # back to (the OAuth consent screen a partner sends a customer to).
    also_serves: tuple[str, ...] = ()

    @property
    def home(self) -> str:
        return self.prefix

    @property
    def login_path(self) -> str:
        return f"{self.prefix}/login"

    @property
    def logout_path(self) -> str:
        return f"{self.prefix}/logout"

    def owns(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")

    def returns_to(self, target: str) -> bool:
        """Whether the sign-in may follow ``target`` (a local path with its query) once signed in."""
        return self.owns(target) or target.split("?", 1)[0] in self.also_serves

    def nav_for(self, actor: Actor | None, settings: Settings | None = None) -> tuple[NavItem, ...]:
        """The navigation the signed-in person may use (of the pages ``settings`` turn on)."""
        return tuple(item for item in self.nav if item.shown_to(actor, settings))


CUSTOMER_APP = Shell(
    name="app",
    prefix="/app",
    channel=Channel.MOBILE,
    channels=(Channel.MOBILE,),
    roles=frozenset({Role.CUSTOMER}),
    layout="mobile",
    title_key="ui.shell.app",
    nav=(
        NavItem("ui.nav.home", "/app", "home"),
        NavItem("ui.nav.accounts", "/app/accounts", "wallet"),
        NavItem("ui.nav.life", "/app/life", "store"),
        NavItem("wealth.title", "/app/wealth", "chart"),
        NavItem("ui.nav.loans", "/app/loans", "layers"),
        NavItem("ui.nav.me", "/app/me", "user"),
    ),
    also_serves=("/oauth/authorize",),
)

MERCHANT_CONSOLE = Shell(
    name="merchant",
    prefix="/merchant",
    channel=Channel.WEB,
    channels=(Channel.WEB, Channel.POS),  # owners sign in on web, cashiers on pos (their till)
    roles=frozenset({Role.MERCHANT_OWNER, Role.CASHIER}),
    layout="console",
    title_key="ui.shell.merchant",
    nav=(
        NavItem("ui.nav.dashboard", "/merchant", "home"),
        NavItem("ui.nav.pos", "/merchant/pos", "cart"),
        NavItem("ui.nav.goods", "/merchant/goods", "box"),
        NavItem("ui.nav.stores", "/merchant/stores", "store"),
        NavItem("ui.nav.staff", "/merchant/staff", "users", Capability.MERCHANT_STAFF),
        NavItem("ui.nav.refund_approvals", "/merchant/refunds", "check", Capability.REFUND_APPROVAL),
        NavItem("ui.nav.campaigns", "/merchant/campaigns", "ticket", Capability.CAMPAIGNS),
        NavItem("ui.nav.reviews", "/merchant/reviews", "star"),
        NavItem("ui.nav.finance", "/merchant/reports", "chart", Capability.MERCHANT_BOOKS),
        NavItem("wealth.title", "/merchant/wealth", "coins", Capability.MERCHANT_BOOKS),
        NavItem("ui.nav.books", "/merchant/books", "book", Capability.MERCHANT_BOOKS),
        NavItem("takings_credit.title", "/merchant/credit", "wallet", Capability.MERCHANT_STAFF),
    ),
)

BANK_CONSOLE = Shell(
    name="bank",
    prefix="/bank",
    channel=Channel.WEB,  # the sign-in page is public: nothing branch-only trusts a visitor
    channels=(Channel.BRANCH, Channel.CALL_CENTRE, Channel.WEB),  # tellers at the counter, marketing on web
    roles=BANK_STAFF,
    layout="console",
    title_key="ui.shell.bank",
    nav=(
        NavItem("ui.nav.dashboard", "/bank", "home"),
        NavItem("ui.nav.customers", "/bank/customers", "users", Capability.CUSTOMER_RECORDS),
        NavItem("ui.nav.merchants", "/bank/merchants", "store", Capability.MERCHANT_RECORDS),
        NavItem("ui.nav.campaigns", "/bank/campaigns", "ticket", Capability.CAMPAIGN_APPROVAL),
        NavItem("ui.nav.districts", "/bank/districts", "pin", Capability.DISTRICTS),
        NavItem("ui.nav.loans", "/bank/loans", "wallet", Capability.LOANS_READ),
        NavItem("ui.nav.loan_portfolio", "/bank/loan-portfolio", "chart", Capability.LOANS_READ),
        NavItem("ui.nav.interbank", "/bank/interbank", "transfer", Capability.SETTLEMENT),
        NavItem("ui.nav.audit", "/bank/audit", "clipboard", Capability.AUDIT_LOG),
        NavItem("ui.nav.service", "/bank/service", "headset", Capability.SERVICE_CASES),
        NavItem("ui.nav.activity", "/bank/activity", "bars", Capability.CHANNEL_ACTIVITY),
        NavItem("ui.nav.segments", "/bank/segments", "target", Capability.SEGMENTS),
        NavItem("ui.nav.channel_planning", "/bank/channels", "compass", Capability.CHANNEL_PLANNING),
        NavItem("ui.nav.partners", "/bank/partners", "globe", Capability.PARTNERS),
        NavItem("ui.nav.demo", "/bank/demo", "plus", Capability.DEMO_DATA, setting="demo_tools"),
    ),
)

# The partner console: a partner's developer signs in with the client id and secret (not a person's
# login: no roles), and the session is a partner token with the ``partner:self`` scope on the
# ``partner`` channel (finlife.partners.registry.console). Webhooks are the webhooks module's page.
PARTNER_CONSOLE = Shell(
    name="partner",
    prefix="/partner",
    channel=Channel.PARTNER,
    channels=(Channel.PARTNER,),
    roles=frozenset(),
    layout="console",
    title_key="ui.shell.partner",
    nav=(
        NavItem("ui.nav.partner_overview", "/partner", "home"),
        NavItem("ui.nav.partner_credentials", "/partner/credentials", "key"),
        NavItem("ui.nav.partner_calls", "/partner/calls", "chart"),
        NavItem("ui.nav.partner_webhooks", "/partner/webhooks", "transfer"),
        NavItem("ui.nav.partner_docs", "/partner/docs", "file"),
    ),
)

# The shells people sign in to with a username and password (finlife.identity.pages).
SHELLS = (CUSTOMER_APP, MERCHANT_CONSOLE, BANK_CONSOLE)
ALL_SHELLS = (*SHELLS, PARTNER_CONSOLE)


def shell_for_path(path: str) -> Shell | None:
    return next((shell for shell in ALL_SHELLS if shell.owns(path)), None)
