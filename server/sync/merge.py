"""Per-field last-writer-wins by hybrid logical clock, and when a lost value is a conflict.

Pure: no Flask, no database. A write overwrites the current value when its clock reading is
later. The value that loses is kept as a conflict when the two writers were concurrent: the
write lost to a later reading, or it won but its `base` shows it never saw the value it
replaces. A device never conflicts with itself, and equal values never conflict.
"""

import json
from dataclasses import dataclass

from .hlc import HLC


@dataclass(frozen=True)
class Clock:
    """Who wrote a field's current value, when, and at which change seq."""

    hlc: HLC
    device_id: str
    change_seq: int | None  # None while the writing transaction has not numbered it yet


@dataclass(frozen=True)
class Write:
    """An incoming write to a field."""

    hlc: HLC
    device_id: str
    base: int | None
    value: object


@dataclass(frozen=True)
class Resolution:
    """Whether the write wins, and which side (if any) lost concurrently."""

    wins: bool
    loser: str | None = None  # "current", "write" or None


def same_value(a, b) -> bool:
    """Compare two JSON values; 1 and 1.0 are equal, True and 1 are not."""
    if _is_number(a) and _is_number(b):
        return a == b
    return _canonical(a) == _canonical(b)


def _is_number(value) -> bool:
    """Tell whether a value is a JSON number (booleans are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _canonical(value) -> str:
    """Serialise a JSON value the same way every time."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _saw(write: Write, current: Clock) -> bool:
    """Tell whether the writer had seen the current value before writing."""
    if write.device_id == current.device_id:
        return True
    return write.base is not None and current.change_seq is not None \
        and write.base >= current.change_seq


def resolve(current: Clock | None, current_value, write: Write) -> Resolution:
    """Decide a write against a field's current value."""
    if current is None:
        return Resolution(wins=True)
    if write.hlc == current.hlc:
        return Resolution(wins=False)  # the same reading again: nothing new
    wins = write.hlc > current.hlc
    if same_value(write.value, current_value) or write.device_id == current.device_id:
        return Resolution(wins=wins)
    if wins:
        return Resolution(wins=True, loser=None if _saw(write, current) else "current")
    return Resolution(wins=False, loser="write")
