"""The 360 report says which self-assessment it compares with, in plain words."""

from __future__ import annotations

from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import OutboxMessage, User
from coach.services.feedback import rater_path, rounds

from hr_builders import BASE, answers_for, submit


def _token(email: str) -> str:
    link = db.session.scalar(
        select(OutboxMessage.link).where(
            OutboxMessage.kind == "invitation", OutboxMessage.to_address == email
        )
    )
    assert link
    return link.rsplit("/", 1)[1]


def test_the_360_report_names_the_self_assessment_it_compares_with_and_explains_reversed_items(
    app, auth, make_user
):
    email = make_user("sam@example.org", "manager", "Sam Subject")
    with app.app_context():
        sam = db.session.scalar(select(User).where(User.email == email))
        submit(sam)
        assessment = rounds.latest_submitted_assessment(db.session, sam)
        assert assessment is not None and assessment.submitted_at is not None
        instrument = default_instrument()
        found = rounds.start_round(
            db.session, sam, instrument, rounds.default_deadline(), assessment
        )
        raters = [(f"Peer {n}", f"peer{n}@example.org", "peer") for n in range(3)]
        rounds.nominate(db.session, found, raters, BASE, trusted=True)
        rounds.open_round(db.session, found, BASE, 3)
        for invitation in found.invitations:
            token = _token(invitation.email)
            answered = rater_path.invitation_for_token(db.session, token)
            pages = len(instrument.pages)
            rater_path.save_draft(db.session, answered, instrument, answers_for(3), {}, pages)
            rater_path.submit(db.session, answered, instrument)
        rounds.close_round(db.session, found, "subject", sam)
        report_id = found.public_id
        day = assessment.submitted_at.strftime("%-d %B %Y")
        db.session.remove()
    auth.sign_in(email)
    page = auth.client.get(f"/feedback/{report_id}/report").text
    assert f"compared with your self-assessment of {day}" in page
    assert ">reversed<" not in page
    assert "Worded the other way round: a higher answer here counts against" in page
