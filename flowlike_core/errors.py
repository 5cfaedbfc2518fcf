"""The engine's errors: one small hierarchy, so callers can catch as broadly or narrowly as they need."""

from __future__ import annotations


class FlowLikeError(Exception):
    """Base of every error the engine raises on purpose."""


class BoardError(FlowLikeError):
    """Something is wrong with a Board or an edit to it."""


class BoardFileError(BoardError):
    """A board file cannot be read: missing, not JSON, or not a board. Says which file and where."""


class UnknownNodeError(BoardError):
    """A node id, or a node's catalog type key, is not known."""


class UnknownPinError(BoardError):
    """A pin id or name is not on the node it was looked up on."""


class ConnectionRefused(BoardError):
    """A wire breaks a connection rule; the message names both pins and the rule."""


class UnknownVariableError(BoardError):
    """A variable name is not on the board, or not exposed where an override was given."""


class NothingToUndo(BoardError):
    """Undo or redo was asked for with an empty history."""


class RunError(FlowLikeError):
    """A run could not start or did not finish as asked."""


class NodeFailed(RunError):
    """A node raised and nothing handled the error; `run.raise_for_status()` raises this."""


class OutputTypeError(FlowLikeError, TypeError):
    """A node set an output to a value its pin's declared type does not take (`flowlike_core.output_types`): names
    the node, the output, the type and the value."""


class StepLimitExceeded(RunError):
    """A run executed more nodes than its step limit allows: most likely a runaway loop."""


class RunCancelled(RunError):
    """A run was cancelled (by `cancel()` or KeyboardInterrupt)."""


class StorageError(FlowLikeError):
    """A store cannot be read or written; the message names the store URL and the key."""


class SaveConflict(StorageError):
    """A save was based on an older revision than the stored one: someone else saved in between."""


class UnsafePathError(StorageError):
    """A board name, app name or content key would leave its folder or uses characters a store cannot hold."""
