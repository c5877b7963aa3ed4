"""storage: PostgreSQL opens an inbound turn in one round trip, the database function `digibuur_open_turn`

A turn on PostgreSQL began with two statements, each a network round trip: the contact's upsert (which takes its
row lock, and waits there while another turn of the same contact runs) and then the reads (the conversation row
locked FOR UPDATE, the dedupe, the subscriptions, the recent inbound messages). They could not be one statement:
a statement reads from a snapshot taken when it starts, before its upsert waited, so it would miss a conversation
row that the waited-for turn created. The function runs them as two statements on the server: a VOLATILE
function's statements each take a fresh snapshot (READ COMMITTED), so the reads come after the lock, as before.
SQLite (no network between statements) keeps its separate statements; this migration does nothing there.

Revision ID: 0009_open_turn_function
Revises: 0008_message_partial_indexes
Create Date: 2026-12-02 04:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_open_turn_function"
down_revision: str | None = "0008_message_partial_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RECENT = ("FROM message AS m WHERE m.contact_id = c_id AND m.direction = 'in' AND m.created_at >= p_since "
           "ORDER BY m.id DESC LIMIT p_limit")

CREATE = f"""
CREATE OR REPLACE FUNCTION digibuur_open_turn(
    p_channel text, p_address text, p_stats_key text, p_now timestamptz, p_external_id text,
    p_since timestamptz, p_limit integer)
RETURNS TABLE (o_contact_id integer, o_language text, o_opted_out boolean, o_state json, o_turns integer,
               o_found boolean, o_duplicate_of integer, o_subscribed boolean, o_recent_at timestamptz[],
               o_recent_text text[])
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    c_id integer;
    c_language text;
    c_opted_out boolean;
BEGIN
    -- the contact, created on its first message; its row stays locked until the turn's transaction ends
    INSERT INTO contact AS k (channel, address, stats_key, language, opted_out, last_inbound_at, created_at)
    VALUES (p_channel, p_address, p_stats_key, '', false, p_now, p_now)
    ON CONFLICT (channel, address) DO UPDATE SET last_inbound_at = excluded.last_inbound_at
    RETURNING k.id, k.language, k.opted_out INTO c_id, c_language, c_opted_out;
    -- a new statement, so a new snapshot: what a turn we waited for above committed is seen here
    RETURN QUERY
    SELECT c_id, c_language, c_opted_out, conv.state, conv.turns, coalesce(conv.found, false),
           (SELECT m.id FROM message AS m WHERE m.channel = p_channel AND m.external_id = p_external_id),
           EXISTS (SELECT 1 FROM subscription AS s WHERE s.contact_id = c_id),
           ARRAY(SELECT m.created_at {_RECENT}),
           ARRAY(SELECT m.text::text {_RECENT})
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (SELECT cv.state, cv.turns, true AS found FROM conversation AS cv
                       WHERE cv.contact_id = c_id FOR UPDATE) AS conv ON true;
END
$$
"""

DROP = ("DROP FUNCTION IF EXISTS digibuur_open_turn(text, text, text, timestamptz, text, timestamptz, integer)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP)
