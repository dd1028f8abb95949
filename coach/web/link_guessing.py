"""Guessing the secret in a link is stopped; opening a real link never is.

Rater links (``/r/<token>`` and the rater pages it opens) and account links
(``/activate/<token>``, ``/reset-password/<token>``) carry their secret in the URL. Each client
address has one budget of *refused* link look-ups, LINK_GUESSES, shared by all those pages. A
link that works costs nothing, so the many raters of one office behind one address never use
the budget up by answering. Once it is spent, every such page answers 429 until the window
ends, valid links included: otherwise the answer to a guess would still tell a hit from a miss.
"""

from __future__ import annotations

from flask.wrappers import Response

from coach.client_address import client_source
from coach.errors import end_failed_transaction
from coach.extensions import limiter

# Refused link look-ups allowed per client (an IPv4 address or an IPv6 /64, the same key as
# every other limit), all secret-link pages together.
LINK_GUESSES = "20 per minute; 200 per hour"
# How those pages refuse: 400 a link unknown, used, expired, withdrawn or closed (the first
# visit); 404 a rater page this browser holds no valid link for; 410 a link spent since.
REFUSED = frozenset({400, 404, 410})
PAUSED = (
    "Too many links that do not work were opened from your network, so these pages are "
    "paused for a while. Please wait a few minutes (at most an hour), then open the link "
    "from your e-mail again. Nothing you saved before is lost."
)


def refused_link(response: Response) -> bool:
    """True when the page refused the link, so the attempt counts against the address.

    The request's transaction ends first: on SQLite a refused rater save can still hold the
    database's write lock, and the limiter's own connection is about to write the count.
    """
    if response.status_code not in REFUSED:
        return False
    end_failed_transaction()
    return True


secret_link_limit = limiter.shared_limit(
    LINK_GUESSES,
    scope="secret-links",
    key_func=client_source,
    deduct_when=refused_link,
    error_message=PAUSED,
)
