"""sign-in throttle: failures per e-mail address and client, and per client, with backoff

Revision ID: 0009_sign_in_throttle
Revises: 0008_pooled_variance
Create Date: 2026-12-07 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_sign_in_throttle'
down_revision = '0008_pooled_variance'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_throttle',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('account', sa.String(length=64), nullable=True),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttle')),
    )
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_throttle_account'), ['account'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_sign_in_throttle_last_failure_at'), ['last_failure_at'], unique=False
        )
    # The old lock is replaced by the throttle: nobody stays locked out by it.
    op.execute("UPDATE user_account SET locked_until = NULL, failed_sign_ins = 0")


def downgrade():
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_throttle_last_failure_at'))
        batch_op.drop_index(batch_op.f('ix_sign_in_throttle_account'))
    op.drop_table('sign_in_throttle')
