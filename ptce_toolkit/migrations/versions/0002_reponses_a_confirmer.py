"""Réponses reprises d’une autre version du référentiel : « à confirmer » et origine

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 04:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode (SQLite). migrate.upgrade turns foreign keys OFF around this, so a
    # table rebuild could never cascade into child rows.
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('to_confirm', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('carried_from', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('carried_from')
        batch_op.drop_column('to_confirm')
