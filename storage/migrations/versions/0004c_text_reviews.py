"""texts: review status per text and language (draft / reviewed, by whom, when)

Revision ID: 0004c_text_reviews
Revises: 0004b_hardening
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0004c_text_reviews"
down_revision: str | None = "0004b_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "textreview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("text_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("reviewer", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("textreview", schema=None) as batch_op:
        batch_op.create_index("ix_textreview_item", ["kind", "key", "language", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("textreview", schema=None) as batch_op:
        batch_op.drop_index("ix_textreview_item")
    op.drop_table("textreview")
