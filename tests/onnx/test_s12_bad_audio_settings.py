"""Mel Spectrogram settings the sound cannot fill fail naming them, where n_fft beyond the sound's length padded it
with reflections as long as n_fft (a typo of 10**9 takes gigabytes) and more mel bands than frequency bins made
empty bands, both with Success."""

from __future__ import annotations

import numpy as np
import pytest
from flowlike_catalog.onnx.audio import keep_audio

RATE = 16000


def tone(seconds: float = 0.5):
    t = np.arange(int(RATE * seconds)) / RATE
    return keep_audio(None, np.sin(2 * np.pi * 440 * t), RATE)


@pytest.mark.parametrize(("settings", "why"), [
    ({"n_fft": 8001}, "n_fft 8001 is longer than the sound (8000 samples): take a shorter window"),
    ({"n_fft": 400, "n_mels": 300}, "n_mels 300 is more than the 201 frequency bins of n_fft 400: a band would be "
                                    "empty (take fewer bands or a longer n_fft)"),
])
def test_mel_settings_the_sound_cannot_fill_are_named(board, settings, why) -> None:
    error = board.failure("audio_to_mel_spectrogram", {"audio": tone()}, **settings)
    assert why in error, error


def test_a_target_rate_beyond_any_audio_rate_is_refused(board) -> None:
    """(A typo of a few zeros made that many samples a second: a minute of speech at 16 GHz is 128 GB.)"""
    error = board.failure("resample_audio", {"audio": tone(0.01)}, target_rate=16_000_000)
    assert "target_rate 16,000,000 Hz is above 768,000 Hz, the highest rate audio is made at (a typo?)" in error, error
