"""Raters outside the directory wait for approval by the subject's manager or HR

Revision ID: 0011_outside_raters
Revises: 0010_email_change
Create Date: 2026-12-07 14:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0011_outside_raters'
down_revision = '0010_email_change'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_invitation_approval'), ['approval'], unique=False)


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): copying the table instead would drop
    # it, which foreign keys from rater_draft refuse while drafts exist.
    with op.batch_alter_table('invitation', schema=None, recreate='never') as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_approval'))
        batch_op.drop_column('decided_at')
        batch_op.drop_column('approval')
