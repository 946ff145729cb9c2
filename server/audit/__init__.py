"""The audit log: append events to a hash chain and verify it."""

from .chain import ChainProblem, append_event, event_hash, verify_chain

__all__ = ["ChainProblem", "append_event", "event_hash", "verify_chain"]
