"""(reserved: filled in by the change that needs it)

Revision ID: 0012_disclosure
Revises: 0011_outside_raters
Create Date: 2026-12-07 14:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0012_disclosure'
down_revision = '0011_outside_raters'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
