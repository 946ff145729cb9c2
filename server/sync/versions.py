"""Push schema versions: the current one and the previous one, migrated on arrival.

A tablet whose service worker has not updated yet still sends the previous version; its
operations are rewritten into the current shape before anything else looks at them, so the
same operation sent under either version has the same content (and the same op_id outcome).

Version 1 differs from version 2 in two places:
- photo.attach carried the hash as value.hash (now value.sha256);
- note.add carried the text as a bare string value (now value.text, with note_id and domain).
"""

from ..errors import APIError

CURRENT = 2
SUPPORTED = (1, 2)


def check_version(version: int) -> None:
    """Refuse a schema version this server cannot read (400 unsupported_schema_version)."""
    if version not in SUPPORTED:
        raise APIError(400, "unsupported_schema_version",
                       f"Push schema version {version} is not accepted; update the app.",
                       {"schema_version": [f"accepted: {', '.join(map(str, SUPPORTED))}"]})


def _from_v1(op: dict) -> dict:
    """Rewrite one version-1 operation into version 2."""
    value = op.get("value")
    if op.get("type") == "photo.attach" and isinstance(value, dict) and "hash" in value:
        value = {("sha256" if k == "hash" else k): v for k, v in value.items()}
    elif op.get("type") == "note.add" and isinstance(value, str):
        value = {"text": value}
    return {**op, "value": value}


def upgrade_op(op: dict, version: int) -> dict:
    """Return an operation in the current schema version."""
    if version == 1:
        return _from_v1(op)
    return op
