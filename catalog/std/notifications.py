"""Notifications: a message for the people watching the run.

There is no notification service here (no desktop push, no user directory): a notification is a log line
marked [notification] with its title, text and link, shown in the cell output, the run record and the editor.
"""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.std.log import NOTIFICATION

from flowlike_core import Context, LogLevel, Pin, node

CATEGORY = "Notifications"

Success = Annotated[bool, Pin(name="success", description="True once the notification is shown")]


def notification(title: str, description: str, icon: str, link: str) -> str:
    if not (title or description):
        raise ValueError("a notification needs a title or a description")
    text = " ".join(filter(None, (icon, title)))
    if description:
        text = f"{text}: {description}" if text else description
    return NOTIFICATION + text + (f" ({link})" if link else "")


@node(exec_pins=True)
def notify_user(ctx: Context, title: str = "Notification", description: str = "", icon: str = "", link: str = "",
                show_desktop: Annotated[bool, Pin(description="Ignored: there are no desktop notifications "
                                                              "here")] = True) -> Success:
    """Shows a notification to whoever runs the board (in the cell output and the editor)."""
    ctx.log(LogLevel.INFO, notification(title, description, icon, link))
    return True


@node(exec_pins=True)
def notify_project_user(ctx: Context, user_sub: Annotated[str, Pin("User", description="Who it is for")] = "",
                        title: str = "Notification", description: str = "", icon: str = "", link: str = "") -> Success:
    """Shows a notification addressed to a user of the project (named in the line: there is no user directory
    to deliver it elsewhere)."""
    if not user_sub:
        raise ValueError("name the user the notification is for")
    ctx.log(LogLevel.INFO, f"{notification(title, description, icon, link)} [for {user_sub}]")
    return True
