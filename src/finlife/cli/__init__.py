"""The ``finlife`` command: serve, migrate, seed a demo world, settle merchants, end coupons, manage users.

Each command imports what it uses when it runs: ``finlife serve`` listens before the app is loaded
(``finlife.booting``), and importing every module up front would cost the seconds that saves.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from finlife import serving

if TYPE_CHECKING:
    from finlife.kit.db import Database
    from finlife.kit.leases import HeldLease
    from finlife.settlement.schemas import SettlementOut

app = typer.Typer(help="finlife — Finance + Life ecosystem platform", no_args_is_help=True)
db_app = typer.Typer(help="Database schema")
users_app = typer.Typer(help="Users and roles")
coupons_app = typer.Typer(help="Coupons of the Life channel")
interbank_app = typer.Typer(help="Other banks: the jobs that finish what the wire left open")
partners_app = typer.Typer(help="Partners of the open API")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(coupons_app, name="coupons")
app.add_typer(interbank_app, name="interbank")
app.add_typer(partners_app, name="partners")
insights_app = typer.Typer(help="Insights: customers' facts and segments")
app.add_typer(insights_app, name="insights")
webhooks_app = typer.Typer(help="Partners' webhooks")
app.add_typer(webhooks_app, name="webhooks")
wealth_app = typer.Typer(help="The money-market fund: yields, daily income, sweeps")
app.add_typer(wealth_app, name="wealth")
loans_app = typer.Typer(help="Loans: the daily servicing run")
app.add_typer(loans_app, name="loans")
popularity_app = typer.Typer(help="Stores' popularity in the Life channel (paid orders of 30 days)")
app.add_typer(popularity_app, name="popularity")
console = Console()


def _progress_bar() -> Progress:
    """The one look of long work in the terminal: what it is doing, a bar, n of N, time so far."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@contextmanager
def _lease(database: Database, name: str) -> Iterator[HeldLease]:
    """Hold the lease ``name`` (kit.leases) while the command works: scheduled on every node, the
    work runs on one at a time; the others wait, then find it done (or finish it, if its node died)."""

    def waiting(holder: str, until: datetime) -> None:
        console.print(f"[yellow]{name}: running on {holder} (lease until {until:%H:%M:%S} UTC); waiting")

    from finlife.kit import leases
    from finlife.settings import get_settings

    with leases.held(database, name, seconds=get_settings().lease_seconds, on_wait=waiting) as lease:
        yield lease


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (Alembic)."""
    from finlife import schema
    from finlife.settings import get_settings

    settings = get_settings()
    schema.upgrade(settings.database_url)
    console.print(f"[green]schema at {schema.head_revision(settings.database_url)}[/green]")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
    port: int = typer.Option(8000, help="TCP port"),
    workers: int = typer.Option(1, min=1, help="Worker processes, each listening on the address itself"),
) -> None:
    """Serve the API and the three web apps. Each worker listens at once and loads the app after
    (``/healthz`` answers meanwhile, ``/readyz`` once it can take traffic); it refuses a database
    whose schema is not the code's, and makes the bank admin on a new one."""
    console.print(f"finlife on http://{host}:{port}  (customer /app · merchant /merchant · bank /bank)")
    try:
        code = serving.serve(host, port, workers)
    except OSError as exc:  # the address is taken, or not this machine's
        console.print(f"[bold red]cannot listen on {host}:{port}: {exc.strerror or exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    if code:
        raise typer.Exit(code=code)


@webhooks_app.command("deliver")
def webhooks_deliver(
    once: bool = typer.Option(False, "--once", help="Send what is due now, then stop"),
) -> None:
    """Send partners' due webhook deliveries (retries on the Standard Webhooks schedule). Run on as many
    nodes as you like (PostgreSQL: they share the work, never sending one attempt twice); stops on
    SIGINT or SIGTERM after its round."""
    from finlife import schema
    from finlife.kit.db import Database
    from finlife.partners.webhooks.worker import DeliveryWorker
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    worker = DeliveryWorker(database, settings)
    try:
        schema.ensure_current(database.engine, database.url)
        if once:
            console.print(f"[green]made {worker.drain()} delivery attempts[/green]")
            return
        stop = threading.Event()

        def request_stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        worker.run(stop)
    except schema.SchemaOutdated as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        worker.close()
        database.dispose()


@app.command()
def relay(
    once: bool = typer.Option(False, "--once", help="Publish what is pending, then stop"),
    metrics_port: int | None = typer.Option(
        None, "--metrics-port", help="Serve the relay's Prometheus metrics on this port (127.0.0.1)"
    ),
) -> None:
    """Relay the outbox: to NATS JetStream when FINLIFE_NATS_URL is set (and this process's subscribers
    read it there), else straight to this process's subscribers. Run one on each node (PostgreSQL:
    they share the work); stops on SIGINT or SIGTERM."""
    from prometheus_client import CollectorRegistry, start_http_server

    from finlife import schema
    from finlife.books.service import ensure_subscribed as subscribe_books
    from finlife.events.metrics import RelayMetrics
    from finlife.events.relay import RelayBusy
    from finlife.events.runner import JetStreamSubscribers, crash_after_publish, make_relay, stream_settings
    from finlife.kit.db import Database
    from finlife.partners.webhooks.fanout import ensure_subscribed
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    ensure_subscribed()  # this process's subscribers: the webhooks' fan-out
    subscribe_books()  # and the merchants' books
    registry = CollectorRegistry()
    relay = make_relay(settings, database, RelayMetrics(registry, database))
    crash_after_publish(relay)  # a test's fault injection; unset, it does nothing
    stream = stream_settings(settings)
    subscribers = None if stream is None or once else JetStreamSubscribers(database, stream)
    try:
        schema.ensure_current(database.engine, database.url)
        if once:
            console.print(f"[green]published {relay.drain()} events[/green]")
            return
        if metrics_port is not None:
            start_http_server(metrics_port, addr="127.0.0.1", registry=registry)
        stop = threading.Event()

        def request_stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        console.print(f"relaying the outbox through {relay.sink.name}")
        if subscribers is not None:
            subscribers.start()
        relay.run(stop)
    except (schema.SchemaOutdated, RelayBusy) as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        if subscribers is not None:
            subscribers.stop()
        relay.sink.close()
        database.dispose()


@app.command()
def demo(
    customers: int = typer.Option(60, "--customers", min=2, help="How many customers"),
    merchants: int = typer.Option(
        20, "--merchants", min=0, max=9999, help="How many merchants (shops with stores)"
    ),
    days: int = typer.Option(90, "--days", min=1, help="Days of history ending yesterday"),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="A database with customers is not an error: seed nothing, exit 0"
    ),
) -> None:
    """Seed a demo world through the service layer: Faker zh_CN people with accounts, a city of
    merchants (stores across Shanghai, goods, cashiers) and days of payments and orders."""
    from finlife import schema
    from finlife.demo import lending as demo_lending
    from finlife.demo import partners as demo_partners
    from finlife.demo import world
    from finlife.demo.common import DEMO_CUSTOMER_PHONE, DEMO_PASSWORD, DEMO_TELLER
    from finlife.kit.db import Database
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with _lease(database, world.DEMO_LEASE), _progress_bar() as progress:
            if not world.is_empty(database):  # the demo's published sign-ins exist once: never twice
                console.print("demo world already there; not seeding again")
                if if_empty:
                    return
                raise typer.Exit(code=1)
            tasks = {
                "customers": progress.add_task("customers", total=customers),
                "merchants": progress.add_task("merchants", total=merchants),
                "days": progress.add_task("days of history", total=days),
            }
            made = world.seed_demo_world(
                database,
                settings,
                customers_count=customers,
                merchants_count=merchants,
                days=days,
                progress=lambda label, n: progress.advance(tasks[label], n),
            )
            client_id = demo_partners.demo_partner_client_id(database)
    except schema.SchemaOutdated as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    console.print(
        f"[green]demo world: customers {made['customers']}, merchants {made['merchants']} "
        f"(stores {made['stores']}), orders {made['orders']}, days of history {made['days']}, "
        f"campaigns {made['campaigns']} (coupons {made['coupons']}, redeemed {made['redeemed']})[/green]\n"
        f"  customer app  /app       sign in as {DEMO_CUSTOMER_PHONE} / {DEMO_PASSWORD}\n"
        f"  bank console  /bank      sign in as {DEMO_TELLER} / {DEMO_PASSWORD}"
    )
    if made["merchants"]:
        console.print(
            f"  merchant      /merchant  sign in as {world.demo_owner_login()} / {DEMO_PASSWORD} (owner)"
            f" or {world.demo_cashier_login()} / {DEMO_PASSWORD} (cashier)"
        )
    console.print(
        f"  partners {made['partners']}, consents {made['consents']}, calls {made['partner_calls']}, "
        f"webhook deliveries {made['webhook_deliveries']}, service-centre cases {made['cases']}\n"
        f"  service centre /bank     sign in as agent / {DEMO_PASSWORD} (or agent2: the second approval)\n"
        f"  partner       /partner   sign in as {client_id} / {demo_partners.DEMO_PARTNER_SECRET}"
        f" ({demo_partners.PLANS[0].name})"
    )
    console.print(
        f"  loans {made['loans']} in every state (arrears 关注, 次级); review queue /bank/loans\n"
        f"  a borrower    /app       sign in as {demo_lending.DEMO_BORROWER} / {DEMO_PASSWORD} (in arrears)"
    )


def _business_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter("expected YYYY-MM-DD", param_hint="--date") from exc


@app.command()
def settle(
    day: str | None = typer.Option(
        None, "--date", help="Business day (YYYY-MM-DD, Asia/Shanghai) to settle; default: yesterday (T+1)"
    ),
    out: Path = typer.Option(
        Path("var/settlement"), "--out", help="Folder for the interbank settlement report (CSV)"
    ),
) -> None:
    """Pay merchants their non-cash takings of a business day, less fees (once per merchant and day),
    then settle each other bank's net position of the day and write the report."""
    from finlife import schema
    from finlife.kit.auth import Actor
    from finlife.kit.db import Database
    from finlife.kit.errors import FinlifeError
    from finlife.kit.i18n import format_money
    from finlife.settings import get_settings
    from finlife.settlement import service as settlement

    settings = get_settings()
    database = Database(settings.database_url)
    actor = Actor.system()
    outcomes: list[tuple[str, list[SettlementOut] | None]] = []
    try:
        schema.ensure_current(database.engine, database.url)
        # Under the lease the run settles whoever is still unsettled: after a node died mid-run, the
        # merchants it settled are found settled (their cursors) and the rest are settled now.
        with _lease(database, settlement.SETTLEMENT_LEASE) as lease:
            with database.unit_of_work() as session:
                business_date, merchant_ids = settlement.merchants_to_settle(
                    session, settings, _business_date(day)
                )
            with _progress_bar() as progress:
                task = progress.add_task(f"settling {business_date.isoformat()}", total=len(merchant_ids))

                def settled(done: int, _total: int) -> None:
                    progress.update(task, completed=done)
                    lease.check()  # between merchants: stop if another node has taken over

                outcomes = settlement.settle_one_by_one(database, actor, business_date, merchant_ids, settled)
            with database.unit_of_work() as session:
                positions = settlement.settle_interbank(session, actor, business_date)
        report = settlement.write_positions_report(positions, business_date, out)
    except (schema.SchemaOutdated, FinlifeError) as exc:
        message = exc.message("en") if isinstance(exc, FinlifeError) else str(exc)
        console.print(f"[bold red]{message}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    summary = settlement.summarise(business_date, outcomes)
    console.print(
        f"[green]settled {summary.business_date.isoformat()}: {summary.merchants_settled} merchants, "
        f"{summary.statements} statements, net {format_money(summary.net, 'CNY')}, "
        f"fees {format_money(summary.fees_charged, 'CNY')}[/green]"
    )
    if summary.held:
        console.print(f"[yellow]held (settlement account not active): {', '.join(summary.held)}[/yellow]")
    for position in positions:
        who = "owes us" if position.net >= 0 else "we owe"
        console.print(
            f"  {position.bank_code}: {who} {format_money(abs(position.net), 'CNY')} (cards "
            f"{position.card_count}, transfers out {position.transfers_out_count}, "
            f"in {position.transfers_in_count}, interchange {format_money(position.interchange, 'CNY')})"
        )
    console.print(f"interbank settlement report: {report}")


@app.command("bank-sim")
def bank_sim(
    code: str = typer.Option(..., "--code", help="The simulated bank's code"),
    iso8583_port: int = typer.Option(..., "--iso8583-port", help="TCP port for ISO 8583 authorisations"),
    http_port: int = typer.Option(..., "--http-port", help="HTTP port for ISO 20022 and the test controls"),
    accounts: Path | None = typer.Option(None, "--accounts", help="JSON file of accounts and cards"),
    settlement_dir: Path = typer.Option(Path("var/banksim"), help="Where end-of-day settlement files go"),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
) -> None:
    """Play another bank: its cards (ISO 8583), its accounts (ISO 20022), its books and settlement file."""
    from finlife.banksim.simulator import BankSimulator

    simulator = BankSimulator(
        code,
        iso8583_port=iso8583_port,
        http_port=http_port,
        accounts_file=accounts,
        settlement_dir=settlement_dir,
        host=host,
    )
    console.print(
        f"bank {code}: ISO 8583 on {host}:{simulator.iso8583_port}, HTTP on {simulator.http_url}"
        f" (BINs {', '.join(simulator.bank.books.bins) or 'none'})"
    )
    try:
        simulator.serve_forever()
    except KeyboardInterrupt:
        console.print(f"bank {code} stopped")


# The stages ``interbank.reconcile`` reports, as the progress bar names them.
RECONCILE_STAGES = {
    "reading": "reading the file",
    "comparing": "comparing {count} items",
    "parking": "parking exceptions in suspense",
}


@app.command()
def reconcile(
    bank: str = typer.Option(..., "--bank", help="The other bank's code"),
    file: Path = typer.Option(..., "--file", exists=True, dir_okay=False, help="Its end-of-day CSV"),
    day: str | None = typer.Option(None, "--date", help="Business day, for a file without lines"),
    out: Path = typer.Option(Path("var/reconciliation"), "--out", help="Folder for the report (CSV)"),
) -> None:
    """Compare another bank's settlement file with our records: matched, missing on either side,
    amount mismatches; every exception stored and parked in suspense (once per bank and day)."""
    from finlife import schema
    from finlife.interbank import service as interbank
    from finlife.kit.auth import Actor
    from finlife.kit.db import Database
    from finlife.kit.errors import FinlifeError
    from finlife.kit.i18n import format_money
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with _progress_bar() as progress:
            task = progress.add_task(RECONCILE_STAGES["reading"], total=None)

            def show(done: int, total: int, stage: str) -> None:
                description = RECONCILE_STAGES[stage].format(count=total)
                progress.update(task, description=description, completed=done, total=total or None)

            with _lease(database, interbank.reconciliation_lease(bank)), database.unit_of_work() as session:
                report = interbank.reconcile(
                    session,
                    Actor.system(),
                    bank,
                    file.read_text(encoding="utf-8"),
                    file_name=file.name,
                    business_date=_business_date(day),
                    progress=show,
                )
    except (schema.SchemaOutdated, FinlifeError) as exc:
        message = exc.message("en") if isinstance(exc, FinlifeError) else str(exc)
        console.print(f"[bold red]{message}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"reconciliation-{report.bank_code}-{report.business_date.isoformat()}.csv"
    path.write_text(interbank.reconciliation_csv(report), encoding="utf-8")
    console.print(
        f"[green]reconciled {report.bank_code} {report.business_date.isoformat()} ({report.id}): "
        f"matched {report.matched}, missing on our side {report.missing_ours}, missing on theirs "
        f"{report.missing_theirs}, amount mismatch {report.amount_mismatch}; "
        f"suspense {format_money(report.suspense_total, 'CNY')}[/green]"
    )
    for item in report.exceptions:
        console.print(f"  {item.status:<16} {item.kind:<13} {item.reference}  difference {item.difference}")
    console.print(f"report: {path}")


@interbank_app.command("retry")
def interbank_retry() -> None:
    """Send again, once, what no other bank has answered yet: card reversals not acknowledged, then
    outbound transfers still pending (a scheduled job; safe to run at any time)."""
    from finlife import schema
    from finlife.interbank import service as interbank
    from finlife.kit.db import Database
    from finlife.kit.errors import FinlifeError
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with _lease(database, "interbank.retry"):
            reversed_now, still = interbank.retry_pending_reversals(database.engine)
            transfers = interbank.deliver_pending(database.engine, settings)
    except (schema.SchemaOutdated, FinlifeError) as exc:
        message = exc.message("en") if isinstance(exc, FinlifeError) else str(exc)
        console.print(f"[bold red]{message}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    outcomes = {
        status: sum(1 for s in transfers.values() if s == status) for status in set(transfers.values())
    }
    console.print(
        f"[green]reversals acknowledged {reversed_now}, still pending {still}; transfers sent again "
        f"{len(transfers)} ({', '.join(f'{k} {v}' for k, v in sorted(outcomes.items())) or 'none'})[/green]"
    )


@popularity_app.command("roll")
def popularity_roll() -> None:
    """Take the orders paid more than 30 days ago out of the stores' popularity counts, in one
    transaction (a scheduled job, every few minutes; safe to run at any time). Answers never depend
    on it: between two runs discovery takes those orders off itself, and the more there are, the
    more it reads."""
    from finlife import schema
    from finlife.cashier import service as cashier
    from finlife.kit.clock import clock
    from finlife.kit.db import Database
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with _lease(database, cashier.ROLL_LEASE), database.unit_of_work() as session:
            stores = cashier.roll_popularity(session, clock.now())
    except schema.SchemaOutdated as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    console.print(f"[green]popularity rolled: {stores} stores' counts lost orders older than 30 days[/green]")


@coupons_app.command("expire")
def coupons_expire() -> None:
    """End the unused coupons past their date, in one transaction: a bought one is refunded to the
    account that paid, a free one expires. Safe to run again (a scheduled job)."""
    from finlife import schema
    from finlife.kit.auth import Actor
    from finlife.kit.db import Database
    from finlife.kit.errors import FinlifeError
    from finlife.marketing import service as marketing
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with _lease(database, marketing.EXPIRY_LEASE), database.unit_of_work() as session:
            ended = marketing.expire_coupons(session, settings, Actor.system())
    except (schema.SchemaOutdated, FinlifeError) as exc:
        message = exc.message("en") if isinstance(exc, FinlifeError) else str(exc)
        console.print(f"[bold red]{message}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    console.print(f"[green]coupons ended: {ended} (bought ones refunded, free ones expired)[/green]")


@users_app.command("create")
def users_create(
    username: str = typer.Argument(..., help="Login name"),
    role: list[str] = typer.Option(..., "--role", help="Role (repeatable): teller, agent, bank_admin, …"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a staff or service login."""
    from finlife.identity import service as identity
    from finlife.kit.db import Database
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    with database.unit_of_work() as session:
        user = identity.create_user(
            session,
            settings,
            username=username,
            password=password,
            roles=identity.parse_roles(role),
        )
    database.dispose()
    console.print(f"created {user.username} ({', '.join(user.roles)}) as {user.id}")


@partners_app.command("prune-calls")
def partners_prune_calls() -> None:
    """Delete partners' calls older than FINLIFE_PARTNER_CALL_RETENTION_DAYS (never fewer than the
    six months JR/T 0185 asks). Safe to run at any time (a daily job)."""
    from finlife import schema
    from finlife.kit.db import Database
    from finlife.partners.registry import calls
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with database.unit_of_work() as session:
            pruned = calls.prune_calls(session, settings)
    except schema.SchemaOutdated as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    console.print(
        f"[green]pruned {pruned} partner calls older than {calls.retention_days(settings)} days[/green]"
    )


# The commands of the newer capabilities live beside this module; importing them registers them.
from finlife.cli import insights, money  # noqa: E402, F401
