"""Pin handles in the notebook: a pin called like a method of the pin list is reached by attribute all the same, and a
sensitive pin's value (a password) never shows in a table or repr, which a saved notebook keeps."""

from __future__ import annotations

import flowlike_nb as fnb


def test_a_pin_called_names_is_the_pin() -> None:
    board = fnb.Board("mail")
    inboxes = board.add("mail_imap_list_inboxes", "inboxes")
    pin = inboxes.outputs.names
    assert isinstance(pin, fnb.PinHandle) and pin.name == "names"
    assert "names" in inboxes.outputs.pin_names()


def test_a_sensitive_pin_is_masked_in_the_pin_table_and_repr() -> None:
    board = fnb.Board("mail")
    connect = board.add("email_imap_connect", "connect", password="hunter2-secret")
    assert connect.inputs.password.value == "hunter2-secret"  # the value itself stays what was set
    rows = [row for row in (p.describe() for p in connect.inputs) if row["pin"] == "password"]
    assert rows == [{**rows[0], "value": "***"}]
    assert "hunter2" not in repr(connect.inputs.password)
    assert "hunter2" not in str(connect.pin_table())
