"""Pick the versions of forms and standard sets in force on a date."""

from datetime import date, datetime


def select_versions(items, on_date):
    """Return, for each id, the version with the latest effective date on or before a date.

    Items are forms or standard sets (anything with id, version and effective_date).
    An id with no version in force yet is left out; the result is sorted by id.
    """
    if isinstance(on_date, datetime):
        on_date = on_date.date()
    if not isinstance(on_date, date):
        on_date = date.fromisoformat(str(on_date))
    best = {}
    for item in items:
        if item.effective_date > on_date:
            continue
        current = best.get(item.id)
        if current is None or _order(item) > _order(current):
            best[item.id] = item
    return tuple(best[key] for key in sorted(best))


def _order(item):
    return (item.effective_date, item.version)
