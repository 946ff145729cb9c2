"""Rule outcomes as a report prints them: value found, threshold, citation, in one language."""

from ..forms.units import UNIT_LABELS
from ..scope import is_sensitive_outcome
from .formatting import COMPARISON_SIGNS, label, number

SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}
OUTCOME_ORDER = {"not_met": 0, "not_assessed": 1, "met": 2, "not_applicable": 3}
LANGS = ("ru", "kk", "en")


def unit_label(unit: str | None, lang: str) -> str:
    """Return a unit's label in a language ('' for none)."""
    if not unit or unit not in UNIT_LABELS:
        return ""
    return UNIT_LABELS[unit][LANGS.index(lang)]


def value_text(value, question, unit: str | None, lang: str) -> str:
    """Format an answered or derived value with its unit."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return label("rule.yes" if value else "rule.no", lang)
    if question is not None and question.unlimited is not None and value == question.unlimited:
        return label("rule.unlimited", lang)
    if question is not None and question.choices and isinstance(value, str):
        choice = next((c for c in question.choices if c.value == value), None)
        return choice.label.get(lang) if choice else value
    if isinstance(value, int | float):
        return f"{number(value, lang, 2)} {unit_label(unit, lang)}".strip()
    return str(value)


def threshold_text(comparison: str, threshold, unit: str | None, lang: str) -> str:
    """Format what a rule requires: ≥ 3 per day, yes, unlimited."""
    if comparison in ("is_true", "is_false", "is_unlimited"):
        return label(f"rule.{comparison}", lang)
    sign = COMPARISON_SIGNS.get(comparison, comparison)
    return f"{sign} {number(threshold, lang, 2)} {unit_label(unit, lang)}".strip()


def set_title(scored, set_id: str, lang: str) -> str:
    """Return a standard set's title in a language."""
    std = next((s for s in scored.standards if s.id == set_id), None)
    return std.title.get(lang) if std else set_id


def set_short(scored, set_id: str, lang: str) -> str:
    """Return a standard set's short name for table headings."""
    short = label(f"set.{set_id}", lang)
    return set_title(scored, set_id, lang) if short == f"set.{set_id}" else short


def rule_view(result, scored, lang: str, sensitive: bool = True) -> dict:
    """Return one rule result ready for a template.

    sensitive=False (a reader who may not read sensitive answers, server/scope.py) withholds
    the value of an outcome quoting a sensitive question: "—" and `withheld` instead.
    """
    rule, citation = result.rule, result.rule.citation
    question = scored.form.question(rule.indicator)
    withheld = not sensitive and is_sensitive_outcome(
        rule.domain, rule.indicator, question.derive if question else None)
    return {
        "rule_id": rule.id,
        "set_id": result.set_id,
        "indicator": question.label.get(lang) if question else rule.indicator,
        "indicator_id": rule.indicator,
        "domain": rule.domain,
        "severity": rule.severity,
        "severity_label": label(f"severity.{rule.severity}", lang),
        "outcome": result.outcome,
        "outcome_label": label(f"outcome.{result.outcome}", lang),
        "regime": label(f"regime.{result.regime}", lang) if result.regime else "",
        "value": "—" if withheld else value_text(result.value, question, result.unit, lang),
        "withheld": withheld,
        "threshold": threshold_text(rule.comparison, result.threshold, result.unit, lang),
        "set_title": set_title(scored, result.set_id, lang),
        "set_short": set_short(scored, result.set_id, lang),
        "instrument": citation.instrument.get(lang),
        "article": citation.article.get(lang),
        "quote": citation.quote.get(lang),
        "url": citation.url or "",
    }


def report_order(view: dict) -> tuple:
    """Order outcomes for print: unmet first, the most severe first."""
    return (OUTCOME_ORDER[view["outcome"]], SEVERITY_ORDER[view["severity"]], view["rule_id"],
            view["regime"])


def grouped_views(results, scored, lang: str, sensitive: bool = True) -> list[dict]:
    """Return one view per rule of a set; a rule asked per regime lists each regime's value.

    sensitive=False withholds sensitive values (see rule_view).
    """
    groups: dict = {}
    for result in results:
        groups.setdefault((result.set_id, result.rule.id), []).append(result)
    views = []
    for members in groups.values():
        shown = [m for m in members if m.outcome != "not_applicable"] or members
        worst = min(shown, key=lambda m: OUTCOME_ORDER[m.outcome])
        view = rule_view(worst, scored, lang, sensitive)
        if len(shown) > 1:
            parts = [(rule_view(m, scored, lang, sensitive)) for m in shown]
            values = {p["value"] for p in parts}
            view["regime"] = ""
            view["value"] = values.pop() if len(values) == 1 else "; ".join(
                f"{p['regime']}: {p['value']}" for p in parts)
        views.append(view)
    return sorted(views, key=report_order)
