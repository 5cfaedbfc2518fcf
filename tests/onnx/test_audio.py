from __future__ import annotations

import wave

import numpy as np
import pytest
from flowlike_catalog.onnx.audio import AudioData, keep_audio, mel_centres
from onnx import helper, numpy_helper
from onnx_models import graph_model, loaded, tensor

RATE = 16000


def write_wav(path, samples: np.ndarray, rate: int = RATE) -> None:
    """16-bit PCM; samples is channels x samples in -1..1."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(samples.shape[0])
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes((samples.T * 32767).round().astype("<i2").tobytes())


def speech_like() -> np.ndarray:
    """1 s silence, 1 s of a 440 Hz tone, 1 s silence."""
    t = np.arange(RATE) / RATE
    return np.concatenate([np.zeros(RATE), 0.5 * np.sin(2 * np.pi * 440 * t), np.zeros(RATE)])[None]


def test_load_resample_and_trim(board, tmp_path) -> None:
    stereo = np.stack([speech_like()[0], -speech_like()[0]])
    write_wav(tmp_path / "stereo.wav", stereo, 48000)
    run, node = board.one("load_audio", path=str(tmp_path / "stereo.wav"))
    audio = run.output(node.id, "audio")
    assert (audio.channels, audio.samples, run.output(node.id, "sample_rate")) == (2, 48000, 48000)
    assert run.output(node.id, "duration") == 1.0
    assert AudioData.resolve(None, audio)[0] == pytest.approx(stereo[0][:48000], abs=1 / 32767)
    run, node = board.fresh().one("resample_audio", {"audio": audio}, target_rate=16000, to_mono=False)
    resampled = run.output(node.id, "audio")
    assert (resampled.sample_rate, resampled.channels, resampled.samples) == (16000, 2, 16000)
    run, node = board.fresh().one("resample_audio", {"audio": audio}, target_rate=48000)
    mono = run.output(node.id, "audio")
    assert mono.channels == 1 and np.abs(AudioData.resolve(None, mono)).max() == pytest.approx(0, abs=1e-4)
    run, node = board.fresh().one("trim_audio", {"audio": audio, "segments": [{"start": 0.25, "end": 0.5}]},
                                  padding=0.1)
    (clip,) = run.output(node.id, "clips")
    assert clip.samples == round(0.45 * 48000)


def test_mel_spectrogram_peaks_at_the_tone(board) -> None:
    t = np.arange(RATE) / RATE
    audio = keep_audio(None, np.sin(2 * np.pi * 1000 * t), RATE)
    run, node = board.one("audio_to_mel_spectrogram", {"audio": audio})
    spectrogram = run.output(node.id, "spectrogram")
    assert run.output(node.id, "frames") == 1 + RATE // 160 == spectrogram.shape[1]
    assert spectrogram.shape == (80, 101)
    expected_band = int(np.argmin(np.abs(mel_centres(RATE, 80) - 1000)))
    assert set(spectrogram[:, 5:-5].argmax(axis=0).tolist()) == {expected_band}


def loudness_vad() -> bytes:
    """[1, 512] -> [1, 1]: min(1, 10 x the loudest sample): tone frames are speech, silence is not."""
    nodes = [helper.make_node("Abs", ["input"], ["magnitude"]),
             helper.make_node("ReduceMax", ["magnitude"], ["peak"], axes=[1], keepdims=1),
             helper.make_node("Mul", ["peak", "ten"], ["scaled"]),
             helper.make_node("Min", ["scaled", "one"], ["output"])]
    inits = [numpy_helper.from_array(np.array(10, np.float32), "ten"),
             numpy_helper.from_array(np.array(1, np.float32), "one")]
    return graph_model(nodes, [tensor("input", [1, 512])], [tensor("output", [1, 1])], inits, opset=13)


def test_voice_activity_finds_the_tone(board) -> None:
    audio = keep_audio(None, speech_like(), RATE)
    run, node = board.one("onnx_vad", {"model": loaded(board, loudness_vad()), "audio": audio})
    (segment,) = run.output(node.id, "segments")
    assert (segment.start, segment.end) == (31 * 0.032, 63 * 0.032)  # frames 31-62 hold tone samples
    result = run.output(node.id, "result")
    assert len(result.frame_probabilities) == 3 * RATE // 512
    assert result.speech_seconds == pytest.approx(32 * 0.032)
