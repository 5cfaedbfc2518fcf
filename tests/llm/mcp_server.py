"""The MCP server the agent tests talk to, made with the SDK's MCPServer (mcp 2's name for FastMCP).

    python mcp_server.py NOTES_FILE stdio
    python mcp_server.py NOTES_FILE streamable-http PORT     (or sse PORT; on 127.0.0.1)

`note` appends to NOTES_FILE, so a test sees that a call really ran here, and answers with this process's id.
"""

from __future__ import annotations

import os
import sys

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

NOTES = sys.argv[1]
app = MCPServer("test-tools", log_level="WARNING")


@app.tool()
def note(text: str) -> str:
    """Write a line into the server's notes."""
    with open(NOTES, "a", encoding="utf-8") as notes:
        notes.write(text + "\n")
    return f"noted {text!r} in process {os.getpid()}"


@app.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@app.tool(name="text.shout")
def shout(text: str) -> str:
    """The text in capitals."""
    return text.upper()


@app.tool()
def fail(reason: str) -> str:
    """Fail with the reason given."""
    raise ToolError(reason)


@app.tool()
def crash() -> str:
    """End the server's process at once."""
    print("crashing on purpose", file=sys.stderr, flush=True)
    os._exit(3)


@app.tool()
async def nap(seconds: float) -> str:
    """Answer after a while (noted when it starts)."""
    note(f"napping in process {os.getpid()}")
    await anyio.sleep(seconds)
    return "awake"


if __name__ == "__main__":
    if sys.argv[2] == "stdio":
        app.run()
    else:
        app.run(sys.argv[2], port=int(sys.argv[3]))
