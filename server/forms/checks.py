"""Cross checks a schema cannot express: ids, references, units, rule fit."""

from collections import Counter

from server.forms.model import Problem
from server.forms.units import QUOTIENT_UNITS, UnitError, compatible, convert

NUMERIC = ("integer", "decimal")
_BOOLEAN_COMPARISONS = ("is_true", "is_false")


def _duplicates(values):
    return sorted(v for v, n in Counter(values).items() if n > 1)


def check_form(form):
    """Return the problems inside one form."""
    problems = []

    def add(q, message):
        problems.append(Problem(form.source or form.id, q.line if q else None,
                                q.id if q else None, message))

    for dup in _duplicates(d.id for d in form.domains):
        add(None, f"domain id {dup!r} is used twice")
    for dup in _duplicates(q.id for q in form.questions):
        add(form.question(dup), f"question id {dup!r} is used twice")
    for q in form.questions:
        for message in _question_problems(form, q):
            add(q, message)
    for q in _relevance_cycle(form):
        add(q, "relevant expressions depend on each other in a cycle")
    return problems


def _question_problems(form, q):
    for dup in _duplicates(c.value for c in q.choices):
        yield f"choice {dup!r} is listed twice"
    if q.relevant is not None:
        for ref in sorted(q.relevant.refs - set(form.index)):
            yield f"relevant refers to unknown question {ref!r}"
        if q.id in q.relevant.refs:
            yield "relevant refers to the question itself"
        if q.relevant.uses_value:
            yield "relevant cannot use '.', the current value"
    c = q.constraint
    if c is not None and c.expr is not None and c.expr.refs:
        yield "a constraint may use only '.' and facility, not other answers"
    if q.unlimited is not None and c is not None and _within(q.unlimited, c.min, c.max):
        yield "the unlimited value lies inside the allowed range, so it is ambiguous"
    if q.derive is not None:
        yield from _derive_problems(form, q)


def _within(value, low, high):
    return (low is None or value >= low) and (high is None or value <= high)


def _derive_problems(form, q):
    parts = [form.question(q.derive.numerator), form.question(q.derive.denominator)]
    if None in parts:
        yield "derive refers to an unknown question"
        return
    if any(p.type not in NUMERIC for p in parts):
        yield "derive needs numeric numerator and denominator"
    elif QUOTIENT_UNITS.get((parts[0].unit, parts[1].unit)) != q.unit:
        yield f"{parts[0].unit} ÷ {parts[1].unit} does not give {q.unit}"
    if any(p.per_regime != q.per_regime for p in parts):
        yield "derive mixes per-regime and single questions"


def _relevance_cycle(form):
    graph = {q.id: (q.relevant.refs if q.relevant else frozenset()) for q in form.questions}
    state, cyclic = {}, set()

    def visit(node):
        state[node] = "open"
        for nxt in graph.get(node, ()):
            if state.get(nxt) == "open":
                cyclic.add(nxt)
            elif nxt not in state:
                visit(nxt)
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node)
    return [form.question(qid) for qid in sorted(cyclic)]


def check_versions(items):
    """Return problems for repeated (id, version) or (id, effective date) pairs."""
    problems = []
    for attr in ("version", "effective_date"):
        pairs = Counter((item.id, getattr(item, attr)) for item in items)
        for (item_id, value), n in sorted(pairs.items(), key=str):
            if n > 1:
                where = ", ".join(sorted(i.source or i.id for i in items if i.id == item_id))
                message = f"{item_id} has {n} files with {attr.replace('_', ' ')} {value}"
                problems.append(Problem(where, None, None, message))
    return problems


def check_rule_ids(std):
    """Return problems for rule ids used twice in one standard set."""
    return [Problem(std.source or std.id, None, None, f"rule id {dup!r} is used twice")
            for dup in _duplicates(r.id for r in std.rules)]


def check_rules(std, forms):
    """Return the problems of one standard set against the forms."""
    problems = []
    for rule in std.rules:
        questions = [f.question(rule.indicator) for f in forms if f.question(rule.indicator)]
        messages = [] if questions else ["indicator is not a question of any form"]
        for q in questions:
            messages.extend(_rule_problems(rule, q, forms))
        problems.extend(Problem(std.source or std.id, rule.line, rule.indicator,
                                f"rule {rule.id}: {m}") for m in dict.fromkeys(messages))
    return problems


def _rule_problems(rule, q, forms):
    if rule.domain != q.domain:
        yield f"domain {rule.domain!r} but the question is in {q.domain!r}"
    if rule.when is not None:
        known = set().union(*(f.index.keys() for f in forms))
        for ref in sorted(rule.when.refs - known):
            yield f"when refers to unknown question {ref!r}"
    if rule.comparison in _BOOLEAN_COMPARISONS:
        if q.type != "boolean":
            yield f"{rule.comparison} needs a boolean question, not {q.type}"
    elif rule.comparison == "is_unlimited":
        if q.unlimited is None:
            yield "is_unlimited needs a question with an unlimited value"
    elif q.type not in NUMERIC:
        yield f"{rule.comparison} needs a numeric question, not {q.type}"
    else:
        yield from _threshold_problems(rule, q)


def _threshold_problems(rule, q):
    if not compatible(rule.unit, q.unit):
        yield f"unit {rule.unit} cannot be compared with the question's {q.unit}"
        return
    try:
        value = convert(rule.threshold, rule.unit, q.unit)
    except UnitError as error:
        yield str(error)
        return
    c = q.constraint
    if c is not None and not _within(value, c.min, c.max):
        yield f"threshold {value} {q.unit} lies outside the question's range"
