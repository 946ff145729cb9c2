"""Hybrid logical clock readings: "<ms>-<counter>-<device>", compared in that order."""

import re
from dataclasses import dataclass

MAX_LENGTH = 80
_HLC = re.compile(r"(\d{1,15})-(\d{1,9})-([A-Za-z0-9_.:-]{1,64})\Z")
SKEW_LIMIT_MS = 10 * 60 * 1000


@dataclass(frozen=True, order=True)
class HLC:
    """One clock reading; ordering compares ms, then counter, then device."""

    ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.ms}-{self.counter}-{self.device}"


def parse_hlc(text) -> HLC | None:
    """Parse a reading; return None for anything that is not one."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    match = _HLC.match(text)
    if match is None:
        return None
    return HLC(int(match.group(1)), int(match.group(2)), match.group(3))


def compare_hlc(a: str, b: str) -> int:
    """Return -1, 0 or 1 as reading a sorts before, with or after reading b."""
    x, y = parse_hlc(a), parse_hlc(b)
    if x is None or y is None:
        raise ValueError(f"not a clock reading: {a if x is None else b!r}")
    return (x > y) - (x < y)


def is_skewed(reading: HLC, server_ms: int) -> bool:
    """Tell whether a reading is more than ten minutes ahead of the server's clock."""
    return reading.ms - server_ms > SKEW_LIMIT_MS
