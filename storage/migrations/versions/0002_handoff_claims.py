"""handoff: who claimed a ticket (name, for Telegram claims), helpers' Telegram user ids

Revision ID: 0002_handoff_claims
Revises: 46490464e628
Create Date: 2026-11-27 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_handoff_claims"
down_revision: str | None = "46490464e628"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by_name", sa.String(length=120), nullable=True))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("telegram_user_id", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_user_telegram_user_id", ["telegram_user_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index("ix_user_telegram_user_id")
        batch_op.drop_column("telegram_user_id")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("claimed_by_name")
