"""Everything a facility report shows: trend, open findings with their age, latest visit."""

from .charts import trend_chart
from .facts import facility_facts, visit_dates
from .formatting import day, label, percent
from .outcomes import grouped_views, rule_view, set_short, value_text
from .review import approval_of

TREND_VISITS = 12


def _row(visit, scored, lang: str) -> dict:
    """Return one visit as a line of the visits table."""
    tally = scored.score.tally
    coverage = None if tally.coverage is None else 100 * tally.coverage
    critical = {(r.set_id, r.rule.id) for r in scored.score.critical_unmet}
    return {"dates": visit_dates(visit, lang), "short": day(visit.started_at, lang),
            "status": label(f"status.{visit.status}", lang),
            "score": percent(scored.score.facility_score, lang),
            "value": scored.score.facility_score, "coverage": percent(coverage, lang),
            "critical": len(critical), "approved": approval_of(visit) is not None}


def open_findings(findings, history, lang: str, sensitive: bool = True) -> list[dict]:
    """Return review's open findings as printed: last value, threshold, citation, age.

    sensitive=False withholds the last value of a finding on a sensitive question.
    """
    results = {}
    for _visit, scored in history:
        for result in scored.score.rules:
            results[(result.set_id, result.rule.id, result.regime or "")] = (result, scored)
    out = []
    for finding in findings:
        found = results.get((finding["set_id"], finding["rule_id"], finding["regime"] or ""))
        if found is None:
            continue  # a rule no visit of the facility was scored on any more
        result, scored = found
        question = scored.form.question(finding["indicator"])
        view = rule_view(result, scored, lang, sensitive)
        value = view["value"] if view["withheld"] else value_text(
            finding["last_value"], question, result.unit, lang)
        out.append({**view, "worse": finding["worse"], "value": value,
                    "first_found": day(finding["first_found"], lang),
                    "age": finding["age_days"]})
    return out


def facility_context(facility, history, findings, today, lang: str,
                     sensitive: bool = True) -> dict:
    """Return the template context of a facility report; history is [(visit, scored)].

    sensitive=False withholds the values quoted from sensitive questions.
    """
    facts = facility_facts(facility, lang)
    rows = [_row(visit, scored, lang) for visit, scored in history]
    drafts = sum(1 for row in rows if not row["approved"])
    latest = history[-1] if history else None
    trend = [(row["short"], row["value"]) for row in rows[-TREND_VISITS:]]
    return {
        "kind": "facility", "lang": lang, "draft": drafts > 0, "draft_count": drafts,
        "title": f"{label('report.facility.title', lang)}: {facts['name']}",
        "header_left": facts["name"], "header_right": day(today, lang),
        "facility": facts, "visits": list(reversed(rows)), "today": day(today, lang),
        "trend": trend_chart(trend, label("facility.trend", lang)) if rows else None,
        "findings": open_findings(findings, history, lang, sensitive),
        "latest": _latest(latest, lang, sensitive) if latest else None,
    }


def _latest(entry, lang: str, sensitive: bool) -> dict:
    """Return the latest visit's summary."""
    visit, scored = entry
    sets = [{"title": set_short(scored, s.set_id, lang), "version": s.version,
             "score": percent(s.tally.score, lang),
             "coverage": percent(None if s.tally.coverage is None else 100 * s.tally.coverage,
                                 lang)} for s in scored.score.sets]
    return {**_row(visit, scored, lang), "sets": sets,
            "critical_rules": grouped_views(scored.score.critical_unmet, scored, lang,
                                            sensitive)}
