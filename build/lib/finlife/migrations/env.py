"""Alembic environment: the URL comes from finlife's settings unless the caller set one."""

from __future__ import annotations

from alembic import context

from finlife.kit.db import make_engine, normalise_url
from finlife.models import metadata
from finlife.settings import get_settings

config = context.config
# Made by the hand-written revision 2026_11_30_0300_store_search (FTS5 and its shadow tables, the
# generated tsvector column, indexes the models do not declare): autogenerate must not drop them.
HAND_MADE = ("search_store_documents_fts", "document_tsv", "ix_search_store_documents_document_tsv")
HAND_MADE_INDEXES = ("ix_stores_position",)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    if not reflected or name is None:
        return True
    return not (name.startswith(HAND_MADE) or name in HAND_MADE_INDEXES)


url = config.get_main_option("sqlalchemy.url") or normalise_url(get_settings().database_url)


def run_offline() -> None:
    context.configure(url=url, target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
