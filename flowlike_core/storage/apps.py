"""Apps group boards. Each board has a working copy and immutable versions, in the meta bucket:

    apps/<app>/boards/<board>.board.json                      the working copy
    apps/<app>/versions/<board>/<major>.<minor>.<patch>.board.json   write-once versions

Saves are checked against the revision the caller last saw, so two kernels cannot silently overwrite
each other: `App` remembers the revision of every board it loaded or saved, and `save` refuses with
`SaveConflict` when the stored copy has moved on since.
"""

from __future__ import annotations

import re
from typing import Literal

from flowlike_core.board import SUFFIX, Board
from flowlike_core.errors import BoardFileError, SaveConflict, StorageError, UnsafePathError
from flowlike_core.storage.blobs import BlobStore
from flowlike_core.storage.bucket import Bucket, revision_of
from flowlike_core.storage.diff import BoardChange, diff_boards
from flowlike_core.storage.lance import lance_uri
from flowlike_core.storage.paths import check_name

Version = tuple[int, int, int]
Bump = Literal["major", "minor", "patch"]


def parse_version(version: str | Version) -> Version:
    if isinstance(version, tuple):
        return version
    try:
        major, minor, patch = (int(part) for part in version.split("."))
    except ValueError:
        raise StorageError(f"version {version!r} is not of the form major.minor.patch, e.g. '1.2.0'") from None
    return major, minor, patch


def bump(version: Version, part: Bump) -> Version:
    major, minor, patch = version
    if part == "major":
        return major + 1, 0, 0
    if part == "minor":
        return major, minor + 1, 0
    if part == "patch":
        return major, minor, patch + 1
    raise StorageError(f"cannot bump {part!r}: say 'major', 'minor' or 'patch'")


def _storage_name(board_name: str) -> str:
    """A board's own name as the name of its file, or an error suggesting one (board names may hold spaces)."""
    try:
        return check_name(board_name, "board name")
    except UnsafePathError as exc:
        suggestion = re.sub(r"[^A-Za-z0-9_-]+", "-", board_name).strip("-_")[:128] or "board"
        raise UnsafePathError(f"{exc}; give it a name to save it under: app.save(board, {suggestion!r})") from None


class App:
    """One app: its boards and their versions (meta bucket), its blobs and vector database (content bucket)."""

    def __init__(self, name: str, meta: Bucket, content: Bucket) -> None:
        self.name = check_name(name, "app name")
        self.meta = meta
        self.content = content
        self.blobs = BlobStore(content, f"apps/{self.name}/blobs")
        self._seen: dict[str, str | None] = {}
        """Board name -> revision this App last loaded or saved (None: it saw no stored copy)."""

    # ---- working copies ------------------------------------------------------------------------------

    def _board_key(self, board: str) -> str:
        return f"apps/{self.name}/boards/{check_name(board, 'board name')}{SUFFIX}"

    def _version_key(self, board: str, version: Version) -> str:
        return f"apps/{self.name}/versions/{check_name(board, 'board name')}/{'.'.join(map(str, version))}{SUFFIX}"

    def boards(self) -> list[str]:
        return [key.rsplit("/", 1)[-1].removesuffix(SUFFIX) for key in self.meta.list(f"apps/{self.name}/boards")
                if key.endswith(SUFFIX)]

    def revision(self, board: str) -> str | None:
        """The stored working copy's revision, or None when there is none."""
        try:
            return revision_of(self.meta.read(self._board_key(board)))
        except FileNotFoundError:
            return None

    def load(self, board: str, version: str | Version | None = None) -> Board:
        """The working copy, or a version; loading the working copy makes it the base of the next save."""
        loaded, data = self._read(board, version)
        if version is None:
            self._seen[board] = revision_of(data)
        return loaded

    def _read(self, board: str, version: str | Version | None) -> tuple[Board, bytes]:
        key = self._board_key(board) if version is None else self._version_key(board, parse_version(version))
        try:
            data = self.meta.read(key)
        except FileNotFoundError:
            what = "no board" if version is None else f"no version {'.'.join(map(str, parse_version(version)))} of"
            raise BoardFileError(f"app {self.name!r} has {what} board {board!r} (in {self.meta.url})") from None
        return Board.from_json(data.decode("utf-8"), f"{self.meta.url}/{key}"), data

    def save(self, board: Board, name: str | None = None, *, based_on: str | None = None,
             force: bool = False) -> str:
        """Save the working copy atomically; returns its new revision.

        The save must be based on the stored revision: by default the one this App last loaded or saved,
        or `based_on` when given. `force=True` overwrites whatever is stored. The check and the write are
        one step on every store (`Bucket.swap`): of two saves on the same base, one raises `SaveConflict`.
        """
        name = check_name(name, "board name") if name is not None else _storage_name(board.name)
        expected = based_on if based_on is not None else self._seen.get(name)

        checked = False

        def unchanged(stored: bytes | None) -> None:
            nonlocal checked
            if stored is not None and revision_of(stored) != expected:
                raise self._conflict(name, f"stored revision {revision_of(stored)}", expected)
            checked = True

        data = board.to_json().encode("utf-8")
        try:
            self.meta.swap(self._board_key(name), data, None if force else unchanged)
        except SaveConflict as exc:
            if not checked:
                raise  # refused by the check (its message says why), or the store stayed locked
            raise self._conflict(name, "another save landed during this one", expected) from exc
        self._seen[name] = revision = revision_of(data)
        return revision

    def _conflict(self, name: str, what: str, expected: str | None) -> SaveConflict:
        seen = f"revision {expected}" if expected else "no stored copy"
        return SaveConflict(
            f"board {name!r} of app {self.name!r} was saved elsewhere ({what}) since this copy was loaded "
            f"({seen}). Reload it with app.load({name!r}) and re-apply your edits, or overwrite the stored "
            f"copy with app.save(board, force=True)"
        )

    # ---- versions ------------------------------------------------------------------------------------

    def versions(self, board: str) -> list[Version]:
        keys = self.meta.list(f"apps/{self.name}/versions/{check_name(board, 'board name')}")
        return sorted(parse_version(k.rsplit("/", 1)[-1].removesuffix(SUFFIX)) for k in keys if k.endswith(SUFFIX))

    def create_version(self, board: str, part: Bump = "patch") -> Version:
        """Freeze the stored working copy as the next major, minor or patch version (from 0.0.0)."""
        existing = self.versions(board)
        version = bump(existing[-1] if existing else (0, 0, 0), part)
        frozen = self._read(board, None)[0].model_copy(update={"version": version})
        self.meta.write_new(self._version_key(board, version), frozen.to_json().encode("utf-8"))
        return version

    def diff(self, board: str, old: str | Version | None, new: str | Version | None = None) -> list[BoardChange]:
        """What changed from version `old` to version `new` (None: the working copy)."""
        return diff_boards(self._read(board, old)[0], self._read(board, new)[0])

    # ---- content -------------------------------------------------------------------------------------

    @property
    def vectors_uri(self) -> str:
        """The app's LanceDB database in the content bucket."""
        return lance_uri(self.content, f"apps/{self.name}/vectors")

    def __repr__(self) -> str:
        return f"<App {self.name!r} in {self.meta.url}>"
