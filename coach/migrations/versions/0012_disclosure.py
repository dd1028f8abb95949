"""HR summary version: one number that grows with every change of the summary tables

Revision ID: 0012_disclosure
Revises: 0011_outside_raters
Create Date: 2026-12-07 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_disclosure'
down_revision = '0011_outside_raters'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'hr_summary_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.bulk_insert(table, [{'id': 1, 'version': 0}])


def downgrade():
    op.drop_table('hr_summary_version')
