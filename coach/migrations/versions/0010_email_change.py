"""(reserved: filled in by the change that needs it)

Revision ID: 0010_email_change
Revises: 0009_sign_in_throttle
Create Date: 2026-12-07 14:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0010_email_change'
down_revision = '0009_sign_in_throttle'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
