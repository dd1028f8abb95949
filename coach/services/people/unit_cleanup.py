"""Removing units nobody uses: after the demo, or after an import made units by mistake."""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from coach.models import Campaign, OrgUnit, User
from coach.models.analytics import hr_fact, hr_slice_stats, hr_unit_ancestor
from coach.services.hr.version import summary_changed


def remove_unused_units(session: Session, root: OrgUnit | None = None) -> int:
    """Delete the units (below and including ``root``, or all) that no person, active or
    not, and no campaign is in, and that have no such unit below them; commits.

    Returns how many were deleted. Their rows in the HR summary tables go with them.
    """
    query = select(OrgUnit)
    if root is not None:
        query = query.where(OrgUnit.tree_path.startswith(root.tree_path, autoescape=True))
    units = list(session.scalars(query))
    ids = [u.id for u in units]
    used = set(session.scalars(select(User.unit_id).where(User.unit_id.is_not(None))))
    used |= set(session.scalars(select(Campaign.unit_id).where(Campaign.unit_id.is_not(None))))
    parent_of = {u.id: u.parent_id for u in units}
    kept: set[int] = set()
    for unit_id in used:  # a unit in use keeps every unit above it
        current: int | None = unit_id
        while current is not None and current not in kept:
            kept.add(current)
            current = parent_of.get(current)
    gone = [i for i in ids if i not in kept]
    if gone:
        session.execute(delete(hr_fact).where(hr_fact.c.unit_id.in_(gone)))
        session.execute(delete(hr_slice_stats).where(hr_slice_stats.c.unit_id.in_(gone)))
        summary_changed(session)
        session.execute(
            delete(hr_unit_ancestor).where(
                or_(hr_unit_ancestor.c.unit_id.in_(gone), hr_unit_ancestor.c.ancestor_id.in_(gone))
            )
        )
        session.execute(delete(OrgUnit).where(OrgUnit.id.in_(gone)))
    session.commit()
    return len(gone)
