"""The tables of the first revision (``0001_core_bank``), created in three steps of under 600 lines
each, in the order Alembic generated them (a table after those its foreign keys name). Only that
revision calls them; they are applied history and never change."""
