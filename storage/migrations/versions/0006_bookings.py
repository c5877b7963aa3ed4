"""bookings: bookable sessions, residents' bookings, the places' iCalendar feed tokens

Revision ID: 0006_bookings
Revises: 0005_voice_calls
Create Date: 2026-11-30 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0006_bookings"
down_revision: str | None = "0005_voice_calls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bookingslot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('start', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('place_id', 'start', name='uq_bookingslot_place_start')
    )
    with op.batch_alter_table('bookingslot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookingslot_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookingslot_start'), ['start'], unique=False)

    op.create_table('placefeed',
    sa.Column('place_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('place_id'),
    sa.UniqueConstraint('token')
    )
    op.create_table('booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('cancelled_by', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('test', sa.Boolean(), nullable=False),
    sa.Column('reminded_day_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_soon_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['slot_id'], ['bookingslot.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index('ix_booking_contact_status', ['contact_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_slot_id'), ['slot_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_slot_id'))
        batch_op.drop_index(batch_op.f('ix_booking_place_id'))
        batch_op.drop_index(batch_op.f('ix_booking_created_at'))
        batch_op.drop_index('ix_booking_contact_status')

    op.drop_table('booking')
    op.drop_table('placefeed')
    with op.batch_alter_table('bookingslot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookingslot_start'))
        batch_op.drop_index(batch_op.f('ix_bookingslot_place_id'))

    op.drop_table('bookingslot')
