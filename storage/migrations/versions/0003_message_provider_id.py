"""channels: the provider's id of an outbound message (Twilio MessageSid), for delivery status callbacks

Revision ID: 0003_message_provider_id
Revises: 0002_handoff_claims
Create Date: 2026-11-27 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_message_provider_id"
down_revision: str | None = "0002_handoff_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True))
        batch_op.create_index("ix_message_provider_id", ["provider_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index("ix_message_provider_id")
        batch_op.drop_column("provider_id")
