"""Alembic migrations: upgrade, and the check that refuses to serve an old schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from finlife.kit.db import normalise_url

# Inside the package, so that an installed wheel can migrate its database.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaOutdated(RuntimeError):
    pass


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_current(engine: Engine, url: str) -> None:
    """Refuse to run on a database that the migrations have not brought up to date."""
    head, current = head_revision(url), current_revision(engine)
    if head != current:
        raise SchemaOutdated(
            f"database schema is at {current or 'nothing'}, the code needs {head}: run `finlife db upgrade`"
        )
