"""A real X server for the desktop tests (Xvfb on a display number it picks itself) and a Tk test program run
on it: two windows with coloured squares and a pattern to find, which logs every click, key and wheel turn it
receives as JSON lines, and takes commands on stdin to change what it shows.

Run as a program: `python xdisplay.py LOG_FILE [TITLE]` (on $DISPLAY).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SCREEN = (800, 600)
MAIN = "Desk Main"
OTHER = "Desk Other"
MAIN_AT, MAIN_SIZE = (0, 0), (400, 300)
OTHER_AT, OTHER_SIZE = (450, 0), (200, 150)
SQUARES = {"red": ((20, 20, 80, 80), (255, 0, 0)), "green": ((100, 20, 160, 80), (0, 255, 0)),
           "blue": ((180, 20, 240, 80), (0, 0, 255))}
"""Squares of the main window: (x1, y1, x2, y2) in window pixels (the window sits at 0, 0) and colour."""
PATTERNS = ((250, 150), (320, 220))
"""Top-left corners of the two copies of the pattern (a 30x30 black square with a yellow square and a white dot)."""
PATTERN_SIZE = 30
OTHER_COLOR = (128, 64, 32)
GTK_AT, GTK_SIZE = (0, 320), (300, 120)
GTK_BUTTON, GTK_TEXT = "Press me", "hello there"
DEADLINE = 30.0


def until(condition: Callable[[], Any], what: str, timeout: float = DEADLINE) -> Any:
    """Poll `condition` until it gives something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


class XServer:
    """Xvfb with one 800x600 24-bit screen; `-displayfd` makes it choose a free display number and tell us."""

    def __init__(self) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp",
             "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as numbers:
            number = numbers.readline().strip()
        if not number:
            raise RuntimeError(f"Xvfb did not start (exit status {self.process.poll()})")
        self.name = f":{number}"

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class TestProgram:
    """The Tk program on the test display: its event log and a pipe for commands."""

    def __init__(self, display: str, log: Path, title: str = MAIN) -> None:
        self.log = log
        self.process = subprocess.Popen([sys.executable, __file__, str(log), title], stdin=subprocess.PIPE,
                                        env={**os.environ, "DISPLAY": display}, text=True)
        until(lambda: self.events("ready"), f"the test program {title!r} to show its windows")

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        assert self.process.poll() is None, f"the test program exited with {self.process.returncode}"
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        found = [json.loads(line) for line in lines if line.endswith("}")]
        return [e for e in found if kind is None or e["type"] == kind]

    def wait_for(self, kind: str, count: int = 1, what: str = "") -> list[dict[str, Any]]:
        return until(lambda: (found := self.events(kind)) and len(found) >= count and found,
                     what or f"{count} {kind} event(s)")

    def send(self, command: str) -> None:
        """A command: `hide` / `show` the patterns, `paint COLOUR` the blue square, each after `later MS`."""
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


def hex_color(color: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in color)


def program(log_path: str, title: str) -> None:
    """The Tk test program (see the module docstring)."""
    import tkinter as tk

    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - open for the program's life

    def note(kind: str, **fields: Any) -> None:
        log.write(json.dumps({"type": kind, **fields}) + "\n")

    root = tk.Tk()
    root.title(title)
    root.geometry(f"{MAIN_SIZE[0]}x{MAIN_SIZE[1]}+{MAIN_AT[0]}+{MAIN_AT[1]}")
    canvas = tk.Canvas(root, width=MAIN_SIZE[0], height=MAIN_SIZE[1], bg="white", highlightthickness=0)
    canvas.place(x=0, y=0)
    for name, ((x1, y1, x2, y2), color) in SQUARES.items():
        canvas.create_rectangle(x1, y1, x2, y2, fill=hex_color(color), outline="", tags=(name,))
    for x, y in PATTERNS:
        canvas.create_rectangle(x, y, x + PATTERN_SIZE, y + PATTERN_SIZE, fill="black", outline="",
                                tags=("pattern",))
        canvas.create_rectangle(x + 8, y + 8, x + 21, y + 21, fill="yellow", outline="", tags=("pattern",))
        canvas.create_rectangle(x + 3, y + 3, x + 5, y + 5, fill="white", outline="", tags=("pattern",))
    other = tk.Toplevel(root)
    other.title(OTHER)
    other.geometry(f"{OTHER_SIZE[0]}x{OTHER_SIZE[1]}+{OTHER_AT[0]}+{OTHER_AT[1]}")
    other.configure(bg=hex_color(OTHER_COLOR))

    def window_of(event: Any) -> str:
        return event.widget.winfo_toplevel().title() if hasattr(event.widget, "winfo_toplevel") else ""

    root.bind_all("<ButtonPress>", lambda e: note("press", x=e.x_root, y=e.y_root, button=e.num, window=window_of(e)))
    root.bind_all("<ButtonRelease>", lambda e: note("release", x=e.x_root, y=e.y_root, button=e.num))
    root.bind_all("<Double-Button-1>", lambda e: note("double", x=e.x_root, y=e.y_root))
    root.bind_all("<B1-Motion>", lambda e: note("drag", x=e.x_root, y=e.y_root))
    root.bind_all("<KeyPress>", lambda e: note("key", keysym=e.keysym, char=e.char, state=e.state,
                                               window=window_of(e)))

    def act(command: str) -> None:
        word, _, rest = command.partition(" ")
        if word == "later":
            delay, _, then = rest.partition(" ")
            root.after(int(delay), act, then)
        elif word in ("hide", "show"):
            canvas.itemconfigure("pattern", state="hidden" if word == "hide" else "normal")
        elif word == "paint":
            canvas.itemconfigure("blue", fill=rest)

    pending = bytearray()

    def command(*_: Any) -> None:
        """Acts on the whole lines that arrived (read unbuffered: a buffer would hide lines from the next call)."""
        data = os.read(sys.stdin.fileno(), 4096)
        if not data:  # no one to send commands (a launched copy): keep showing
            root.tk.deletefilehandler(sys.stdin)
            return
        pending.extend(data)
        while b"\n" in pending:
            line, _, rest = bytes(pending).partition(b"\n")
            pending[:] = rest
            act(line.decode().strip())

    root.tk.createfilehandler(sys.stdin, tk.READABLE, command)
    root.after(50, lambda: (root.update_idletasks(), note("ready")))
    root.mainloop()


def gtk_program(log_path: str, title: str) -> None:
    """A GTK 3 window (Debian's python3-gi: run by the system's python3) with a button and a text field, for the
    accessibility tests (GTK speaks AT-SPI); logs "clicked" when the button is pressed."""
    import gi

    gi.require_version("Gtk", "3.0")
    from gi.repository import GLib, Gtk

    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - open for the program's life
    window = Gtk.Window(title=title)
    window.move(*GTK_AT)
    window.set_default_size(*GTK_SIZE)
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
    window.add(box)
    button = Gtk.Button(label=GTK_BUTTON)
    button.connect("clicked", lambda _: log.write(json.dumps({"type": "clicked"}) + "\n"))
    box.pack_start(button, False, False, 0)
    entry = Gtk.Entry()
    entry.set_text(GTK_TEXT)
    box.pack_start(entry, False, False, 0)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    GLib.timeout_add(50, lambda: log.write(json.dumps({"type": "ready"}) + "\n") and False)
    Gtk.main()


if __name__ == "__main__":
    if sys.argv[1] == "--gtk":
        gtk_program(sys.argv[2], sys.argv[3])
    else:
        program(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else MAIN)
