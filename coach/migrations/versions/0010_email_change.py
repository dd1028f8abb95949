"""e-mail changes wait for confirmation, plan sharing names its manager, outbox keeps no secrets

Revision ID: 0010_email_change
Revises: 0009_sign_in_throttle
Create Date: 2026-12-07 14:00:00

"""
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


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_unconfirmed_from', sa.String(length=254), nullable=True))
    with op.batch_alter_table('development_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shared_with_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_development_plan_shared_with_id_user_account'),
            'user_account', ['shared_with_id'], ['id'],
        )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('about_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_about_id'), ['about_id'], unique=False)
    op.execute(_BIND_SHARING)
    op.execute(_END_UNBOUND)
    op.execute(_FORGET_SENT)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_about_id'))
        batch_op.drop_column('about_id')
    with op.batch_alter_table('development_plan', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_development_plan_shared_with_id_user_account'), type_='foreignkey'
        )
        batch_op.drop_column('shared_with_id')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_unconfirmed_from')
