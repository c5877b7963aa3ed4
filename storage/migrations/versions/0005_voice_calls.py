"""voice: one row per phone call (steps reached, outcome, Twilio's final status) for the dashboard

Revision ID: 0005_voice_calls
Revises: 0004c_text_reviews
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from storage.types import UTCDateTime

revision: str = "0005_voice_calls"
down_revision: str | None = "0004c_text_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "voice_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("withheld", sa.Boolean(), nullable=False),
        sa.Column("last_step", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("place_found", sa.Boolean(), nullable=False),
        sa.Column("sms_sent", sa.Boolean(), nullable=False),
        sa.Column("ticket", sa.Boolean(), nullable=False),
        sa.Column("goodbye", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("ended_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_sid"),
    )
    with op.batch_alter_table("voice_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voice_call_started_at"), ["started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("voice_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voice_call_started_at"))
    op.drop_table("voice_call")
