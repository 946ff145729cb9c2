"""Adapters to the review work (issue 6): approval and findings carried over.

Until review adds its columns and tables these answer "not approved" and "no findings",
so every report of such a visit is a draft. Review fills them in; nothing else changes.
"""


def approval_of(visit) -> dict | None:
    """Return {signer, at, content_hash} of an approved visit, or None."""
    at = getattr(visit, "approved_at", None)
    if at is None:
        return None
    signer = getattr(visit, "approved_by", None)
    name = getattr(signer, "full_name", None) or getattr(signer, "username", None) or ""
    return {"signer": name, "at": at, "content_hash": getattr(visit, "content_hash", "") or ""}


def findings_for(visit) -> list[dict]:
    """Return findings carried over to this visit from earlier ones, with their status.

    Each is {rule_id, indicator, domain, severity, first_found (date), status:
    open | resolved | worse}. Empty until the findings table exists.
    """
    return []
