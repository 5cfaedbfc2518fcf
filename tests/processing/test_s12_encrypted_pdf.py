"""A PDF that opens only with its password says so, where Extract Document said pypdf's "File has not been
decrypted"; one with only an owner password (no password to open it) is read as before."""

from __future__ import annotations

from pack_builder import Builder
from processing_files import make_pdf

from flowlike_core.run import RunStatus


def extract(path):
    from flowlike_catalog.processing import PACK

    board = Builder(PACK)
    node = board.add("ai_processing_extract_document")
    board.feed(node, file=str(path))
    board.chain(board.add("events_simple"), node)
    return board.board.run(registry=board.registry, variables=board.values), node


def locked(tmp_path, user_password: str):
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=make_pdf(tmp_path / "plain.pdf", ["Salaries 2026"]))
    writer.encrypt(user_password=user_password, owner_password="owner")
    writer.write(tmp_path / "locked.pdf")
    return tmp_path / "locked.pdf"


def test_a_pdf_that_needs_its_password_says_so(tmp_path) -> None:
    run, _ = extract(locked(tmp_path, "secret"))
    assert run.status is RunStatus.FAILED
    assert "locked.pdf is encrypted: it opens only with its password, which these nodes do not take (save a " \
           "copy without the password)" in run.error, run.error


def test_a_pdf_with_only_an_owner_password_is_read(tmp_path) -> None:
    run, node = extract(locked(tmp_path, ""))
    run.raise_for_status()
    assert [page.text for page in run.output(node.id, "pages")] == ["Salaries 2026"]
