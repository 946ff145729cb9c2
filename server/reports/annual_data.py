"""Everything an annual report shows: ranking, frequent breaches, the year before, the study."""

from collections import Counter

from .charts import bar_chart
from .facts import facility_facts
from .formatting import day, label, number, percent
from .outcomes import grouped_views
from .review import approval_of
from .study import headline_figures

TOP_RULES = 20


def _keys(scored, outcomes) -> set:
    """Return the (set, rule) pairs of a visit with one of some outcomes."""
    return {(r.set_id, r.rule.id) for r in scored.score.rules if r.outcome in outcomes}


def _critical(scored) -> set:
    """Return the (set, rule) pairs of a visit's unmet critical rules."""
    return {(r.set_id, r.rule.id) for r in scored.score.critical_unmet}


def _latest(entries) -> dict:
    """Return each facility's latest (visit, scored) of the period."""
    latest = {}
    for visit, scored in sorted(entries, key=lambda e: e[0].started_at):
        latest[visit.facility_id] = (visit, scored)
    return latest


def stats(entries) -> dict:
    """Return the headline numbers of a period: facilities, visits, mean score, breaches."""
    scores = [s.score.facility_score for _v, s in _latest(entries).values()
              if s.score.facility_score is not None]
    return {"facilities": len(_latest(entries)), "visits": len(entries),
            "mean": sum(scores) / len(scores) if scores else None,
            "critical": sum(len(_critical(s)) for _v, s in entries)}


def ranking(entries, lang: str) -> list[dict]:
    """Return facilities by their latest score of the period, the worst first."""
    rows = []
    for visit, scored in _latest(entries).values():
        facts, score = facility_facts(visit.facility, lang), scored.score
        coverage = None if score.tally.coverage is None else 100 * score.tally.coverage
        rows.append({"name": facts["name"], "kind": facts["kind"], "region": facts["region"],
                     "value": score.facility_score, "score": percent(score.facility_score, lang),
                     "coverage": percent(coverage, lang), "critical": len(_critical(scored)),
                     "last": day(visit.started_at, lang)})
    rows.sort(key=lambda r: (r["value"] is None, r["value"] or 0, -r["critical"], r["name"]))
    return rows


def frequent_unmet(entries, lang: str, sensitive: bool = True) -> list[dict]:
    """Return the rules most often found unmet, with how many visits assessed them.

    sensitive=False withholds the sample values quoted from sensitive questions (the
    annual template prints none; the views stay safe for one that would).
    """
    unmet, assessed, sample = Counter(), Counter(), {}
    for _visit, scored in entries:
        for result in scored.score.rules:
            sample.setdefault((result.set_id, result.rule.id), (result, scored))
        unmet.update(_keys(scored, ("not_met",)))
        assessed.update(_keys(scored, ("met", "not_met")))
    rows = []
    for key, count in unmet.most_common(TOP_RULES):
        result, scored = sample[key]
        view = grouped_views([result], scored, lang, sensitive)[0]
        rows.append({**view, "count": count, "share": percent(100 * count / assessed[key], lang)})
    return rows


def critical_by(entries, lang: str) -> dict:
    """Count unmet critical rules by domain and by kind of facility."""
    by_domain, by_kind, domains = Counter(), Counter(), {}
    for visit, scored in entries:
        domains.update({d.id: d.label.get(lang) for d in scored.form.domains})
        for result in {(r.set_id, r.rule.id): r for r in scored.score.critical_unmet}.values():
            by_domain[result.rule.domain] += 1
            by_kind[visit.facility.kind] += 1
    top = max([*by_domain.values(), 1])
    domain_rows = [(domains.get(d, d), n, number(n, lang)) for d, n in by_domain.most_common()]
    return {"domains": domain_rows,
            "kinds": [(label(f"kind.{k}", lang), n) for k, n in by_kind.most_common()],
            "chart": bar_chart(domain_rows, label("annual.by_domain", lang), scale=top)
            if domain_rows else None}


def comparison(current: dict, previous: dict, lang: str) -> list[dict]:
    """Return this year's numbers beside last year's, with the change."""
    rows = []
    for key, name, fmt in (("facilities", "annual.facilities_visited", number),
                           ("visits", "annual.visits", number), ("mean", "annual.mean_score",
                                                                  percent),
                           ("critical", "annual.critical_breaches", number)):
        now, before = current[key], previous[key]
        change = None if now is None or before is None else now - before
        sign = "+" if change and change > 0 else ""
        rows.append({"name": label(name, lang), "now": fmt(now, lang),
                     "before": fmt(before, lang),
                     "change": "—" if change is None else sign + fmt(change, lang)})
    return rows


def annual_context(scope: dict, current, previous, lang: str, sensitive: bool = True) -> dict:
    """Return the template context of an annual report for a scope and year."""
    drafts = sum(1 for visit, _s in current if approval_of(visit) is None)
    now, before = stats(current), stats(previous)
    title = label("report.annual.heading", lang, year=scope["year"])
    return {
        "kind": "annual", "lang": lang, "draft": drafts > 0, "draft_count": drafts,
        "title": f"{title}: {scope['name']}", "heading": title, "scope": scope,
        "header_left": scope["name"], "header_right": str(scope["year"]),
        "summary": now, "summary_text": comparison(now, before, lang),
        "ranking": ranking(current, lang), "unmet": frequent_unmet(current, lang, sensitive),
        "critical": critical_by(current, lang), "figures": headline_figures(lang),
        "previous_year": scope["year"] - 1,
    }
