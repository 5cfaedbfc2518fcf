"""Audio for speech models: load WAV files, resample, cut segments, mel spectrograms, voice-activity detection.

Sound stays a live float array (channels x samples, -1..1); pins carry an `AudioData` naming it with its
sample rate.
"""

from __future__ import annotations

import io
import math
import wave
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.content import App, Location, read_bytes
from flowlike_catalog.live import LiveHandle
from flowlike_catalog.onnx.session import Model, run_session, session_of
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/ONNX/Audio"
HIGHEST_RATE = 768_000
"""Samples a second of the fastest audio hardware; a target rate above it is a typo (a few zeros too many made
that many samples a second: a minute of speech at 16 GHz is 128 GB)."""


class AudioData(LiveHandle):
    """Names live sound: a float array of channels x samples in -1..1."""

    KIND = "audio"
    sample_rate: int
    channels: int
    samples: int

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate


class Segment(BaseModel):
    start: float
    """Seconds from the start."""
    end: float


class VadResult(BaseModel):
    segments: list[Segment]
    speech_seconds: float
    frame_probabilities: list[float]


class Loaded(NamedTuple):
    audio: AudioData
    sample_rate: int
    duration: Annotated[float, Pin(description="Seconds")]


class Spectrogram(NamedTuple):
    spectrogram: Annotated[Any, Pin(description="numpy array n_mels x frames of log10 mel power")]
    frames: int


class Voice(NamedTuple):
    result: VadResult
    segments: Annotated[list[Segment], Pin(description="Speech segments in seconds")]


def keep_audio(ctx: Context | None, samples: Any, rate: int) -> AudioData:
    import numpy as np

    samples = np.atleast_2d(np.asarray(samples, dtype=np.float32))
    return AudioData.make(ctx, samples, sample_rate=rate, channels=samples.shape[0], samples=samples.shape[1])


def audio_of(ctx: Context | None, audio: Any) -> tuple[AudioData, Any]:
    handle = AudioData.given(audio)
    return handle, AudioData.resolve(ctx, handle)


def decode_wav(data: bytes, what: str) -> tuple[Any, int]:
    """(channels x samples floats, sample rate) of a PCM WAV file (8, 16, 24 or 32 bits)."""
    import numpy as np

    try:
        with wave.open(io.BytesIO(data)) as wav:
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:  # EOFError says nothing: the file ends within its header
        why = str(exc) or ("it is empty (0 bytes)" if not data else f"it ends within its header ({len(data)} bytes)")
        raise ValueError(f"{what} is not a PCM WAV file: {why}") from None
    if width == 3:
        bytes_ = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        ints = (bytes_[:, 0].astype(np.int32) | bytes_[:, 1].astype(np.int32) << 8
                | bytes_[:, 2].astype(np.int8).astype(np.int32) << 16)
        values = ints / float(1 << 23)
    elif width == 1:
        values = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128) / 128
    else:
        kind = {2: np.int16, 4: np.int32}[width]
        values = np.frombuffer(raw, kind) / float(np.iinfo(kind).max + 1)
    return values.reshape(-1, channels).T.astype(np.float32), rate


@node(exec_pins=True, capabilities=["files"])
def load_audio(ctx: Context, path: Location = None, app: App = "default") -> Loaded:
    """Reads a PCM WAV file (a path or the content store)."""
    samples, rate = decode_wav(read_bytes(path, app, "audio file"), f"audio {path!r}")
    handle = keep_audio(ctx, samples, rate)
    return Loaded(handle, rate, handle.duration)


@node(exec_pins=True)
def resample_audio(ctx: Context, audio: AudioData = None, target_rate: int = 16000,
                   to_mono: Annotated[bool, Pin(description="Average the channels into one")] = True) -> Annotated[
        AudioData, Pin(name="audio")]:
    """Changes the sample rate (polyphase filtering, scipy) and optionally mixes down to mono."""
    from scipy.signal import resample_poly

    if target_rate < 1:
        raise ValueError(f"target_rate must be positive, got {target_rate}")
    if target_rate > HIGHEST_RATE:
        raise ValueError(f"target_rate {target_rate:,} Hz is above {HIGHEST_RATE:,} Hz, the highest rate audio is made "
                         f"at (a typo?)")
    handle, samples = audio_of(ctx, audio)
    if to_mono:
        samples = samples.mean(axis=0, keepdims=True)
    if target_rate != handle.sample_rate:
        divisor = math.gcd(target_rate, handle.sample_rate)
        samples = resample_poly(samples, target_rate // divisor, handle.sample_rate // divisor, axis=1)
    return keep_audio(ctx, samples, target_rate)


@node(exec_pins=True)
def trim_audio(ctx: Context, audio: AudioData = None, segments: list[Segment] = None,
               padding: Annotated[float, Pin(description="Seconds kept before and after each segment")] = 0.1
               ) -> Annotated[list[AudioData], Pin(name="clips")]:
    """Cuts a clip for each segment (for instance the speech Voice Activity found), with padding."""
    handle, samples = audio_of(ctx, audio)
    clips = []
    for raw in segments or []:
        segment = Segment.model_validate(raw)
        start = max(0, round((segment.start - padding) * handle.sample_rate))
        end = min(handle.samples, round((segment.end + padding) * handle.sample_rate))
        if end <= start:
            raise ValueError(f"segment {segment.start}-{segment.end} s is outside the {handle.duration:.3f} s audio")
        clips.append(keep_audio(ctx, samples[:, start:end], handle.sample_rate))
    return clips


def mel_filters(rate: int, n_fft: int, n_mels: int) -> Any:
    """Triangular filters on the Slaney mel scale (as librosa's default and Whisper use), area-normalised."""
    import numpy as np

    def to_mel(hz: Any) -> Any:
        hz = np.asarray(hz, dtype=np.float64)
        return np.where(hz < 1000, hz * 3 / 200, 15 + np.log(np.maximum(hz, 1e-10) / 1000) * 27 / np.log(6.4))

    def to_hz(mel: Any) -> Any:
        return np.where(mel < 15, mel * 200 / 3, 1000 * np.exp((mel - 15) * np.log(6.4) / 27))

    edges = to_hz(np.linspace(to_mel(0), to_mel(rate / 2), n_mels + 2))
    bins = np.fft.rfftfreq(n_fft, 1 / rate)
    rising = (bins[None, :] - edges[:-2, None]) / (edges[1:-1] - edges[:-2])[:, None]
    falling = (edges[2:, None] - bins[None, :]) / (edges[2:] - edges[1:-1])[:, None]
    weights = np.maximum(0, np.minimum(rising, falling))
    return weights * (2.0 / (edges[2:] - edges[:-2]))[:, None]


def mel_centres(rate: int, n_mels: int) -> Any:
    """The centre frequency (Hz) of each mel filter."""
    import numpy as np

    filters = mel_filters(rate, 4096, n_mels)
    return np.fft.rfftfreq(4096, 1 / rate)[filters.argmax(axis=1)]


@node(friendly_name="Mel Spectrogram", exec_pins=True)
def audio_to_mel_spectrogram(ctx: Context, audio: AudioData = None, n_mels: int = 80, hop_length: int = 160,
                             n_fft: int = 400) -> Spectrogram:
    """Log mel spectrogram of the first channel: centred frames (reflect padding), Hann window, power, mel
    filters, log10 (floored at 1e-10), as speech models such as Whisper take it. Frames: 1 + samples // hop."""
    import numpy as np

    if min(n_mels, hop_length, n_fft) < 1:
        raise ValueError("n_mels, hop_length and n_fft must be positive")
    handle, samples = audio_of(ctx, audio)
    if n_fft > handle.samples:  # its reflect padding would be as long as n_fft (a typo of 10**9: gigabytes)
        raise ValueError(f"n_fft {n_fft} is longer than the sound ({handle.samples} samples): take a shorter window")
    if n_mels > n_fft // 2 + 1:
        raise ValueError(f"n_mels {n_mels} is more than the {n_fft // 2 + 1} frequency bins of n_fft {n_fft}: a band "
                         f"would be empty (take fewer bands or a longer n_fft)")
    signal = np.pad(samples[0].astype(np.float64), n_fft // 2, mode="reflect")
    frames = 1 + (len(signal) - n_fft) // hop_length
    windows = np.lib.stride_tricks.sliding_window_view(signal, n_fft)[::hop_length][:frames]
    power = np.abs(np.fft.rfft(windows * np.hanning(n_fft + 1)[:-1], axis=1)) ** 2
    mel = mel_filters(handle.sample_rate, n_fft, n_mels) @ power.T
    return Spectrogram(np.log10(np.maximum(mel, 1e-10)).astype(np.float32), frames)


def frame_probabilities(session: Any, mono: Any, rate: int) -> tuple[list[float], int]:
    """Speech probability per window: the model takes [1, window] samples (window fixed by the model; Silero's
    `state` and `sr` inputs are fed and carried too)."""
    import numpy as np

    inputs = {i.name: i for i in session.get_inputs()}
    audio_input = next(i for i in inputs.values() if i.name not in ("state", "sr", "h", "c"))
    window = audio_input.shape[-1] if isinstance(audio_input.shape[-1], int) else 512
    state = np.zeros((2, 1, 128), np.float32) if "state" in inputs else None
    probabilities = []
    for start in range(0, len(mono) - window + 1, window):
        feeds: dict[str, Any] = {audio_input.name: mono[None, start:start + window]}
        if state is not None:
            feeds["state"] = state
        if "sr" in inputs:
            feeds["sr"] = np.array(rate, np.int64)
        outputs = run_session(session, feeds)
        values = list(outputs.values())
        probabilities.append(float(np.asarray(values[0]).reshape(-1)[0]))
        if state is not None and len(values) > 1:
            state = values[1]
    return probabilities, window


@node(friendly_name="Voice Activity", exec_pins=True, capabilities=["native"])
def onnx_vad(ctx: Context, model: Model = None, audio: AudioData = None, threshold: float = 0.5,
             min_speech_ms: int = 250, min_silence_ms: int = 100) -> Voice:
    """Finds speech with a frame-wise voice-activity model (Silero-style: [1, window] samples in, speech
    probability out; 16 kHz mono expected, so resample first). Speech shorter than min_speech_ms is dropped,
    pauses shorter than min_silence_ms are bridged."""
    handle, samples = audio_of(ctx, audio)
    probabilities, window = frame_probabilities(session_of(ctx, model), samples.mean(axis=0), handle.sample_rate)
    step = window / handle.sample_rate
    segments: list[list[float]] = []
    for i, p in enumerate(probabilities):
        if p < threshold:
            continue
        start, end = i * step, (i + 1) * step
        if segments and start - segments[-1][1] < min_silence_ms / 1000 + 1e-9:
            segments[-1][1] = end
        else:
            segments.append([start, end])
    kept = [Segment(start=round(a, 6), end=round(b, 6)) for a, b in segments if b - a >= min_speech_ms / 1000 - 1e-9]
    speech = sum(s.end - s.start for s in kept)
    return Voice(VadResult(segments=kept, speech_seconds=round(speech, 6), frame_probabilities=probabilities), kept)
