"""Search Mails text holding a line break is sent as an IMAP literal, where it went inside a quoted string: the
line break ended the command and the rest reached the server as a command of its own (here a LOGOUT), the search
failed with imaplib's "UID command error: BAD ... Missing '\"'" and the session was broken for the nodes after it."""

from __future__ import annotations

import pytest
from test_imap import Imap, message, uids_of

INJECTED = "one\r\nA1 LOGOUT"


@pytest.fixture
def account(dovecot):
    user, password = dovecot.new_user()
    dovecot.deliver(user, password, message("Report", body="line one\r\nA1 LOGOUT\r\nline three"))
    dovecot.deliver(user, password, message("Other", body="nothing here"))
    return user, password


def test_search_text_with_a_line_break_is_searched_for(b, dovecot, account, recwarn) -> None:
    """(Which messages match is the server's to say: Dovecot matches no body text across a line break.)"""
    imap = Imap(b, dovecot, *account)
    found = imap.then("mail_imap_search", {"inbox": (imap.inbox, "inbox_struct")}, body=INJECTED)
    assert set(uids_of(imap.result(found, "emails"))) <= {1}
    assert not [w for w in recwarn if "closing a resource" in str(w.message)], [str(w.message) for w in recwarn]


def test_the_session_still_works_after_such_a_search(b, dovecot, account) -> None:
    imap = Imap(b, dovecot, *account)
    imap.then("mail_imap_search", {"inbox": (imap.inbox, "inbox_struct")}, subject=INJECTED)
    listed = imap.list()
    assert uids_of(imap.result(listed, "emails")) == [1, 2]


@pytest.mark.parametrize("flag", ["Todo\r\nA1 LOGOUT", "two words", "(x", ""])
def test_a_flag_that_is_no_imap_flag_is_refused_naming_it(b, dovecot, account, flag) -> None:
    from flowlike_core import RunStatus

    imap = Imap(b, dovecot, *account)
    imap.then("email_imap_set_flags", {"email": imap.ref(0)}, flags=["\\Flagged", flag])
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"flag {flag!r} is not an IMAP flag: a system flag (\\Seen, \\Flagged...) or a keyword without spaces, " \
           "brackets, quotes or line breaks" in run.error, run.error
