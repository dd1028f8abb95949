"""pooled within-ratee variance kept as running sums (the 360 report's uncertainty)

Revision ID: 0008_pooled_variance
Revises: 0007_milestone_public_id
Create Date: 2026-12-06 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_pooled_variance'
down_revision = '0007_milestone_public_id'
branch_labels = None
depends_on = None

# The same sums coach.services.feedback.variance_pool computes, from the rounds already closed.
# Per round, group and scale: sum(x^2) - sum(x)^2 / n with n - 1 degrees of freedom
# (groups of one add nothing); then added up per instrument and group.
_PER_GROUP = """
INSERT INTO pooled_variance (instrument_id, rater_group, scale_id, sum_squares, df)
SELECT r.instrument_id, w.rater_group, w.scale_id, SUM(w.within), SUM(w.n - 1)
FROM (
    SELECT fr.round_id AS round_id, fr.rater_group AS rater_group, s.scale_id AS scale_id,
           COUNT(*) AS n,
           CASE WHEN SUM(s.score * s.score) - SUM(s.score) * SUM(s.score) / COUNT(*) < 0
                THEN 0.0
                ELSE SUM(s.score * s.score) - SUM(s.score) * SUM(s.score) / COUNT(*) END AS within
    FROM feedback_response fr
    JOIN response_scale_score s ON s.response_id = fr.id
    WHERE s.score IS NOT NULL
    GROUP BY fr.round_id, fr.rater_group, s.scale_id
    HAVING COUNT(*) >= 2
) w
JOIN feedback_round r ON r.id = w.round_id
WHERE r.state = 'closed'
GROUP BY r.instrument_id, w.rater_group, w.scale_id
"""
# And once more for all groups together ("others"), from the rows just written.
_OTHERS = """
INSERT INTO pooled_variance (instrument_id, rater_group, scale_id, sum_squares, df)
SELECT instrument_id, 'others', scale_id, SUM(sum_squares), SUM(df)
FROM pooled_variance
GROUP BY instrument_id, scale_id
"""


def upgrade():
    op.create_table('pooled_variance',
    sa.Column('instrument_id', sa.String(length=100), nullable=False),
    sa.Column('rater_group', sa.String(length=20), nullable=False),
    sa.Column('scale_id', sa.String(length=100), nullable=False),
    sa.Column('sum_squares', sa.Float(), nullable=False),
    sa.Column('df', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('instrument_id', 'rater_group', 'scale_id', name=op.f('pk_pooled_variance'))
    )
    op.execute(_PER_GROUP)
    op.execute(_OTHERS)


def downgrade():
    op.drop_table('pooled_variance')
