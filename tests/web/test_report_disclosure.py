"""The item-against-scale attack on the 360 report, through the real page and API.

Each test builds two closed rounds for the same person that differ only in one peer's
answers (and, where needed, another peer's answers on a question the report hides). If
the page and the API are the same for both rounds, nothing in them can tell the subject
what that peer answered. The attack sum of the finding (item n x item mean, minus the
number of items x scale n x scale mean) is also recomputed from the API and shown to
come out the same in both rounds.
"""

from __future__ import annotations

import re
from typing import Any

from report_audit import audit, shown_from_json
from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import FeedbackRound, User
from coach.scoring.anonymity import RaterGroup
from coach.services.feedback import rater_path, rounds

from feedback_helpers import BASE, raters

SCALE = "execution"  # four items, none reversed


def _closed_round(
    subject_email: str,
    answers: dict[str, dict[str, int | None]],
    nominees: list[tuple[str, str, str]] | None = None,
) -> str:
    """A round whose raters (by default peers peer0@..., peer1@...) give these answers."""
    instrument = default_instrument()
    subject = db.session.scalar(select(User).where(User.email == subject_email))
    found = rounds.start_round(db.session, subject, instrument, rounds.default_deadline())
    rounds.nominate(db.session, found, nominees or raters({"peer": len(answers)}), BASE)
    rounds.open_round(db.session, found, BASE, 3)
    for invitation in list(found.invitations):
        rater_path.save_draft(db.session, invitation, instrument, answers[invitation.email], {}, 7)
        rater_path.submit(db.session, invitation, instrument)
    rounds.close_round(db.session, found, "subject")
    return found.public_id


def _everywhere(value: int) -> dict[str, int | None]:
    """Every item of the instrument answered with ``value``."""
    return {i.id: value for i in default_instrument().items}


def _on_scale(base: dict[str, int | None], *values: int | None) -> dict[str, int | None]:
    """``base`` with the items of SCALE answered in order; fewer values leave items out."""
    items = [i.id for i in default_instrument().items_of(SCALE)]
    out = {k: v for k, v in base.items() if k not in items}
    out.update({item: v for item, v in zip(items, values, strict=False)})
    return out


def _seen(client: Any, round_id: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """The API report without its id, the page with the id blanked, and the raw API body."""
    body = client.get(f"/api/v1/rounds/{round_id}/report").get_json()
    page = client.get(f"/feedback/{round_id}/report").text
    page = page.replace(round_id, "ROUND")
    page = re.sub(r'name="csrf_token" value="[^"]*"', "", page)
    page = re.sub(r'<meta name="csrf-token" content="[^"]*"', "", page)
    return {k: v for k, v in body.items() if k != "id"}, page, body


def _attack(body: dict[str, Any], figure: str) -> float | None:
    """The finding's sum for one figure on SCALE: sum(item n * mean) - k * scale n * mean."""
    scale = next(s for s in body["scales"] if s["id"] == SCALE)
    shown = next((f for f in scale["figures"] if f["figure"] == figure), None)
    if shown is None:
        return None
    total = 0.0
    for item in scale["items"]:
        found = next((f for f in item["figures"] if f["figure"] == figure), None)
        total += found["n"] * found["mean"] if found else 0.0
    return round(total - len(scale["items"]) * shown["n"] * shown["mean"], 6)


def _sign_in_subject(app, auth, make_user) -> str:  # type: ignore[no-untyped-def]
    email = make_user("sam@acme.test", name="Sam Subject")
    for n in range(5):  # raters in the directory are invited without waiting for approval
        make_user(f"peer{n}@example.org", name=f"Peer {n}")
    auth.sign_in(email)
    return email


def test_a_peer_who_answered_one_question_of_a_scale_cannot_be_read_from_the_report(
    app, auth, make_user
):
    subject = _sign_in_subject(app, auth, make_user)
    with app.app_context():
        peers = {f"peer{n}@example.org": _everywhere(n + 2) for n in range(4)}
        # The fifth peer answers only the first question of the scale: 1, then 5.
        low = _closed_round(subject, {**peers, "peer4@example.org": _on_scale({}, 1)})
        high = _closed_round(subject, {**peers, "peer4@example.org": _on_scale({}, 5)})
    low_api, low_page, low_body = _seen(auth.client, low)
    high_api, high_page, high_body = _seen(auth.client, high)
    assert low_api == high_api
    assert low_page == high_page
    scale = next(s for s in low_body["scales"] if s["id"] == SCALE)
    assert [f["n"] for f in scale["figures"]] == [4]
    assert all(f["n"] == 4 for item in scale["items"] for f in item["figures"])
    assert _attack(low_body, "peer") == _attack(high_body, "peer") == 0.0
    with app.app_context():
        instrument = default_instrument()
        answers = [*peers.values(), _on_scale({}, 1)]
        group = [(RaterGroup.PEER, a) for a in answers]
        assert audit(instrument, group, 3, shown_from_json(low_body)) == []


def test_a_peer_who_skipped_one_question_keeps_their_scale_score_private(app, auth, make_user):
    subject = _sign_in_subject(app, auth, make_user)
    with app.app_context():
        others = {f"peer{n}@example.org": _everywhere(4) for n in (2, 3)}
        # Peer 1 skips the scale's last question, so the scale stands on a score from three
        # answers. Their score is 1 in one round and 2 in the other; peer 0 makes up the
        # difference on every shown question, and only on the hidden one do they differ.
        one = _closed_round(
            subject,
            {
                **others,
                "peer0@example.org": _on_scale(_everywhere(4), 2, 2, 2, 2),
                "peer1@example.org": _on_scale(_everywhere(4), 1, 1, 1),
            },
        )
        two = _closed_round(
            subject,
            {
                **others,
                "peer0@example.org": _on_scale(_everywhere(4), 1, 1, 1, 1),
                "peer1@example.org": _on_scale(_everywhere(4), 2, 2, 2),
            },
        )
    one_api, one_page, one_body = _seen(auth.client, one)
    two_api, two_page, two_body = _seen(auth.client, two)
    assert one_api == two_api
    assert one_page == two_page
    scale = next(s for s in one_body["scales"] if s["id"] == SCALE)
    last = scale["items"][-1]
    assert last["figures"] == [] and last["hidden"]  # absent, with the reason
    assert "not everyone counted in the scale figure answered it" in one_page
    assert _attack(one_body, "peer") == _attack(two_body, "peer")


def test_report_means_in_the_api_carry_the_precision_of_the_page(app, auth, make_user):
    subject = _sign_in_subject(app, auth, make_user)
    with app.app_context():
        round_id = _closed_round(
            subject,
            {
                "peer0@example.org": _everywhere(4),
                "peer1@example.org": _everywhere(4),
                "peer2@example.org": _everywhere(5),
            },
        )
        found = db.session.scalar(select(FeedbackRound).where(FeedbackRound.public_id == round_id))
        assert found is not None
    _api, page, body = _seen(auth.client, round_id)
    means = [f["mean"] for s in body["scales"] for f in s["figures"]]
    means += [f["mean"] for s in body["scales"] for i in s["items"] for f in i["figures"]]
    assert means and all(m == round(m, 1) for m in means)
    assert 4.3 in means  # 13 / 3 = 4.333... is never given more exactly than the page's 4.3
    assert "4.3" in page
    bands = [b for s in body["scales"] for f in s["figures"] for b in f["band"]]
    assert all(b == round(b, 1) for b in bands)


def test_a_mixed_round_read_through_the_api_reveals_no_rater_to_the_auditor(app, auth, make_user):
    subject = _sign_in_subject(app, auth, make_user)
    spec = {"manager": 1, "peer": 4, "direct_report": 2, "other": 2}
    for relationship, count in spec.items():
        for n in range(count if relationship != "peer" else 0):
            make_user(f"{relationship}{n}@example.org", name=f"{relationship} {n}")
    with app.app_context():
        sam = db.session.scalar(select(User).where(User.email == subject))
        boss = db.session.scalar(select(User).where(User.email == "manager0@example.org"))
        sam.manager_id = boss.id  # only the directory's manager may rate as the manager
        db.session.commit()
        instrument = default_instrument()
        base = {i.id: 2 + len(i.id) % 4 for i in instrument.items}
        answers = {
            "manager0@example.org": _everywhere(5),
            "peer0@example.org": base,
            "peer1@example.org": _on_scale(base, 4, 4, 4, 4),
            "peer2@example.org": _on_scale(base, 1, None, 3),  # scored on three of four
            "peer3@example.org": _on_scale({}, 5),  # one question, no score anywhere
            "direct_report0@example.org": _everywhere(3),
            "direct_report1@example.org": {**_everywhere(4), instrument.items[0].id: None},
            "other0@example.org": _everywhere(2),
            "other1@example.org": base,
        }
        round_id = _closed_round(subject, answers, raters(spec))
        group = {
            "manager": RaterGroup.MANAGER,
            "peer": RaterGroup.PEER,
            "direct_report": RaterGroup.DIRECT_REPORT,
            "other": RaterGroup.OTHER,
        }
        rated = [
            (group[email.split("@")[0].rstrip("0123456789")], a) for email, a in answers.items()
        ]
    body = auth.client.get(f"/api/v1/rounds/{round_id}/report").get_json()
    shown = shown_from_json(body)
    # The API carries the question figures too, so the audit covers all the page shows.
    assert any(item["figures"] for scale in body["scales"] for item in scale["items"])
    assert {f.figure for f in shown} >= {"manager", "peer", "others"}  # small groups merged
    with app.app_context():
        assert audit(default_instrument(), rated, 3, shown) == []
