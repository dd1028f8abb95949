"""Building an organisation and a 360 round through the subject's own pages, for tests."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import update

from coach.extensions import db
from coach.models import User
from coach.services.accounts.passwords import hash_password
from coach.services.people import org_import

from conftest import PASSWORD, Auth, csrf_from
from feedback_helpers import BASE

ORG = (
    "email,name,unit,manager_email,role\n"
    "bea@acme.test,Bea Boss,Acme,,manager\n"
    "sam@acme.test,Sam Subject,Acme/Ops,bea@acme.test,manager\n"
    "p0@acme.test,Pia Zero,Acme/Ops,bea@acme.test,manager\n"
    "p1@acme.test,Pat One,Acme/Ops,bea@acme.test,manager\n"
    "p2@acme.test,Pol Two,Acme/Ops,bea@acme.test,manager\n"
    "otto@acme.test,Otto Other,Acme/Sales,bea@acme.test,manager\n"
    "olga@acme.test,Olga Report,Acme/Sales,otto@acme.test,manager\n"
    "hana@acme.test,Hana Resources,Acme,,hr\n"
)
PEERS = ["p0@acme.test", "p1@acme.test", "p2@acme.test"]
OUTSIDER = "cleo@client.example"


def org(app: Flask) -> None:
    """Import ORG and give everyone the test password."""
    with app.app_context():
        assert org_import.import_people(db.session, ORG.encode(), base_url=BASE).ok
        db.session.execute(update(User).values(password_hash=hash_password(PASSWORD)))
        db.session.commit()


def signed_in(app: Flask, email: str) -> Auth:
    """A browser of its own, signed in as ``email``."""
    person = Auth(app.test_client())
    person.sign_in(email)
    return person


def start(subject: Auth, peers: list[str]) -> str:
    """Start a round through the pages and tick ``peers`` among the proposals; its URL."""
    round_url = subject.post("/feedback/start", page="/feedback/").headers["Location"]
    token = csrf_from(subject.client.get(round_url).text)
    subject.client.post(
        f"{round_url}/raters", data={"csrf_token": token, "source": "proposals", "pick": peers}
    )
    return round_url


def add(subject: Auth, round_url: str, name: str, email: str, relationship: str = "other"):  # type: ignore[no-untyped-def]
    """Add one rater with the "Add someone" form; the response."""
    token = csrf_from(subject.client.get(round_url).text)
    return subject.client.post(
        f"{round_url}/raters",
        data={"csrf_token": token, "name": name, "email": email, "relationship": relationship},
    )
