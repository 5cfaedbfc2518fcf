"""`board.chat()` in a real browser (JupyterLab + Debian's Chromium): time from a message to its first chunk.

A script that prints figures, not a test. Measured inside the page (performance.now) from clicking Send to the
first streamed chunk in the panel, for a board events_chat -> Push Chunk "Hel" -> Push Chunk "lo". Baseline in
the same run, on the same page: a plain ipywidgets Button whose kernel-side click handler sets an HTML widget's
value, from the click to the new text on the page (the widget round trip every chat message needs anyway).
Medians of --reps messages, contenders interleaved.

    .venv/bin/python benchmarks/bench_chat.py [--reps 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from jupyter_harness import CHROMIUM, CHROMIUM_ARGS, JupyterServer, NotebookPage  # noqa: E402

CELLS = [
    """import flowlike_nb as fnb
board = fnb.Board("bench chat")
event = board.add("events_chat", "chat")
first, second = (board.add("events_chat_push_response_chunk", "c1", chunk="Hel"),
                 board.add("events_chat_push_response_chunk", "c2", chunk="lo"))
event.outputs.exec_out >> first.inputs.exec_in
first.outputs.exec_out >> second.inputs.exec_in
chat = board.chat()
chat""",
    """import ipywidgets as widgets
pings = iter(range(10**6))
button, shown = widgets.Button(description="ping"), widgets.HTML("")
button.on_click(lambda _: setattr(shown, "value", f"pong {next(pings)}"))
button.add_class("bench-ping")
shown.add_class("bench-pong")
widgets.VBox([button, shown])""",
]

CHAT_ROUND = """async () => {
    const panel = document.querySelector('[data-testid=flowlike-chat]');
    const send = panel.querySelector('.flowlike-chat-send');
    while (send.disabled) await new Promise((resolve) => setTimeout(resolve, 10));
    const before = panel.querySelectorAll('[data-testid=chat-assistant]').length;
    const arrived = () => {
        const answers = panel.querySelectorAll('[data-testid=chat-assistant] .flowlike-chat-content');
        return answers.length > before && answers[answers.length - 1].textContent.startsWith('Hel');
    };
    const input = panel.querySelector('.flowlike-chat-input');
    input.value = 'hello';
    const started = performance.now();
    const done = new Promise((resolve) => {
        const observer = new MutationObserver(() => { if (arrived()) { observer.disconnect(); resolve(); } });
        observer.observe(panel, {subtree: true, childList: true, characterData: true});
    });
    send.click();
    await done;
    return performance.now() - started;
}"""

PING_ROUND = """async () => {
    const button = document.querySelector('.bench-ping');
    const shown = document.querySelector('.bench-pong');
    const before = shown.textContent;
    const started = performance.now();
    const done = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
            if (shown.textContent !== before) { observer.disconnect(); resolve(); }
        });
        observer.observe(shown, {subtree: true, childList: true, characterData: true});
    });
    button.click();
    await done;
    return performance.now() - started;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, sync_playwright() as playwright:
        server = JupyterServer.start(Path(workdir))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            notebook = NotebookPage(page, server, "lab")
            notebook.open(server.write_notebook("bench-chat.ipynb", CELLS))
            notebook.run_all()
            page.wait_for_selector("[data-testid=flowlike-chat]", timeout=120_000)
            page.wait_for_selector(".bench-ping", timeout=120_000)
            page.evaluate(CHAT_ROUND)  # warm up: imports, the first run's plan
            page.evaluate(PING_ROUND)
            chat, ping = [], []
            for _ in range(args.reps):
                chat.append(page.evaluate(CHAT_ROUND))
                ping.append(page.evaluate(PING_ROUND))
        finally:
            browser.close()
            server.stop()
    chat_ms, ping_ms = statistics.median(chat), statistics.median(ping)
    print(f"message to first chunk on the page: median {chat_ms:.1f} ms, max {max(chat):.1f} ms ({args.reps} messages)")
    print(f"plain widget round trip (baseline): median {ping_ms:.1f} ms, max {max(ping):.1f} ms")
    print(f"chat / widget round trip = {chat_ms / ping_ms:.2f}x")


if __name__ == "__main__":
    main()
