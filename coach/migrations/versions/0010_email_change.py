"""e-mail changes wait for confirmation, plan sharing names its manager, outbox keeps no secrets

Revision ID: 0010_email_change
Revises: 0009_sign_in_throttle
Create Date: 2026-12-07 14:00:00

"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_email_change'
down_revision = '0009_sign_in_throttle'
branch_labels = None
depends_on = None

# A plan shared before this change was shared with whoever managed its owner then: the
# closest record of that is the owner's manager now.
_BIND_SHARING = """
UPDATE development_plan
SET shared_with_id = (
    SELECT u.manager_id FROM user_account u WHERE u.id = development_plan.owner_id
)
WHERE shared_with_manager
"""
_END_UNBOUND = "UPDATE development_plan SET shared_with_manager = false WHERE shared_with_id IS NULL"
# Delivered or given-up messages keep who, what kind and when, never the link or the text.
_FORGET_SENT = (
    "UPDATE outbox_message SET body = '', link = NULL WHERE status IN ('delivered', 'failed')"
)


def _name_whose_round(conn):
    """Rater invitations already written learn whose round they are about, while their link
    (hashed, as the invitation stores it) can still tell: erasing that person removes them."""
    subject_of = dict(conn.execute(sa.text(
        "SELECT i.token_hash, r.subject_id FROM invitation i "
        "JOIN feedback_round r ON r.id = i.round_id WHERE i.token_hash IS NOT NULL"
    )).all())
    messages = conn.execute(sa.text(
        "SELECT id, link FROM outbox_message "
        "WHERE kind IN ('invitation', 'reminder') AND link IS NOT NULL"
    )).all()
    for message_id, link in messages:
        raw = link.rstrip('/').rsplit('/', 1)[-1]
        subject = subject_of.get(hashlib.sha256(raw.encode('utf-8')).hexdigest())
        if subject is not None:
            conn.execute(
                sa.text("UPDATE outbox_message SET about_id = :subject WHERE id = :id"),
                {"subject": subject, "id": message_id},
            )


def upgrade():
    # Adding columns and indexes only: on SQLite no table is rebuilt, which a table other
    # tables point at (people, plans) could not be while foreign keys are enforced.
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_unconfirmed_from', sa.String(length=254), nullable=True))
    with op.batch_alter_table('development_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shared_with_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('about_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_about_id'), ['about_id'], unique=False)
    _name_whose_round(op.get_bind())
    op.execute(_BIND_SHARING)
    op.execute(_END_UNBOUND)
    op.execute(_FORGET_SENT)


def downgrade():
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later) instead of a batch rebuild, for
    # the same reason: none of these columns is indexed once its index is gone, or keyed.
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_about_id'))
    op.drop_column('outbox_message', 'about_id')
    op.drop_column('development_plan', 'shared_with_id')
    op.drop_column('user_account', 'email_unconfirmed_from')
