"""Per-field last-writer-wins by hybrid logical clock, and which overwritten values are lost.

Pure: no Flask, no database. A field has a holder (the write whose value it shows) and
peers: earlier writes from other devices that hold the same value and that the holder's
writer never saw. A write with a later clock reading wins. A value is lost, and must be kept
as a conflict, when a write of a different value replaces a holder or peer whose writer is
another device and whose value the writer had not seen (its `base` is below the change seq
that showed the value), or when a write loses to a later, different value. A device never
conflicts with itself, and equal values never conflict: they join the peers instead.
"""

import json
from dataclasses import dataclass, field

from .hlc import HLC


@dataclass(frozen=True)
class Holder:
    """A write whose value a field shows; ref carries who and which op, for conflicts."""

    hlc: HLC
    device_id: str
    change_seq: int | None  # None until numbered, or for a write that never showed
    ref: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Write:
    """An incoming write to a field."""

    hlc: HLC
    device_id: str
    base: int | None
    value: object
    ref: dict = field(default_factory=dict, compare=False)

    def as_holder(self) -> Holder:
        """Return this write as a (never shown) holder of its value."""
        return Holder(self.hlc, self.device_id, None, self.ref)


@dataclass(frozen=True)
class Resolution:
    """The decision on a write."""

    wins: bool
    lost: tuple = ()  # holders whose value the winning write replaced unseen
    write_lost: bool = False  # the write itself lost to a later, different value
    peers: tuple = ()  # the field's peers afterwards


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


def _unseen(write: Write, holders) -> tuple:
    """Return the holders from other devices whose value the writer had not seen."""
    def saw(holder):
        return write.base is not None and holder.change_seq is not None \
            and write.base >= holder.change_seq
    return tuple(h for h in holders if h.device_id != write.device_id and not saw(h))


def _others(peers, device_id: str) -> tuple:
    """Return the peers not written by a device (its newer write supersedes them)."""
    return tuple(p for p in peers if p.device_id != device_id)


def resolve(holder: Holder | None, peers: tuple, current_value, write: Write) -> Resolution:
    """Decide a write against a field's holder, peers and current value."""
    if holder is None:
        return Resolution(wins=True)
    if write.hlc == holder.hlc:
        return Resolution(wins=False, peers=peers)  # the same reading again: nothing new
    same = same_value(write.value, current_value)
    if write.hlc > holder.hlc:
        unseen = _unseen(write, (holder, *peers))
        return Resolution(True, peers=unseen) if same else Resolution(True, lost=unseen)
    if write.device_id == holder.device_id:
        return Resolution(wins=False, peers=peers)  # the device wrote again since
    if same:
        return Resolution(False, peers=(*_others(peers, write.device_id), write.as_holder()))
    return Resolution(False, write_lost=True, peers=_others(peers, write.device_id))
