"""JavaScript dialogs (alert, confirm, prompt): how the session's browser answers them, and what they asked.

A page waits while a dialog is open, so every dialog is answered at once: dismissed until Handle Dialogs says to
accept them (and what a prompt returns). Flow-Like's automation pack has no dialog nodes; these keys are our own.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from flowlike_catalog.automation.browser import BrowserDialog, browser_of
from flowlike_catalog.automation.session import SessionIn, SessionOut

from flowlike_core import Context, Pin, node

CATEGORY = "Automation/Browser/Dialogs"
CAPABILITIES = ("network", "files")  # drives the session's browser (its profile, downloads and screenshots are files)


@node(friendly_name="Handle Dialogs", exec_pins=True)
def browser_handle_dialogs(
    ctx: Context, session: SessionIn,
    accept: Annotated[bool, Pin(description="Press OK on alerts, confirms and prompts; off: Cancel")] = True,
    prompt_text: Annotated[str, Pin(description="What an accepted prompt returns; empty: the prompt's default")] = "",
) -> SessionOut:
    """Says how the browser answers the dialogs its pages open from now on (until then they are dismissed)."""
    live = browser_of(ctx, session)
    live.accept_dialogs, live.prompt_text = accept, prompt_text
    return session


class Dialogs(NamedTuple):
    session_out: SessionOut
    dialogs: Annotated[list[BrowserDialog], Pin(description="Oldest first: type, message, how it was answered")]
    count: int


@node(friendly_name="Get Dialogs", exec_pins=True)
async def browser_get_dialogs(
    ctx: Context, session: SessionIn,
    clear_after: Annotated[bool, Pin(description="Start again from none after reading")] = False,
) -> Dialogs:
    """The dialogs the browser's pages opened since it opened, and how each was answered."""
    live = browser_of(ctx, session)
    await live.settled()
    dialogs = [dialog.model_copy() for dialog in live.dialogs]
    if clear_after:
        live.dialogs.clear()
    return Dialogs(session, dialogs, len(dialogs))
