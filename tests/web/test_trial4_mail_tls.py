"""Mail servers reached with the wrong encryption, against the real aiosmtpd and Dovecot (both plain here): Tls on a
plain port, StartTls on a server that has none, a wrong password; each error names the server and what to try."""

from __future__ import annotations

import pytest

from flowlike_core import RunStatus


def connect_run(b, key: str, port: int, **options):
    b.chain(b.add("events_simple"), b.add(key, host="127.0.0.1", port=port, timeout_seconds=10, **options))
    run = b.run()
    assert run.status is RunStatus.FAILED
    return run.error


@pytest.mark.parametrize("kind", ["SMTP", "IMAP"])
def test_tls_on_a_plain_port_says_no_tls_came_about(b, smtp, dovecot, kind) -> None:
    port = smtp.port if kind == "SMTP" else dovecot.port
    error = connect_run(b, f"email_{kind.lower()}_connect", port, encryption="Tls", username="u", password="p")
    assert (f"ConnectionError: {kind} server 127.0.0.1:{port} answered, but no TLS connection came about "
            f"(WRONG_VERSION_NUMBER): does it take Tls on this port, or StartTls or Plain?") in error


@pytest.mark.parametrize(("kind", "why"), [("SMTP", "STARTTLS extension not supported by server."),
                                           ("IMAP", "TLS not supported by server")])
def test_starttls_on_a_server_without_it_names_server_and_choices(b, smtp, dovecot, kind, why) -> None:
    port = smtp.port if kind == "SMTP" else dovecot.port
    error = connect_run(b, f"email_{kind.lower()}_connect", port, encryption="StartTls", username="u", password="p")
    assert (f"ConnectionError: StartTls with {kind} server 127.0.0.1:{port} failed ({why}): use Tls (on its TLS "
            f"port) or Plain (local servers only)") in error


def test_a_refused_imap_login_reads_as_text(b, dovecot) -> None:
    user, _ = dovecot.new_user()
    error = connect_run(b, "email_imap_connect", dovecot.port, encryption="Plain", username=user, password="wrong")
    assert error.endswith(f"IMAP login as '{user}' at 127.0.0.1:{dovecot.port} failed: [AUTHENTICATIONFAILED] "
                          f"Authentication failed.")
