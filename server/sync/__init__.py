"""Sync: push (apply_operations), pull (pull_changes), hybrid logical clocks, blobs."""

from .changes import current_head, pull_changes
from .hlc import HLC, compare_hlc, parse_hlc
from .push import apply_operations, content_hash

__all__ = ["HLC", "apply_operations", "compare_hlc", "content_hash", "current_head",
           "parse_hlc", "pull_changes"]
