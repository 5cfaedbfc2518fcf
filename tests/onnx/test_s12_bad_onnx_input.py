"""ONNX nodes given the wrong thing say what and where: a face detector whose outputs are not UltraFace's (it failed
with numpy's "too many indices for array"), empty model bytes (said "got bytes"), a sound or session read before
its node ran (a page of pydantic's validation text), an empty WAV file (no reason given), a tokenizer file that is
not a tokenizer (the tokenizers library's "expected value at line 1 column 1", naming no file), and a Teachable
Machine labels file that is not the model's (it succeeded with unlabelled classes)."""

from __future__ import annotations

import numpy as np
import pytest
from flowlike_catalog.media.image import keep_image
from onnx_models import constant_output, loaded
from PIL import Image
from test_nlp import LABELS, tagger
from test_teachable import teachable_model


def picture() -> object:
    return keep_image(None, Image.new("RGB", (32, 32), (9, 9, 9)))


@pytest.mark.parametrize("value", [[1.0, 2.0], [[[1.0, 2.0, 3.0]]]])
def test_a_face_detector_whose_outputs_are_not_ultrafaces_names_what_it_gave(board, value) -> None:
    model = loaded(board, constant_output([1, 3, 32, 32], "out", value))
    error = board.failure("onnx_face_detection", {"model": model, "image": picture()})
    shape = list(np.asarray(value).shape)
    assert "expected UltraFace-style outputs scores [1, N, 2] and boxes [1, N, 4], got out " \
           f"{shape}" in error, error


def test_load_onnx_bytes_of_nothing_says_it_got_no_bytes(board) -> None:
    error = board.failure("load_onnx_bytes", {"data": b""})
    assert "input 'data' needs the bytes of an ONNX model, got no bytes (not wired, or wired to empty bytes)" \
        in error, error


@pytest.mark.parametrize("key", ["resample_audio", "trim_audio", "audio_to_mel_spectrogram"])
def test_an_audio_node_reading_a_sound_before_it_was_loaded_says_so(board, key) -> None:
    load, node = board.add("load_audio", path="never.wav"), board.add(key)
    board.wire(load, "audio", node, "audio")
    error = board.failed_at(node)
    assert "no AudioData given (None): wire one from the node that makes it, and let that node run first" in error
    assert "input 'audio' read None: 'Load Audio'" in error, error


@pytest.mark.parametrize(("key", "output"), [("unload_onnx", None), ("onnx_session_info", "inputs")])
def test_a_session_node_reading_a_model_before_it_was_loaded_says_so(board, key, output) -> None:
    load, node = board.add("load_onnx", path="never.onnx"), board.add(key)
    board.wire(load, "model", node, "model")
    if output:  # a pure node: Return Result pulls it
        back = board.add("events_generic_return_result")
        board.wire(node, output, back, "response")
        node = back
    error = board.failed_at(node)
    assert "no OnnxSession given (None): wire one from the node that makes it, and let that node run first" in error


def test_an_empty_wav_file_says_it_is_empty(board, tmp_path) -> None:
    (tmp_path / "silence.wav").write_bytes(b"")
    error = board.failure("load_audio", {}, path=str(tmp_path / "silence.wav"))
    assert f"audio {str(tmp_path / 'silence.wav')!r} is not a PCM WAV file: it is empty (0 bytes)" in error, error


@pytest.mark.parametrize(("content", "why"), [(b"<html>Not found</html>", "expected value at line 1 column 1"),
                                              (b"\x89PNG\r\n\x1a\n", "it is not UTF-8 text")])
def test_a_tokenizer_file_that_is_not_a_tokenizer_is_named(board, tmp_path, content, why) -> None:
    path = tmp_path / "tokenizer.json"
    path.write_bytes(content)
    error = board.failure("onnx_ner", {"model": loaded(board, tagger()), "labels": LABELS}, tokenizer=str(path),
                   text="Alice lives")
    assert f"tokenizer {str(path)!r} is not a Hugging Face tokenizer.json: {why}" in error, error


@pytest.mark.parametrize(("content", "why"), [(b"0 Red\n1 Green\n", "it names 2 classes and the model scores 3"),
                                              (b"", "it names 0 classes and the model scores 3"),
                                              (b"\x89PNG\r\n\x1a\n\xff", "it is not UTF-8 text")])
def test_a_teachable_machine_labels_file_that_is_not_the_models_is_named(board, tmp_path, content, why) -> None:
    (tmp_path / "model.onnx").write_bytes(teachable_model())
    (tmp_path / "labels.txt").write_bytes(content)
    error = board.failure("ai_ml_teachable_machine", {"image_in": picture()}, model=str(tmp_path / "model.onnx"),
                   labels=str(tmp_path / "labels.txt"), input_width=4, input_height=4)
    assert f"labels file {str(tmp_path / 'labels.txt')!r} is not this model's: {why}" in error, error
