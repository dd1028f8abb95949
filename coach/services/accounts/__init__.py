"""Accounts: creating people who can sign in, passwords, e-mailed links, sign-in throttling.

Rules that live here: passwords are hashed with argon2id (``passwords``); every e-mailed
link is single use and stored only as its SHA-256 (``link_tokens``, ``account_links``); a
changed e-mail address is not used for links until its owner or an administrator confirms
it (``email_change``); wrong passwords slow the guesser without locking the person out
(``sign_in_throttle``); what a name or address may contain (``names``).
"""
