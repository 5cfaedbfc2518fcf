"""`board.chat()`: a chat panel bound to the board's `events_chat` node.

    chat = board.chat()            # displays the panel
    chat.send("hello")             # or type in the panel: each message starts a run, the history its payload
    chat.history                   # [{"role": "user", "content": "hello"}, {"role": "assistant", ...}]

The run answers through the push nodes (response, chunks streamed, reasoning, steps, attachments, sessions),
which land in `messages` (synced to the panel) as they come, and asks back through the interaction nodes
(form, single and multiple choice): the question is `pending` in the panel, and the run waits for the answer.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import anywidget
import traitlets
from flowlike_catalog.std.chat import ChatTurn

from flowlike_core.board import Board as CoreBoard
from flowlike_core.errors import BoardError
from flowlike_core.events import Listener
from flowlike_core.executor import RunHandle
from flowlike_core.run import Run

if TYPE_CHECKING:
    from flowlike_nb.kernel.handles import Board

STATIC = Path(__file__).parent / "static"
CHAT_EVENT = "events_chat"


def chat_event(board: CoreBoard) -> str:
    """The id of the board's one `events_chat` node."""
    found = [node.id for node in board.nodes.values() if node.name == CHAT_EVENT]
    if len(found) != 1:
        raise BoardError(f"board {board.name!r} needs exactly one {CHAT_EVENT} node to chat with, "
                         f"it has {len(found)}")
    return found[0]


class _TurnEnded(Listener):
    def __init__(self, chat: BoardChat) -> None:
        self.chat = chat

    def finished(self, run: Run) -> None:
        self.chat._ended(run)


class BoardChat(anywidget.AnyWidget):
    """The chat panel; `messages` is what it shows, `history` the conversation as messages."""

    _esm = STATIC / "chat.js"
    _css = STATIC / "chat.css"
    title = traitlets.Unicode("").tag(sync=True)
    messages = traitlets.List(traitlets.Dict()).tag(sync=True)
    pending = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)
    busy = traitlets.Bool(False).tag(sync=True)

    global_sessions: ClassVar[dict[str, dict[str, Any]]] = {}
    """Global Session per board id: shared by every chat of a board in this kernel."""

    def __init__(self, board: Board, **kwargs: Any) -> None:
        self.event_id = chat_event(board.core)
        super().__init__(title=board.core.name, **kwargs)
        self.board = board
        self.local_session: dict[str, Any] = {}
        self.last_run: Run | None = None
        self._questions: dict[str, concurrent.futures.Future[Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.on_msg(self._on_front_end)

    @property
    def history(self) -> list[dict[str, str]]:
        """The conversation as messages ({"role", "content"}), the form the chat event hands to a run."""
        return [{"role": m["role"], "content": m["content"]} for m in self.messages]

    def send(self, text: str) -> RunHandle:
        """Add a user message and start a run with the history as payload; the answer streams in."""
        if self.busy:
            raise BoardError("the chat is still answering the previous message")
        self.busy = True
        self.messages = [*self.messages, {"role": "user", "content": text},
                         {"role": "assistant", "content": "", "reasoning": "", "steps": [], "attachments": []}]
        turn = ChatTurn(history={"messages": self.history[:-1]}, local_session=dict(self.local_session),
                        global_session=dict(self.global_sessions.get(self.board.core.id, {})),
                        emit=self._emit, request=self._request)
        try:
            return self.board.start(start=self.event_id, payload=turn, listeners=[_TurnEnded(self)])
        except BoardError:
            self.busy = False
            raise

    # ---- from the run's thread -----------------------------------------------------------------------

    def _emit(self, kind: str, data: dict[str, Any]) -> None:
        with self._lock:
            messages = [dict(m) for m in self.messages]
            answer = messages[-1]
            if kind == "response":
                answer["content"] = data["text"]
            elif kind == "chunk":
                answer["content"] += data["text"]
            elif kind == "reasoning":
                answer["reasoning"] += data["text"]
            elif kind == "step":
                answer["steps"] = [*answer["steps"], {**data, "text": ""}]
            elif kind == "step_text":
                answer["steps"] = [{**s, "text": s["text"] + data["text"]} if s["step_id"] == data["step_id"] else s
                                   for s in answer["steps"]]
            elif kind == "remove_step":
                answer["steps"] = [s for s in answer["steps"] if s["step_id"] != data["step_id"]]
            elif kind == "attachments":
                answer["attachments"] = [*answer["attachments"], *data["attachments"]]
            elif kind == "local_session":
                self.local_session = dict(data["session"])
            elif kind == "global_session":
                self.global_sessions[self.board.core.id] = dict(data["session"])
            self.messages = messages

    def _request(self, kind: str, spec: dict[str, Any]) -> concurrent.futures.Future[Any]:
        question_id = str(next(self._ids))
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._questions[question_id] = future
        future.add_done_callback(lambda _: self._closed(question_id))
        self.pending = {"id": question_id, "kind": kind, **spec}
        return future

    def _closed(self, question_id: str) -> None:
        self._questions.pop(question_id, None)
        if self.pending and self.pending.get("id") == question_id:
            self.pending = None

    def _ended(self, run: Run) -> None:
        self.last_run = run
        if not run.ok:
            self._emit("response", {"text": f"{run.status.value}: {run.error or 'the run did not finish'}"})
        for future in list(self._questions.values()):
            future.cancel()
        self.busy = False

    # ---- from the front end (and tests) --------------------------------------------------------------

    def answer(self, value: Any) -> None:
        """Answer the pending interaction (what the panel's form, choice buttons or checkboxes send)."""
        if not self.pending:
            raise BoardError("the chat has no question waiting for an answer")
        future = self._questions.get(self.pending["id"])
        if future is not None and not future.done():
            future.set_result(value)

    def _on_front_end(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        if content.get("type") == "send" and str(content.get("text", "")).strip():
            self.send(str(content["text"]))
        elif content.get("type") == "answer" and self.pending and content.get("id") == self.pending["id"]:
            self.answer(content.get("value"))
