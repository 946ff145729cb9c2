"""Build immutable form and standard-set objects from validated dictionaries."""

from dataclasses import replace

from server.forms.expr import ExprError, parse
from server.forms.model import (
    Choice,
    Citation,
    Constraint,
    Derivation,
    Domain,
    Form,
    Problem,
    Question,
    Rule,
    StandardSet,
    Text,
)
from server.forms.serialize import digest, form_to_dict, standard_set_to_dict


class Collector:
    """Collect problems while building, resolving lines from the raw YAML."""

    def __init__(self, file, lines=None):
        self.file, self.lines, self.problems = file, lines or (lambda path: None), []

    def add(self, path, question_id, message):
        """Record one problem at a data path."""
        self.problems.append(Problem(self.file, self.lines(path), question_id, message))

    def expr(self, source, path, question_id):
        """Parse an optional expression, recording a problem when it fails."""
        if source is None:
            return None
        try:
            return parse(source)
        except ExprError as error:
            self.add(path, question_id, f"{path[-1]}: {error.code}: {error}")
            return None


def text(data):
    """Build a Text from {ru, kk, en}, or None."""
    return Text(data["ru"], data["kk"], data["en"]) if data else None


def _constraint(data, path, qid, out):
    if data is None:
        return None
    expr = out.expr(data.get("expr"), path + ["expr"], qid)
    return Constraint(text(data["message"]), data.get("min"), data.get("max"), expr)


def _question(data, domain, path, out):
    qid = data["id"]
    derive = data.get("derive")
    return Question(
        id=qid, domain=domain, type=data["type"], label=text(data["label"]),
        hint=text(data.get("hint")), unit=data.get("unit"),
        choices=tuple(Choice(c["value"], text(c["label"])) for c in data.get("choices", ())),
        constraint=_constraint(data.get("constraint"), path + ["constraint"], qid, out),
        required=data["required"],
        relevant=out.expr(data.get("relevant"), path + ["relevant"], qid),
        per_regime=data["per_regime"], unlimited=data.get("unlimited"),
        derive=Derivation(derive["numerator"], derive["denominator"]) if derive else None,
        line=out.lines(path),
    )


def build_form(data, out, source=None):
    """Build a Form from a validated dictionary."""
    domains, questions = [], []
    for i, d in enumerate(data["domains"]):
        built = [_question(q, d["id"], ["domains", i, "questions", j], out)
                 for j, q in enumerate(d["questions"])]
        questions.extend(built)
        domains.append(Domain(d["id"], text(d["label"]), d["notes"], d["photos"],
                              tuple(q.id for q in built)))
    form = Form(id=data["id"], version=data["version"], digest="",
                effective_date=data["effective_date"], title=text(data["title"]),
                domains=tuple(domains), questions=tuple(questions), source=source)
    return replace(form, digest=digest(form_to_dict(form, canonical=True)))


def _rule(data, path, out):
    c = data["citation"]
    citation = Citation(text(c["instrument"]), text(c["article"]), text(c["quote"]), c.get("url"))
    return Rule(
        id=data["id"], indicator=data["indicator"], comparison=data["comparison"],
        severity=data["severity"], domain=data["domain"], citation=citation,
        threshold=data.get("threshold"), unit=data.get("unit"), kinds=tuple(data["kinds"]),
        regimes=tuple(data["regimes"]), populations=tuple(data["populations"]),
        when=out.expr(data.get("when"), path + ["when"], data["indicator"]),
        note=text(data.get("note")), line=out.lines(path),
    )


def build_standard_set(data, out, source=None):
    """Build one StandardSet version from a validated dictionary."""
    rules = tuple(_rule(r, ["rules", i], out) for i, r in enumerate(data["rules"]))
    std = StandardSet(id=data["id"], version=data["version"], digest="",
                      effective_date=data["effective_date"], title=text(data["title"]),
                      rules=rules, note=text(data.get("note")), source=source)
    return replace(std, digest=digest(standard_set_to_dict(std, canonical=True)))
