"""Alembic environment: the app passes its own connection (see ptce_toolkit/migrate.py)."""

from alembic import context

from ptce_toolkit.models import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for "alembic revision --autogenerate" by developers
    from sqlalchemy import create_engine

    url = config.get_main_option("sqlalchemy.url") or "sqlite:///dev-autogenerate.sqlite3"
    connection = create_engine(url).connect()

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
