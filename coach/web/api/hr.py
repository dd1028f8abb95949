"""HR endpoints of the JSON API: the organisation directory."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_login import current_user

from coach.extensions import db
from coach.models import Role
from coach.services.people import directory
from coach.web.api.routes import api_login_required, bp

PAGE_SIZE = 500


def _require_hr() -> None:
    if not current_user.has_role(Role.HR, Role.ADMIN):
        abort(403)


@bp.get("/hr/units")
@api_login_required
def hr_units() -> dict[str, Any]:
    """The unit tree with the number of active people in each unit and below it."""
    _require_hr()
    nodes = directory.unit_tree(db.session)  # depth-first: a parent before its children
    shown: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for node in nodes:
        parent = shown.get(node.unit.parent_id or 0) if node.depth else None
        shown[node.unit.id] = {
            "id": node.unit.public_id,
            "name": node.unit.name,
            "path": f"{parent['path']}/{node.unit.name}" if parent else node.unit.name,
            "people": node.own,
            "people_including_below": node.total,
            "children": [],
        }
        (parent["children"] if parent else roots).append(shown[node.unit.id])
    return {"units": roots}


@bp.get("/hr/people")
@api_login_required
def hr_people() -> dict[str, Any]:
    """People in a unit and every unit below it (everyone without ``unit``)."""
    _require_hr()
    unit = None
    if unit_id := request.args.get("unit"):
        unit = directory.unit_by_public_id(db.session, unit_id)
        if unit is None:
            abort(404)
    listing = directory.people_page(
        db.session, unit, request.args.get("page", 1, type=int) or 1, per_page=PAGE_SIZE
    )
    return {
        "unit": unit.public_id if unit else None,
        "page": listing.page,
        "pages": listing.pages,
        "total": listing.total,
        "people": [
            {
                "id": p.public_id,
                "name": p.name,
                "email": p.email,
                "unit": {"id": p.unit.public_id, "name": p.unit.name} if p.unit else None,
                "manager": {"id": p.manager.public_id, "name": p.manager.name}
                if p.manager
                else None,
                "role": p.role,
                "active": p.active,
            }
            for p in listing.people
        ],
    }
