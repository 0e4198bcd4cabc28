"""The shared design system: base templates, components, CSS and a little JavaScript.

- ``shells``: the three web apps (/app mobile customer app, /merchant and /bank consoles), their roles,
  channel and navigation;
- ``pages``: ``PageAccess`` (an ``Access`` reading the session cookie; a page request without a
  session is redirected to its shell's sign-in, other refusals become HTML error pages) and
  ``install_pages`` (static files, language switch, page routers, page-aware error handlers);
- ``render``: ``render(request, "module/template.html", **context)`` and ``redirect(url, flash=key)``;
- ``forms``: ``attempt`` (a service call in its own unit of work, refusal returned for inline display),
  ``form_errors``; ``csrf``: the per-form token every POST form carries (``verify_csrf`` dependency).

Adding a page to a shell (e.g. the customer app's accounts list):

1. ``finlife/<module>/pages.py`` with ``router = APIRouter(include_in_schema=False)`` and routes whose
   actor comes from ``Depends(PageAccess(CUSTOMER_APP))`` (or ``PageAccess(BANK_CONSOLE, Role.TELLER)``
   to narrow the roles; ``channel=`` to override the shell's channel, e.g. ``Channel.POS``);
2. templates in ``finlife/<module>/templates/`` named ``"<module>/<file>.html"``; each extends
   ``layouts/mobile.html`` (customer app) or ``layouts/console.html`` (consoles), fills
   ``title`` and ``content``, and uses the components as ``ui.card``, ``ui.field``, ``ui.table``…;
   every visible word goes through ``t("ui.…")`` with both languages in ``kit/i18n.CATALOGUE``;
3. forms: ``{% call ui.form("/app/accounts/open") %}…{% endcall %}`` (adds the CSRF token); the POST
   route declares ``dependencies=[Depends(verify_csrf)]``, runs the service through ``attempt`` (and
   no ``DbSession``: on SQLite a second open transaction would wait for the first), re-renders the
   form with ``form_errors`` on a refusal and answers success with ``redirect(url, flash="ui.…")``;
4. register the router in ``finlife.app.PAGE_ROUTERS`` and set the shell's ``NavItem`` ``href``.
"""
