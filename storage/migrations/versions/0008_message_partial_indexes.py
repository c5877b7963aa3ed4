"""storage: the message indexes on reply_to_id and provider_id hold only rows that have one

Every inbound message and every reply was written into both indexes, most of them with NULL (an inbound message
replies to nothing; an inline reply has no provider id): two index pages more in every turn's commit and in every
WAL checkpoint. Lookups are by value (`= x`, `IN (...)`), which the partial indexes serve.

Revision ID: 0008_message_partial_indexes
Revises: 0007_outbound
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_message_partial_indexes"
down_revision: str | None = "0007_outbound"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("reply_to_id", "provider_id")


def upgrade() -> None:
    for column in _COLUMNS:
        name = f"ix_message_{column}"
        op.drop_index(name, table_name="message")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, "message", [column], unique=False, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for column in _COLUMNS:
        name = f"ix_message_{column}"
        op.drop_index(name, table_name="message")
        op.create_index(name, "message", [column], unique=False)
