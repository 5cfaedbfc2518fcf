"""Flow-Like interop: open Flow-Like's boards, apps, JSON exports and clipboard; write `.board` files back.

    from flowlike_core.interop import open_board, export_board
    board, report = open_board("my.board")      # any Flow-Like format, picked by content
    print(report)
    export_board(board, "out.board")              # LZ4 + protobuf, Flow-Like's keys and pins

Reading `.board` and `manifest.app` files needs the `flowlike` extra (lz4); the JSON forms need nothing.
"""

from flowlike_core.interop.api import export_board, import_path, open_board
from flowlike_core.interop.report import ImportReport

__all__ = ["ImportReport", "export_board", "import_path", "open_board"]
