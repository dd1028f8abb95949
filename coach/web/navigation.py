"""The main navigation: what each role sees, in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from coach.extensions import db
from coach.models import Role
from coach.services.feedback import rater_approvals


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation, current when the request is in one of its sections."""

    label: str
    endpoint: str
    sections: tuple[str, ...]  # blueprint names, or endpoints
    roles: tuple[Role, ...] = ()
    not_in: tuple[str, ...] = ()  # endpoints of the sections that belong to another link
    only_if: Callable[[], bool] | None = None  # a further condition on the signed-in person
    tuck: int = 0  # when the bar is too full, items tuck under "More" by this rank (1 first)

    @property
    def url(self) -> str:
        """Where the link goes."""
        return url_for(self.endpoint)

    @property
    def current(self) -> bool:
        """True on the pages this link leads into."""
        endpoint = request.endpoint
        if endpoint is None or endpoint in self.not_in:
            return False
        return (
            endpoint == self.endpoint
            or endpoint in self.sections
            or endpoint.split(".")[0] in self.sections
        )


def _approves_raters() -> bool:
    return rater_approvals.is_approver(db.session, current_user)


CAMPAIGN_PAGES = ("hr.campaign_list", "hr.campaign")
APPROVAL_PAGES = ("feedback.approvals",)
ITEMS = (
    NavItem("Home", "main.home", ("main", "assess")),
    NavItem("Feedback", "feedback.index", ("feedback",), not_in=APPROVAL_PAGES),
    NavItem("Approvals", "feedback.approvals", APPROVAL_PAGES, only_if=_approves_raters, tuck=3),
    NavItem("Plan", "plans.index", ("plans",), tuck=2),
    NavItem("People", "directory.index", ("directory",), (Role.HR, Role.ADMIN)),
    NavItem("Organisation", "hr.dashboard", ("hr",), (Role.HR, Role.ADMIN), CAMPAIGN_PAGES),
    NavItem("Campaigns", "hr.campaign_list", CAMPAIGN_PAGES, (Role.HR, Role.ADMIN)),
    NavItem("Admin", "admin.index", ("admin",), (Role.ADMIN,)),
    NavItem("Account", "auth.change_password", (), tuck=1),
)
MAX_INLINE = 6  # links shown in the bar itself; beyond this, tucked items move under "More"


def split_items(items: list[NavItem]) -> tuple[list[NavItem], list[NavItem]]:
    """The links shown in the bar and those under "More", each in their original order."""
    tucked: set[str] = set()
    for item in sorted((i for i in items if i.tuck), key=lambda i: i.tuck):
        if len(items) - len(tucked) <= MAX_INLINE:
            break
        tucked.add(item.endpoint)
    return (
        [i for i in items if i.endpoint not in tucked],
        [i for i in items if i.endpoint in tucked],
    )


def register(app: Flask) -> None:
    """Give templates ``nav_items`` (the bar) and ``nav_more`` (its "More" menu) for the person."""

    @app.context_processor
    def navigation() -> dict[str, object]:
        if not current_user.is_authenticated:
            return {"nav_items": [], "nav_more": []}
        endpoints = current_app.view_functions
        items = [
            item
            for item in ITEMS
            if item.endpoint in endpoints
            and (not item.roles or current_user.has_role(*item.roles))
            and (item.only_if is None or item.only_if())
        ]
        inline, more = split_items(items)
        return {"nav_items": inline, "nav_more": more}
