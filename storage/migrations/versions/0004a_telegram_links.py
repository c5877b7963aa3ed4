"""hardening: one-time codes that link a helper's Telegram user; tickets opened from a simulator are tests

Revision ID: 0004a_telegram_links
Revises: 0003_message_provider_id
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from storage.types import UTCDateTime

revision: str = "0004a_telegram_links"
down_revision: str | None = "0003_message_provider_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("telegram_link_code", sqlmodel.sql.sqltypes.AutoString(length=128),
                                      nullable=True))
        batch_op.add_column(sa.Column("telegram_link_expires_at", UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("test", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index("ix_ticket_test", ["test"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_test")
        batch_op.drop_column("test")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("telegram_link_expires_at")
        batch_op.drop_column("telegram_link_code")
