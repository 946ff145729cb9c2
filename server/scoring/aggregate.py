"""Add rule results up into domain, set and facility scores."""

from operator import itemgetter

from server.scoring.results import OUTCOMES, DomainScore, SetScore, Tally, VisitScore

_SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2}
_INDEX = {o: i for i, o in enumerate(OUTCOMES)}


def cells_of(results, cells=None):
    """Return {(set id, set version, domain): [4 weights, 4 counts]} in one pass."""
    cells = {} if cells is None else cells
    for result in results:
        key = (result.set_id, result.set_version, result.rule.domain)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = [0] * 8
        i = _INDEX[result.outcome]
        cell[i] += result.units
        cell[i + 4] += 1
    return cells


def _sum(rows):
    """Add 8-column rows (4 weights then 4 counts) column by column."""
    rows = list(rows)
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * 8


_tally = Tally._make


def tally(results):
    """Return the weighted Tally of some rule results."""
    return _tally(_sum(cells_of(results).values()))


def result_order(result):
    """Return the sort key putting unmet critical rules first, then by outcome and severity."""
    unmet_critical = result.outcome == "not_met" and result.rule.severity == "critical"
    return (not unmet_critical, _INDEX[result.outcome], _SEVERITY_RANK[result.rule.severity],
            result.set_id, result.rule.id, result.regime or "")


def summarise(form, standards, results, skipped=((), {})):
    """Build the VisitScore of rule results.

    `skipped` holds results known in advance to be not applicable: their (order key,
    result) pairs, sorted, and their cells, so they cost nothing per visit.
    """
    pairs, skipped_cells = skipped
    assessed = sorted((r for r in results if r.outcome != "not_applicable"), key=result_order)
    na = [(result_order(r), r) for r in results if r.outcome == "not_applicable"]
    na = sorted(na, key=itemgetter(0)) if not pairs else sorted(na + list(pairs),
                                                                key=itemgetter(0))
    ordered = (*assessed, *(r for _, r in na))
    cells = cells_of(results, {k: list(v) for k, v in skipped_cells.items()})
    known = [d.id for d in form.domains]
    domain_ids = known + sorted({k[2] for k in cells} - set(known))
    set_keys = sorted({(s.id, s.version) for s in standards})
    empty = [0] * 8
    grid = {sk: [cells.get((*sk, d), empty) for d in domain_ids] for sk in set_keys}
    domain_rows = [_sum(rows) for rows in zip(*grid.values(), strict=True)] if grid else []
    domains = tuple(DomainScore(d, _tally(r)) for d, r in zip(domain_ids, domain_rows,
                                                                strict=True))
    sets = tuple(SetScore(sk[0], sk[1], _tally(_sum(rows)),
                          tuple(DomainScore(d, _tally(r))
                                for d, r in zip(domain_ids, rows, strict=True)))
                 for sk, rows in grid.items())
    scored = [d.tally.score for d in domains if d.tally.score is not None]
    facility_score = sum(scored) / len(scored) if scored else None
    critical = tuple(r for r in ordered
                     if r.outcome == "not_met" and r.rule.severity == "critical")
    return VisitScore(facility_score, _tally(_sum(domain_rows)), domains, sets, ordered,
                      critical)
