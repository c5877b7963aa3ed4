"""hardening: login throttle per (account, address), session generations, forget-me links (outbox, dead letters)

Revision ID: 0004b_hardening
Revises: 0003_message_provider_id
Create Date: 2026-11-30 16:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0004b_hardening"
down_revision: str | None = "0004a_telegram_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loginthrottle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_allowed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("loginthrottle", schema=None) as batch_op:
        batch_op.create_index("ix_loginthrottle_updated_at", ["updated_at"], unique=False)
    with op.batch_alter_table("loginattempt", schema=None) as batch_op:
        batch_op.drop_index("ix_loginattempt_key")
    op.drop_table("loginattempt")
    with op.batch_alter_table("deadletter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index("ix_deadletter_address", ["address"], unique=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("about_contact_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_outbox_about_contact_id", ["about_contact_id"], unique=False)
        batch_op.create_foreign_key("fk_outbox_about_contact_id_contact", "contact", ["about_contact_id"], ["id"])
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint("fk_outbox_about_contact_id_contact", type_="foreignkey")
        batch_op.drop_index("ix_outbox_about_contact_id")
        batch_op.drop_column("about_contact_id")
    with op.batch_alter_table("deadletter", schema=None) as batch_op:
        batch_op.drop_index("ix_deadletter_address")
        batch_op.drop_column("address")
    op.create_table(
        "loginattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("loginattempt", schema=None) as batch_op:
        batch_op.create_index("ix_loginattempt_key", ["key"], unique=False)
    with op.batch_alter_table("loginthrottle", schema=None) as batch_op:
        batch_op.drop_index("ix_loginthrottle_updated_at")
    op.drop_table("loginthrottle")
