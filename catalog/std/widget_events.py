"""Runs started by an app's controls: a button or control of `board.app()` starts the widget action event
whose `action_id` it names."""

from __future__ import annotations

from flowlike_core import Context, DataType, NodeType, data_in, data_out, exec_out

CATEGORY = "Events"


class WidgetActionEvent(NodeType):
    name = "events_widget_action"
    friendly_name = "Widget Action Event"
    description = ("Starts a run when an app control with this action id fires (`board.app(actions=...)`): "
                   "which app instance it came from, and the action's context (a control's new value).")
    is_event = True
    pins = (
        data_in("action_id", DataType.STRING, default="", friendly_name="Action ID",
                description="The action of the app that starts this event"),
        exec_out("exec_out", "Start", "Fires when the action happens"),
        data_out("widget_instance_id", DataType.STRING, friendly_name="Widget Instance",
                 description="The id of the app instance the action came from"),
        data_out("action_context", DataType.GENERIC, friendly_name="Context",
                 description="What the action carries: a control's new value, or null for a button"),
    )

    def run(self, ctx: Context) -> None:
        payload = ctx.payload if isinstance(ctx.payload, dict) else {}
        ctx.set_output("widget_instance_id", str(payload.get("widget_instance_id", "")))
        ctx.set_output("action_context", payload.get("action_context"))
        ctx.activate("exec_out")
