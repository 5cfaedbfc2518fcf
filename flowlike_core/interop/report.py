"""What an import did to a board, node by node: so that nothing changes without the user being told."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from flowlike_core.wording import counted

KINDS = {
    "placeholder": "placeholders (unknown node keys, kept as they are; they do not run)",
    "renamed": "nodes mapped to another key",
    "pin-dropped": "pins dropped (the node type here has no such pin)",
    "pin-added": "pins added (Flow-Like's node lacked them; our defaults)",
    "type-kept": "pin types kept as ours (the saved type disagreed)",
    "default-dropped": "defaults dropped (the saved value does not fit the pin)",
    "wire-repaired": "wires repaired (stored on one pin only)",
    "wire-dropped": "wires dropped",
    "variable-missing": "variables the board refers to but does not hold (an editor export or a copy carries none)",
    "note": "notes",
}
"""Every kind of entry, in the order the text report lists them."""


@dataclass
class Entry:
    kind: str
    message: str
    node_id: str | None = None
    node: str | None = None
    pin: str | None = None
    pack: str | None = None


@dataclass
class ImportReport:
    source: str
    format: str
    board: str = ""
    nodes: int = 0
    mapped: int = 0
    wires: int = 0
    entries: list[Entry] = field(default_factory=list)

    def add(self, kind: str, message: str, **where: Any) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown report entry kind {kind!r}")
        self.entries.append(Entry(kind, message, **where))

    def of(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    @property
    def placeholders(self) -> list[Entry]:
        return self.of("placeholder")

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "format": self.format, "board": self.board, "nodes": self.nodes,
                "mapped": self.mapped, "placeholders": len(self.placeholders), "wires": self.wires,
                "entries": [asdict(e) for e in self.entries]}

    def __str__(self) -> str:
        lines = [f"{self.source} ({self.format}): board {self.board!r}: {counted(self.nodes, 'node')}, "
                 f"{self.mapped} mapped, {counted(len(self.placeholders), 'placeholder')}, "
                 f"{counted(self.wires, 'wire')}"]
        for kind, title in KINDS.items():
            entries = self.of(kind)
            if entries:
                lines.append(f"  {title}: {len(entries)}")
                lines.extend(f"    - {e.message}" for e in entries)
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The same text in a terminal IPython (where display() shows text/plain) as in print()."""
        printer.text(str(self))

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(str(self))}</pre>"
