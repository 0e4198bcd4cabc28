"""``finlife wealth`` and ``finlife loans``: the fund's yields, income and sweeps; the loans' daily run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from finlife.cli import _business_date, _lease, _progress_bar, console, loans_app, wealth_app

if TYPE_CHECKING:
    from finlife.kit.db import Database


@loans_app.command("run-day")
def loans_run_day(
    day: str | None = typer.Option(
        None, "--date", help="Business day (YYYY-MM-DD, Asia/Shanghai) to service; default: yesterday"
    ),
) -> None:
    """Accrue interest, collect what is due, count days past due, classify, remind; once per loan and
    day (run it again and nothing moves twice; interrupted, it resumes where it stopped)."""
    from datetime import timedelta

    from finlife import schema
    from finlife.kit.clock import clock
    from finlife.kit.db import Database
    from finlife.kit.i18n import format_money
    from finlife.lending import service as lending
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    business_date = _business_date(day) or clock.business_day() - timedelta(days=1)
    try:
        schema.ensure_current(database.engine, database.url)
        with _lease(database, f"loans.run-day.{business_date.isoformat()}"):
            with database.unit_of_work() as session:
                remaining, _ = lending.to_service(session, business_date)
            with _progress_bar() as progress:
                task = progress.add_task(f"servicing loans {business_date.isoformat()}", total=remaining)
                summary = lending.run_day(database, business_date, lambda n: progress.advance(task, n))
    except schema.SchemaOutdated as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    classes = ", ".join(f"{name} {count}" for name, count in sorted(summary.by_class.items()))
    accrued = format_money(summary.accrued, "CNY")
    console.print(
        f"[green]{business_date.isoformat()}: {summary.loans} loans, accrued {accrued}, "
        f"collected {format_money(summary.collected, 'CNY')} ({summary.collections} collections), "
        f"{summary.in_arrears} in arrears, {summary.closed} closed[/green]"
    )
    console.print(f"  by classification: {classes}")


def _wealth_job(
    lease_name: str, label: str, work: Callable[[Database, Callable[[int, int], None]], str]
) -> None:
    """Run a wealth job under its lease with a progress bar; a refusal is printed, exit code 1."""
    from finlife import schema
    from finlife.kit.db import Database
    from finlife.kit.errors import FinlifeError
    from finlife.settings import get_settings

    database = Database(get_settings().database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with _lease(database, lease_name) as lease, _progress_bar() as progress:
            task = progress.add_task(label, total=None)

            def show(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)
                lease.check()

            summary = work(database, show)
    except (schema.SchemaOutdated, FinlifeError) as exc:
        message = exc.message("en") if isinstance(exc, FinlifeError) else str(exc)
        console.print(f"[bold red]{message}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    console.print(f"[green]{summary}[/green]")


@wealth_app.command("sweep")
def wealth_sweep(
    day: str | None = typer.Option(None, "--date", help="Business day (default: today)"),
) -> None:
    """Pay normal redemptions due, then move every swept account's balance above what it keeps into
    its fund (run after ``finlife settle``; idempotent and resumable: run it again after a crash)."""
    from finlife.kit.auth import Actor
    from finlife.kit.i18n import format_money
    from finlife.wealth import service as wealth

    def work(database: Database, show: Callable[[int, int], None]) -> str:
        swept_day, seen, amount = wealth.sweep(database, Actor.system(), _business_date(day), show)
        return f"swept {swept_day.isoformat()}: {seen} accounts, {format_money(amount, 'CNY')} into funds"

    _wealth_job("wealth.sweep", "sweeping", work)


@wealth_app.command("income")
def wealth_income(
    day: str | None = typer.Option(None, "--date", help="Only this day (default: every day due)"),
) -> None:
    """Pay each published day's income as units (largest remainder, to the fen); resumable."""
    from finlife.kit.auth import Actor
    from finlife.wealth import service as wealth

    def work(database: Database, show: Callable[[int, int], None]) -> str:
        paid = wealth.distribute(database, Actor.system(), _business_date(day), show)
        return f"income paid to {paid} holdings"

    _wealth_job("wealth.income", "paying income", work)


@wealth_app.command("yields")
def wealth_yields(
    fund: str = typer.Option(..., "--fund", help="The fund's id or code"),
    file: Path = typer.Option(..., "--file", exists=True, dir_okay=False, help="CSV: date,per_10k,seven_day"),
) -> None:
    """Publish a fund's yields from its administrator's file (days already published are kept)."""
    from finlife.kit.auth import Actor
    from finlife.wealth import service as wealth

    def work(database: Database, _show: Callable[[int, int], None]) -> str:
        with database.unit_of_work() as session:
            published, kept = wealth.load_yields(session, Actor.system(), fund, file)
        return f"yields published {published}, already there {kept}"

    _wealth_job("wealth.yields", "publishing yields", work)
