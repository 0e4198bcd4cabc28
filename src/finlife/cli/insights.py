"""``finlife insights``: customers' facts and segments, and the recommendations' training and evaluation."""

from __future__ import annotations

from datetime import datetime

import typer

from finlife.cli import _lease, _progress_bar, console, insights_app


@insights_app.command("refresh")
def insights_refresh() -> None:
    """Recompute every customer's facts (preferences, RFM, lifecycle) as of now, then every segment's
    members. Idempotent: run again, the same rows give the same facts and members."""
    from finlife import schema
    from finlife.insights import service as insights
    from finlife.kit.db import Database
    from finlife.settings import get_settings

    settings = get_settings()
    database = Database(settings.database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with _lease(database, insights.REFRESH_LEASE) as lease, _progress_bar() as progress:
            task = progress.add_task("customers' facts", total=None)

            def refreshed(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)
                lease.check()  # between chunks: stop if another node has taken over

            customers = insights.refresh_all(database, refreshed)
            with database.unit_of_work() as session:
                segments = insights.refresh_all_segments(session)
    except schema.SchemaOutdated as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    console.print(f"[green]facts refreshed: {customers} customers; segments refreshed: {segments}[/green]")


@insights_app.command("train")
def insights_train() -> None:
    """Train the recommendations on the whole payment history and store every customer's picks."""
    from finlife import schema
    from finlife.kit.db import Database
    from finlife.recommend import service as recommend
    from finlife.settings import get_settings

    database = Database(get_settings().database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with database.unit_of_work() as session:
            trained = recommend.train(session)
    except schema.SchemaOutdated as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    console.print(
        f"[green]recommendations trained: customers {trained.customers}, stores {trained.stores}, "
        f"visits {trained.visits}, picks stored {trained.picks}[/green]"
    )


@insights_app.command("evaluate")
def insights_evaluate(
    cutoff: datetime = typer.Option(..., "--cutoff", formats=["%Y-%m-%d"], help="Train before, test from"),
) -> None:
    """Train on the history before the cutoff's day, test on after (a time split): recall@10 and
    NDCG@10 of the model and of the popularity baseline. Stores nothing."""
    from finlife import schema
    from finlife.kit.db import Database
    from finlife.recommend import report
    from finlife.settings import get_settings

    database = Database(get_settings().database_url)
    try:
        schema.ensure_current(database.engine, database.url)
        with database.unit_of_work() as session:
            result = report.evaluate_before(session, cutoff.date())
    except schema.SchemaOutdated as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(code=1) from exc
    finally:
        database.dispose()
    console.print(report.table(result))
