"""Turn forms and standard sets back into plain, JSON-ready dictionaries."""

import hashlib
import json

from server.forms.exprtext import unparse


def _expr(expr, canonical):
    if expr is None:
        return None
    return unparse(expr.node) if canonical else expr.source


def _is_empty(value):
    return value is None or value is False or (isinstance(value, list | tuple) and not value)


def _drop_empty(data):
    return {k: v for k, v in data.items() if not _is_empty(v) or k == "required"}


def question_to_dict(q, canonical=False):
    """Return a question as in the form YAML."""
    data = {
        "id": q.id, "type": q.type, "unit": q.unit, "label": q.label.to_dict(),
        "hint": q.hint.to_dict() if q.hint else None, "required": q.required,
        "relevant": _expr(q.relevant, canonical), "per_regime": q.per_regime,
        "unlimited": q.unlimited,
        "choices": [{"value": c.value, "label": c.label.to_dict()} for c in q.choices],
    }
    if q.constraint:
        c = q.constraint
        data["constraint"] = _drop_empty({"min": c.min, "max": c.max,
                                          "expr": _expr(c.expr, canonical),
                                          "message": c.message.to_dict()})
    if q.derive:
        data["derive"] = {"numerator": q.derive.numerator, "denominator": q.derive.denominator}
    return _drop_empty(data)


def form_to_dict(form, canonical=False):
    """Return a form as in its YAML file (expressions canonical on request)."""
    domains = []
    for d in form.domains:
        questions = [question_to_dict(form.question(qid), canonical) for qid in d.question_ids]
        domains.append({"id": d.id, "label": d.label.to_dict(), "notes": d.notes,
                        "photos": d.photos, "questions": questions})
    return {"id": form.id, "version": form.version,
            "effective_date": form.effective_date.isoformat(),
            "title": form.title.to_dict(), "domains": domains}


def rule_to_dict(rule, canonical=False):
    """Return a rule as in its standard-set YAML."""
    c = rule.citation
    citation = _drop_empty({"instrument": c.instrument.to_dict(), "article": c.article.to_dict(),
                            "quote": c.quote.to_dict(), "url": c.url})
    data = {
        "id": rule.id, "indicator": rule.indicator, "domain": rule.domain,
        "comparison": rule.comparison, "threshold": rule.threshold, "unit": rule.unit,
        "kinds": list(rule.kinds), "regimes": list(rule.regimes),
        "populations": list(rule.populations), "when": _expr(rule.when, canonical),
        "severity": rule.severity, "citation": citation,
        "note": rule.note.to_dict() if rule.note else None,
    }
    return _drop_empty(data)


def standard_set_to_dict(std, canonical=False):
    """Return one version of a standard set as in its YAML file."""
    data = {"id": std.id, "version": std.version,
            "effective_date": std.effective_date.isoformat(), "title": std.title.to_dict(),
            "note": std.note.to_dict() if std.note else None,
            "rules": [rule_to_dict(r, canonical) for r in std.rules]}
    return _drop_empty(data)


def digest(data):
    """Return the SHA-256 of a dictionary's canonical JSON."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
