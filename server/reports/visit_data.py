"""Everything a visit report shows, as plain data for its template."""

from .charts import bar_chart
from .facts import facility_facts, team_names, visit_dates
from .fetcher import photo_url
from .formatting import day, label, moment, percent
from .outcomes import grouped_views, set_short, set_title
from .photos import printable_photos
from .review import approval_of, findings_for

MAX_PHOTOS = 12


def _tally(tally, lang: str) -> dict:
    """Return a score and coverage as printed."""
    coverage = None if tally.coverage is None else 100 * tally.coverage
    return {"score": percent(tally.score, lang), "coverage": percent(coverage, lang),
            "value": tally.score}


def _sets(scored, lang: str) -> list[dict]:
    """Return the score of every standard set with its per-domain scores."""
    out = []
    for entry in scored.score.sets:
        by_domain = {d.domain: _tally(d.tally, lang) for d in entry.domains}
        out.append({"title": set_short(scored, entry.set_id, lang), "version": entry.version,
                    **_tally(entry.tally, lang), "domains": by_domain})
    return out


def _photo(link, lang: str) -> dict:
    """Return a photo as a figure."""
    return {"src": photo_url(link.sha256), "caption": link.caption,
            "taken": moment(link.created_at, lang)}


def _notes(notes, domain) -> list[dict]:
    """Return a domain's notes (None: the general ones) as plain data."""
    return [{"text": n.text, "created_at": n.created_at} for n in notes if n.domain == domain]


def _domains(scored, rows, photos, lang: str, sensitive: bool) -> list[dict]:
    """Return each domain with its outcomes, notes and photos."""
    views = grouped_views(scored.score.rules, scored, lang, sensitive)
    out = []
    for domain in scored.form.domains:
        mine = [v for v in views if v["domain"] == domain.id]
        shown = [v for v in mine if v["outcome"] != "not_applicable"]
        score = scored.score.domain(domain.id)
        out.append({
            "id": domain.id, "label": domain.label.get(lang),
            **(_tally(score.tally, lang) if score else {"score": "—", "coverage": "—",
                                                          "value": None}),
            "outcomes": shown, "not_applicable": len(mine) - len(shown),
            "notes": _notes(rows["notes"], domain.id),
            "photos": [_photo(p, lang) for p in photos if p.domain == domain.id],
        })
    return out


def _facts(visit, scored, lang: str) -> dict:
    """Return the visit facts printed under the title."""
    return {"dates": visit_dates(visit, lang), "started": moment(visit.started_at, lang),
            "ended": moment(visit.ended_at, lang), "team": team_names(visit),
            "status": label(f"status.{visit.status}", lang), "id": str(visit.id),
            "form": f"{scored.form.title.get(lang)} ({label('facts.version', lang)} "
                    f"{scored.form.version})",
            "standards": [f"{set_title(scored, s.id, lang)} ({s.version})"
                          for s in scored.standards]}


def visit_context(visit, scored, rows, lang: str, sensitive: bool = True) -> dict:
    """Return the template context of a visit report.

    sensitive=False withholds the values rule outcomes quote from sensitive questions.
    """
    photos, loaders = printable_photos(rows["photos"], MAX_PHOTOS)
    domains = _domains(scored, rows, photos, lang, sensitive)
    approval = approval_of(visit)
    facility = facility_facts(visit.facility, lang)
    chart_rows = [(d["label"], d["value"], d["score"]) for d in domains]
    return {
        "kind": "visit", "lang": lang, "draft": approval is None, "approval": approval,
        "title": f"{label('report.visit.title', lang)}: {facility['name']}, "
                 f"{visit_dates(visit, lang)}",
        "header_left": facility["name"], "header_right": visit_dates(visit, lang),
        "facility": facility, "visit": _facts(visit, scored, lang),
        "overall": _tally(scored.score.tally, lang) | {
            "facility_score": percent(scored.score.facility_score, lang)},
        "sets": _sets(scored, lang), "domains": domains,
        "critical": grouped_views(scored.score.critical_unmet, scored, lang, sensitive),
        "domain_chart": bar_chart(chart_rows, label("score.title", lang)),
        "carried": findings_for(visit),
        "general_notes": _notes(rows["notes"], None),
        "general_photos": [_photo(p, lang) for p in photos if p.domain is None],
        "photos_left": max(len(rows["photos"]) - len(photos), 0),
        "photo_loaders": loaders, "day": day,
    }
