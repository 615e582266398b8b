"""Protocol Buffers' wire format, read by hand: Anki keeps a few small messages in its
packages and collections (the package's version, the media list, note type and deck
kinds), and reading them needs only varints and length-delimited fields, not the
protobuf runtime and Anki's generated classes."""

from __future__ import annotations

from collections.abc import Iterator

_VARINT = 0
_FIXED64 = 1
_LENGTH_DELIMITED = 2
_FIXED32 = 5


class WireError(ValueError):
    """The bytes are not a protobuf message (cut short, or a wire type that cannot be)."""


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """The varint starting at ``at``, and where the next thing starts."""
    value = 0
    shift = 0
    while at < len(data):
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7
        if shift >= 64:
            raise WireError("a varint longer than ten bytes")
    raise WireError("the message ends inside a varint")


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """Each field as ``(number, value)`` in the order written: varints as unsigned
    integers, length-delimited fields (strings, bytes, nested messages) as bytes, fixed
    32- and 64-bit fields as unsigned integers. A field written twice comes twice."""
    at = 0
    end = len(data)
    while at < end:
        key, at = _varint(data, at)
        number, wire_type = key >> 3, key & 7
        value: int | bytes
        if wire_type == _VARINT:
            value, at = _varint(data, at)
        elif wire_type == _LENGTH_DELIMITED:
            size, at = _varint(data, at)
            if at + size > end:
                raise WireError("a field runs past the end of the message")
            value = data[at : at + size]
            at += size
        elif wire_type in (_FIXED64, _FIXED32):
            width = 8 if wire_type == _FIXED64 else 4
            if at + width > end:
                raise WireError("a field runs past the end of the message")
            value = int.from_bytes(data[at : at + width], "little")
            at += width
        else:
            raise WireError(f"wire type {wire_type} of field {number} is not one protobuf has")
        if number == 0:
            raise WireError("field number 0")
        yield number, value


def last_int(data: bytes, number: int, default: int = 0) -> int:
    """A scalar field's value (protobuf keeps the last of repeats), or its default."""
    found = default
    for field, value in fields(data):
        if field == number and isinstance(value, int):
            found = value
    return found


def last_bytes(data: bytes, number: int) -> bytes | None:
    """A length-delimited field's bytes (the last of repeats), or None when absent."""
    found = None
    for field, value in fields(data):
        if field == number and isinstance(value, bytes):
            found = value
    return found


def has_field(data: bytes, number: int) -> bool:
    """Whether the message holds the field at all (how a oneof tells its member)."""
    return any(field == number for field, _ in fields(data))
