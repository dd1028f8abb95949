"""Questionnaire forms built at run time from the instrument's data (self and observer)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import Length

from coach.instrument import Instrument, Item, Page

NOT_OBSERVED = "na"
COMMENT_LIMIT = 2000


def _choices(instrument: Instrument) -> list[SelectChoice]:
    return [
        SelectChoice(NOT_OBSERVED if option.value is None else str(option.value), option.label)
        for option in instrument.options
    ]


def _keep_none(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


class AnswerField(RadioField):
    """A radio group that may be left empty (the view decides whether that blocks moving on)."""

    def pre_validate(self, form: object) -> None:
        """An empty answer is allowed here; any given answer must be one of the options."""
        if self.data is None:
            return
        super().pre_validate(form)


class PageForm(FlaskForm):
    """Base for a questionnaire page; one RadioField per item is added by ``page_form``."""

    item_ids: tuple[str, ...] = ()

    def answers(self) -> dict[str, int | None]:
        """The answers given on this page (unanswered items are left out)."""
        given: dict[str, int | None] = {}
        for item_id in self.item_ids:
            raw = self[item_id].data
            if raw is None:
                continue
            given[item_id] = None if raw == NOT_OBSERVED else int(raw)
        return given

    def unanswered(self) -> list[str]:
        """Item ids that have no answer on this submission."""
        return [i for i in self.item_ids if self[i].data is None]


def page_form_class(
    instrument: Instrument, page: Page, *, observer: bool = False
) -> type[PageForm]:
    """A form class whose fields are the page's items, each named by the item's id."""
    items: tuple[Item, ...] = instrument.items_on(page)
    choices = _choices(instrument)
    attrs: dict[str, object] = {"item_ids": tuple(i.id for i in items)}
    for item in items:
        text = item.observer_text if observer else item.self_text
        attrs[item.id] = AnswerField(text, choices=choices, coerce=_keep_none, default=None)
    if observer:
        attrs["comment"] = TextAreaField(
            "Comment (optional)",
            description="What would help them most here? Shown to them only when it cannot "
            "be traced to you: without your name, your group if that is small, or a date.",
            validators=[Length(max=COMMENT_LIMIT)],
        )
    return type(f"PageForm_{page.id}", (PageForm,), attrs)


def stored_to_form(answers: dict[str, int | None], item_ids: tuple[str, ...]) -> dict[str, str]:
    """Stored answers as form data for pre-filling."""
    return {
        i: (NOT_OBSERVED if answers[i] is None else str(answers[i]))
        for i in item_ids
        if i in answers
    }


class SubmitForm(FlaskForm):
    """Only the CSRF token: the answers are already saved on the server."""
