"""(reserved: filled in by the change that needs it)

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
    pass


def downgrade():
    pass
