"""milestones get a random public id for their URL

Revision ID: 0007_milestone_public_id
Revises: 0006_analytics
Create Date: 2026-12-02 10:00:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_milestone_public_id'
down_revision = '0006_analytics'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable first, so existing rows can be given their ids before the column is required.
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=32), nullable=True))

    _fill_public_ids()

    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_milestone_public_id'), ['public_id'])


def _fill_public_ids():
    """Existing milestones get random ids, as coach.models._common.new_public_id makes them.

    The generator is copied here, not imported: a migration keeps working when app code moves.
    """
    conn = op.get_bind()
    ids = conn.execute(sa.text("SELECT id FROM milestone")).scalars().all()
    if ids:
        conn.execute(
            sa.text("UPDATE milestone SET public_id = :public_id WHERE id = :id"),
            [{"public_id": secrets.token_urlsafe(12), "id": milestone_id} for milestone_id in ids],
        )


def downgrade():
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_milestone_public_id'), type_='unique')
        batch_op.drop_column('public_id')
