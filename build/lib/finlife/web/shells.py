"""The three web apps ("shells"): where they live, who may enter, which channel they speak for.

A capability adds a page to a shell by adding a router (see ``finlife.web`` docs) and, if the page
deserves a place in the navigation, a ``NavItem`` here; an item only some roles may open names
them, and the others do not see it. An item of an optional page names the setting that turns it on.
"""

from __future__ import annotations

from dataclasses import dataclass

from finlife.kit.auth import BANK_STAFF, Actor, Channel, Role
from finlife.settings import Settings


@dataclass(frozen=True)
class NavItem:
    label_key: str  # catalogue key of the label, e.g. "ui.nav.home"
    href: str
    icon: str  # a name known to the ``icon`` macro in macros.html
    roles: frozenset[Role] | None = None  # who sees it; None: everyone the shell lets in
    setting: str | None = None  # a boolean setting the page needs on (e.g. "demo_tools"); None: always

    def shown_to(self, actor: Actor | None, settings: Settings | None = None) -> bool:
        if self.setting is not None and not (settings is not None and getattr(settings, self.setting)):
            return False
        return self.roles is None or (actor is not None and actor.has(*self.roles))


@dataclass(frozen=True)
class Shell:
    name: str  # "app" | "merchant" | "bank"
    prefix: str
    channel: Channel  # the channel page actions are attributed to
    roles: frozenset[Role]  # who may use the shell at all
    layout: str  # "mobile" (customer app) | "console" (desktop consoles)
    title_key: str
    nav: tuple[NavItem, ...]

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

    def nav_for(self, actor: Actor | None, settings: Settings | None = None) -> tuple[NavItem, ...]:
        """The navigation the signed-in person may use (of the pages ``settings`` turn on)."""
        return tuple(item for item in self.nav if item.shown_to(actor, settings))


OWNERS = frozenset({Role.MERCHANT_OWNER})
ADMINS = frozenset({Role.BANK_ADMIN})

CUSTOMER_APP = Shell(
    name="app",
    prefix="/app",
    channel=Channel.MOBILE,
    roles=frozenset({Role.CUSTOMER}),
    layout="mobile",
    title_key="ui.shell.app",
    nav=(
        NavItem("ui.nav.home", "/app", "home"),
        NavItem("ui.nav.accounts", "/app/accounts", "wallet"),
        NavItem("ui.nav.life", "/app/life", "store"),
        NavItem("ui.nav.me", "/app/me", "user"),
    ),
)

MERCHANT_CONSOLE = Shell(
    name="merchant",
    prefix="/merchant",
    channel=Channel.WEB,  # the POS pages act on Channel.POS (PageAccess(..., channel=Channel.POS))
    roles=frozenset({Role.MERCHANT_OWNER, Role.CASHIER}),
    layout="console",
    title_key="ui.shell.merchant",
    nav=(
        NavItem("ui.nav.dashboard", "/merchant", "home"),
        NavItem("ui.nav.pos", "/merchant/pos", "cart"),
        NavItem("ui.nav.goods", "/merchant/goods", "box"),
        NavItem("ui.nav.stores", "/merchant/stores", "store"),
        NavItem("ui.nav.staff", "/merchant/staff", "users"),
        NavItem("ui.nav.campaigns", "/merchant/campaigns", "ticket", OWNERS),
        NavItem("ui.nav.reviews", "/merchant/reviews", "star"),
        NavItem("ui.nav.finance", "/merchant/reports", "chart"),
    ),
)

BANK_CONSOLE = Shell(
    name="bank",
    prefix="/bank",
    channel=Channel.BRANCH,
    roles=BANK_STAFF,
    layout="console",
    title_key="ui.shell.bank",
    nav=(
        NavItem("ui.nav.dashboard", "/bank", "home"),
        NavItem("ui.nav.customers", "/bank/customers", "users"),
        NavItem("ui.nav.merchants", "/bank/merchants", "store"),
        NavItem("ui.nav.campaigns", "/bank/campaigns", "ticket"),
        NavItem("ui.nav.districts", "/bank/districts", "layers"),
        NavItem("ui.nav.interbank", "/bank/interbank", "transfer"),
        NavItem("ui.nav.audit", "/bank/audit", "shield", ADMINS),
        NavItem("ui.nav.activity", "/bank/activity", "chart", ADMINS),
        NavItem("ui.nav.demo", "/bank/demo", "plus", ADMINS, setting="demo_tools"),
    ),
)

SHELLS = (CUSTOMER_APP, MERCHANT_CONSOLE, BANK_CONSOLE)


def shell_for_path(path: str) -> Shell | None:
    return next((shell for shell in SHELLS if shell.owns(path)), None)
