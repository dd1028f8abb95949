"""Organisation units: a tree of any depth (company, division, department, team)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coach.extensions import db
from coach.models._common import new_public_id


class OrgUnit(db.Model):
    """One unit of the organisation; ``parent`` is None for the top of the tree."""

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # "/1/5/12/": the ids from the top down, so "this unit and everything below it" is one
    # indexed prefix match (tree_path LIKE '/1/5/%') at any depth and any size.
    tree_path: Mapped[str] = mapped_column(String(1000), default="", index=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent")

    def path(self) -> str:
        """The unit's path from the top, for example ``Acme/Operations/Logistics``."""
        names: list[str] = []
        unit: OrgUnit | None = self
        while unit is not None:
            names.append(unit.name)
            unit = unit.parent
        return "/".join(reversed(names))
