"""The protobuf wire format by hand: varints, length-delimited fields, fixed 32/64-bit; read and written.

Reading field by field shows each field's wire type (a number, or length-delimited bytes), which is how
the two pin numberings of Flow-Like's boards are told apart (the `protobuf` package would silently file a
field with an unexpected wire type under "unknown fields").
"""

from __future__ import annotations

from collections.abc import Iterator

VARINT, I64, LEN, I32 = 0, 1, 2, 5

Field = tuple[int, int, int | bytes]
"""(field number, wire type, value): an int for VARINT, I64 and I32 (raw bits), bytes for LEN."""


class WireError(ValueError):
    """Bytes that are not a well-formed protobuf message."""


def fields(data: bytes) -> Iterator[Field]:
    """Every field of a message in wire order; repeated and map fields appear once per entry."""
    pos, end = 0, len(data)
    while pos < end:
        tag = data[pos]  # one-byte varints (fields 1-15, short lengths, small numbers) take the fast path
        tag, pos = (tag, pos + 1) if tag < 0x80 else varint_at(data, pos)
        number, wire_type = tag >> 3, tag & 7
        if number == 0:
            raise WireError(f"field number 0 at byte {pos}")
        if wire_type == VARINT:
            value, pos = varint_at(data, pos)
        elif wire_type == LEN:
            size = data[pos] if pos < end else 0x80
            size, pos = (size, pos + 1) if size < 0x80 else varint_at(data, pos)
            if pos + size > end:
                raise WireError(f"field {number} runs past the end of the message ({size} bytes at {pos})")
            value, pos = data[pos:pos + size], pos + size
        elif wire_type == I32:
            value, pos = int.from_bytes(data[pos:pos + 4], "little"), pos + 4
        elif wire_type == I64:
            value, pos = int.from_bytes(data[pos:pos + 8], "little"), pos + 8
        else:
            raise WireError(f"field {number} has unsupported wire type {wire_type} at byte {pos}")
        if pos > end:
            raise WireError(f"field {number} runs past the end of the message")
        yield number, wire_type, value


def varint_at(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        try:
            byte = data[pos]
        except IndexError:
            raise WireError("a varint runs past the end of the message") from None
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise WireError(f"a varint longer than 10 bytes ends at byte {pos}")


# ---- writing ---------------------------------------------------------------------------------------------


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negatives as ten-byte two's complement, as protobuf writes int32 and int64
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def key(number: int, wire_type: int) -> bytes:
    return varint(number << 3 | wire_type)


def put_varint(number: int, value: int) -> bytes:
    return key(number, VARINT) + varint(value)


def put_len(number: int, payload: bytes) -> bytes:
    return key(number, LEN) + varint(len(payload)) + payload
