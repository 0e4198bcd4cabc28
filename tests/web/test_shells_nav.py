"""The navigation shows each person the pages they may open."""

from __future__ import annotations

from finlife.kit.auth import Actor, Channel, Role
from finlife.web.shells import BANK_CONSOLE, MERCHANT_CONSOLE, NavItem


def _hrefs(items: tuple[NavItem, ...]) -> set[str]:
    return {item.href for item in items}


def test_a_teller_does_not_see_the_admins_pages() -> None:
    teller = Actor(channel=Channel.BRANCH, user_id="usr_t", roles=frozenset({Role.TELLER}))
    admin = Actor(channel=Channel.BRANCH, user_id="usr_a", roles=frozenset({Role.BANK_ADMIN}))
    assert "/bank/audit" not in _hrefs(BANK_CONSOLE.nav_for(teller))
    assert {"/bank/audit", "/bank/activity"} <= _hrefs(BANK_CONSOLE.nav_for(admin))


def test_a_cashier_does_not_see_the_owners_campaigns() -> None:
    cashier = Actor(channel=Channel.POS, user_id="usr_c", roles=frozenset({Role.CASHIER}))
    owner = Actor(channel=Channel.WEB, user_id="usr_o", roles=frozenset({Role.MERCHANT_OWNER}))
    assert "/merchant/campaigns" not in _hrefs(MERCHANT_CONSOLE.nav_for(cashier))
    assert "/merchant/books" not in _hrefs(MERCHANT_CONSOLE.nav_for(cashier))
    assert "/merchant/books" in _hrefs(MERCHANT_CONSOLE.nav_for(owner))
    assert "/merchant/campaigns" in _hrefs(MERCHANT_CONSOLE.nav_for(owner))
    assert "/merchant/pos" in _hrefs(MERCHANT_CONSOLE.nav_for(cashier))


def _bank_nav(*roles: Role) -> set[str]:
    return _hrefs(
        BANK_CONSOLE.nav_for(Actor(channel=Channel.BRANCH, user_id="usr_s", roles=frozenset(roles)))
    )


def test_each_bank_role_sees_only_the_pages_it_may_open() -> None:
    # Written out from the permission table in CONTRIBUTING.md (not read from kit.permissions).
    loans = {"/bank/loans", "/bank/loan-portfolio"}  # loans_read: tellers and bank admins
    assert _bank_nav(Role.TELLER) == {"/bank", "/bank/customers", "/bank/merchants", *loans}
    marketing = {
        "/bank",
        "/bank/campaigns",
        "/bank/districts",
        "/bank/activity",
        "/bank/segments",
        "/bank/channels",
    }
    assert _bank_nav(Role.BRANCH_MARKETING) == marketing
    assert _bank_nav(Role.HQ_MARKETING) == marketing
    assert _bank_nav(Role.BANK_ADMIN) == {
        "/bank",
        "/bank/customers",
        "/bank/merchants",
        "/bank/campaigns",
        "/bank/districts",
        "/bank/interbank",
        "/bank/audit",
        "/bank/service",
        "/bank/activity",
        "/bank/segments",
        "/bank/channels",
        "/bank/partners",
        *loans,
    }
    assert _bank_nav(Role.AGENT) == {"/bank", "/bank/customers", "/bank/service"}


def test_a_cashiers_menu_offers_neither_finance_nor_staff() -> None:
    cashier = Actor(channel=Channel.POS, user_id="usr_c", roles=frozenset({Role.CASHIER}))
    owner = Actor(channel=Channel.WEB, user_id="usr_o", roles=frozenset({Role.MERCHANT_OWNER}))
    assert _hrefs(MERCHANT_CONSOLE.nav_for(cashier)) == {
        "/merchant",
        "/merchant/pos",
        "/merchant/goods",
        "/merchant/stores",
        "/merchant/reviews",
    }
    assert {"/merchant/reports", "/merchant/staff", "/merchant/campaigns"} <= _hrefs(
        MERCHANT_CONSOLE.nav_for(owner)
    )


def test_every_nav_icon_is_drawn_and_no_two_pages_of_a_shell_share_one() -> None:
    from pathlib import Path

    import finlife.web
    from finlife.web.shells import ALL_SHELLS

    macros = (Path(finlife.web.__file__).parent / "templates" / "macros.html").read_text()
    icons = macros[macros.index("{% set ICONS = {") : macros.index("} %}")]
    for shell in ALL_SHELLS:
        names = [item.icon for item in shell.nav]
        assert all(f'"{name}": ' in icons for name in names), (shell.name, names)
        assert len(set(names)) == len(names), (shell.name, names)
