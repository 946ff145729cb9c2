"""Immutable checklist and standard-set objects, hashed by id, version and digest."""

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from server.forms.expr import Expr


@dataclass(frozen=True)
class Text:
    """A text in the three languages of the checklist."""

    ru: str
    kk: str
    en: str

    def get(self, lang):
        """Return the text in one language."""
        return getattr(self, lang)

    def to_dict(self):
        """Return the text as {ru, kk, en}."""
        return {"ru": self.ru, "kk": self.kk, "en": self.en}


@dataclass(frozen=True)
class Choice:
    """One choice of a choice question."""

    value: str
    label: Text


@dataclass(frozen=True)
class Constraint:
    """A range and an optional expression a value must satisfy, with its message."""

    message: Text
    min: float | None = None
    max: float | None = None
    expr: Expr | None = None


@dataclass(frozen=True)
class Derivation:
    """An indicator computed as numerator ÷ denominator when not answered itself."""

    numerator: str
    denominator: str


@dataclass(frozen=True)
class Question:
    """One checklist question; its id is the indicator id rules refer to."""

    id: str
    domain: str
    type: str
    label: Text
    hint: Text | None = None
    unit: str | None = None
    choices: tuple = ()
    constraint: Constraint | None = None
    required: bool = False
    relevant: Expr | None = None
    per_regime: bool = False
    unlimited: float | None = None
    derive: Derivation | None = None
    line: int | None = field(default=None, compare=False)

    def choice_values(self):
        """Return the allowed values of a choice question."""
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True)
class Domain:
    """A group of questions; notes and photos may be attached to it."""

    id: str
    label: Text
    notes: bool
    photos: bool
    question_ids: tuple


@dataclass(frozen=True)
class Form:
    """A versioned checklist."""

    id: str
    version: str
    digest: str
    effective_date: date = field(compare=False)
    title: Text = field(compare=False)
    domains: tuple = field(compare=False, repr=False)
    questions: tuple = field(compare=False, repr=False)
    source: str | None = field(default=None, compare=False, repr=False)
    index: MappingProxyType = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "index", MappingProxyType({q.id: q for q in self.questions}))

    def question(self, question_id):
        """Return a question by id, or None."""
        return self.index.get(question_id)


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: instrument, article and a short quote."""

    instrument: Text
    article: Text
    quote: Text
    url: str | None = None


@dataclass(frozen=True)
class Rule:
    """One standard: an indicator compared with a threshold, for some facilities."""

    id: str
    indicator: str
    comparison: str
    severity: str
    domain: str
    citation: Citation
    threshold: float | None = None
    unit: str | None = None
    kinds: tuple = ()
    regimes: tuple = ()
    populations: tuple = ()
    when: Expr | None = None
    note: Text | None = None
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class StandardSet:
    """One version of a standard set."""

    id: str
    version: str
    digest: str
    effective_date: date = field(compare=False)
    title: Text = field(compare=False)
    rules: tuple = field(compare=False, repr=False)
    note: Text | None = field(default=None, compare=False, repr=False)
    source: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Problem:
    """One problem found in a form or standard file."""

    file: str
    line: int | None
    question_id: str | None
    message: str

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        about = f" [{self.question_id}]" if self.question_id else ""
        return f"{where}:{about} {self.message}"


class FormError(ValueError):
    """Raised when a form or standard file has problems."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
