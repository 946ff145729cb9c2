"""Run the shared expression test vectors and a few parser properties."""

import json
from pathlib import Path

import pytest

from server.forms.expr import ExprError, evaluate, parse

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "forms" / "vectors" / "expr.json").read_text("utf-8")
)["vectors"]


def test_there_are_enough_vectors():
    assert len(VECTORS) >= 60
    assert len({v["name"] for v in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(vector):
    if "error" in vector:
        with pytest.raises(ExprError) as caught:
            parse(vector["expr"])
        assert caught.value.code == vector["error"]
        return
    ctx = vector["context"]
    result = evaluate(vector["expr"], ctx["answers"], ctx["facility"], ctx["value"])
    assert result is vector["expected"]


def test_parse_collects_references_and_current_value():
    expr = parse("${a.b} > 1 or (${c.d} == null and . < 3)")
    assert expr.refs == {"a.b", "c.d"}
    assert expr.uses_value


def test_equal_trees_make_equal_expressions():
    assert parse("${a.b}  >  1") == parse("(${a.b} > 1)")
    assert parse("${a.b} not in ('x',)") == parse("not (${a.b} in ('x',))")
    assert hash(parse("1 == 1")) == hash(parse("(1 == 1)"))


def test_facility_may_be_an_object():
    class Facility:
        kind, regimes, populations = "sizo", ("strict",), ()

    assert evaluate("'strict' in facility.regimes and facility.kind == 'sizo'", {}, Facility())


def test_non_string_is_refused():
    with pytest.raises(ExprError):
        parse(3)
