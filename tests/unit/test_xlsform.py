"""XLSForm export passes pyxform and round-trips; foreign XLSForms import or are refused."""

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from server.forms import evaluate, form_to_dict, load_form
from server.forms.xlsform import XLSFormError, export_xlsform, import_xlsform

FORM = load_form(Path(__file__).resolve().parents[2] / "forms" / "detention-visit.yaml")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsform") / "detention-visit.xlsx"
    export_xlsform(FORM, path)
    return path


def test_pyxform_converts_the_export_without_warnings(exported):
    result = convert(str(exported), validate=False)
    assert result.warnings == []
    assert 'id="detention-visit"' in result.xform and 'version="1"' in result.xform
    for language in ("Russian (ru)", "Kazakh (kk)", "English (en)"):
        assert f'lang="{language}"' in result.xform
    assert "Қауіпсіздігі барынша жоғары мекеме" in result.xform


def test_export_sheets_and_per_regime_expansion(exported):
    book = load_workbook(exported)
    assert book.sheetnames == ["survey", "choices", "settings"]
    rows = list(book["survey"].iter_rows(values_only=True))
    header = rows[0]
    assert {"label::Russian (ru)", "label::Kazakh (kk)", "label::English (en)",
            "hint::Kazakh (kk)", "constraint_message::English (en)", "relevant",
            "constraint"} <= set(header)
    by_name = {row[header.index("name")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert [n for n in by_name if str(n).startswith("walk.minutes_per_day")] == [
        "walk.minutes_per_day", "walk.minutes_per_day__strict", "walk.minutes_per_day__regular",
        "walk.minutes_per_day__eased", "walk.minutes_per_day__privileged"]
    strict = by_name["walk.minutes_per_day__strict"]
    assert strict["relevant"] == "selected(${facility_regimes}, 'strict')"
    assert strict["label::English (en)"].endswith("— Strict conditions")
    temperature = by_name["heating.cell_temperature_c"]
    assert temperature["relevant"] == "${heating.cold_season} = 'yes'"
    assert temperature["constraint"] == ". >= -30 and . <= 45"
    assert temperature["type"] == "decimal" and temperature["required"] == "yes"
    parcels = by_name["parcels.per_year"]
    assert parcels["constraint"] == ". = -1 or (. >= 0 and . <= 365)"
    assert by_name["work.employed_pct"]["relevant"] == (
        "not(selected('ivs sizo special_reception', ${facility_kind}))")
    assert by_name["heating.system"]["type"] == "select_one heating_system"
    assert by_name["nutrition._notes"]["bind::tekseru:attachment"] == "notes"


def test_round_trip_gives_an_equivalent_form(exported):
    imported, warnings = import_xlsform(exported)
    assert warnings == []
    assert imported == FORM and imported.digest == FORM.digest
    assert form_to_dict(imported, canonical=True) == form_to_dict(FORM, canonical=True)
    for q in FORM.questions:
        assert imported.question(q.id).relevant == q.relevant, q.id


def _sheet(book, title, rows):
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(list(row))


def _foreign(path):
    """An XLSForm made elsewhere, using features Tekseru does not have."""
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "survey", [
        ("type", "name", "label::English (en)", "label::Russian (ru)", "relevant", "constraint",
         "calculation", "choice_filter"),
        ("start", "start", None, None, None, None, None, None),
        ("begin group", "Household", "Household", "Домохозяйство", None, None, None, None),
        ("select_one yes_no", "consent", "Consent?", "Согласие?", None, None, None, None),
        ("integer", "age", "Age", "Возраст", "${consent} = 'yes'", ". >= 18", None, None),
        ("calculate", "double_age", None, None, None, None, "${age} * 2", None),
        ("begin repeat", "members", "Members", None, None, None, None, None),
        ("text", "member_name", "Name", None, None, None, None, None),
        ("end repeat", None, None, None, None, None, None, None),
        ("select_one district", "district", "District", "Район", None, None, None, None),
        ("select_one village", "village", "Village", "Село", None, None, None,
         "district=${district}"),
        ("select_multiple colours", "colours", "Colours", None, None, None, None, None),
        ("decimal", "weight", "Weight", "Вес", "${double_age} > 10", ". > 0 and . < 300",
         None, None),
        ("note", "thanks", "Thank you", None, None, None, None, None),
        ("geopoint", "location", "Where?", None, None, None, None, None),
        ("end group", None, None, None, None, None, None, None),
        ("text", "comment", "Comment", "Комментарий", None, None, None, None),
    ])
    _sheet(book, "choices", [
        ("list_name", "name", "label::English (en)", "district"),
        ("yes_no", "yes", "Yes", None), ("yes_no", "no", "No", None),
        ("district", "north", "North", None), ("district", "south", "South", None),
        ("village", "v1", "Village 1", "north"), ("village", "v2", "Village 2", "south"),
        ("colours", "red", "Red", None), ("colours", "blue", "Blue", None),
    ])
    _sheet(book, "settings", [("form_title", "form_id", "version"),
                              ("Household survey", "household_survey", 2024)])
    book.save(path)
    return path


def test_foreign_xlsform_imports_what_it_can_and_names_each_skipped_row(tmp_path):
    form, warnings = import_xlsform(_foreign(tmp_path / "foreign.xlsx"))
    assert form.id == "household-survey" and form.version == "2024"
    assert [d.id for d in form.domains] == ["household", "general"]
    assert [q.id for q in form.questions] == [
        "household.consent", "household.age", "household.district", "household.village",
        "household.weight", "general.comment"]
    assert form.question("household.consent").type == "boolean"
    age = form.question("household.age")
    assert str(age.relevant) == "${household.consent} == true" and age.constraint.min == 18
    assert evaluate(age.relevant, {"household.consent": True})
    weight = form.question("household.weight")
    assert str(weight.constraint.expr) == ". > 0 and . < 300" and weight.relevant is None
    assert form.question("household.village").choice_values() == ("v1", "v2")
    assert form.question("general.comment").label.kk == "Comment"
    expected = [
        "survey row 2: type 'start' is not supported; 'start' skipped",
        "survey row 6: type 'calculate' is not supported; 'double_age' skipped",
        "survey row 7: repeat 'members' is not supported; its rows are skipped",
        "survey row 8: 'member_name' skipped (inside repeat 'members')",
        "survey row 11: cascading select: the choice_filter of 'village' is dropped",
        "survey row 12: type 'select_multiple colours' is not supported; 'colours' skipped",
        "survey row 13: relevant of 'household.weight' is not imported "
        "(${double_age} is not an imported question)",
        "survey row 14: type 'note' is not supported; 'thanks' skipped",
        "survey row 15: type 'geopoint' is not supported; 'location' skipped",
    ]
    for message in expected:
        assert message in warnings
    assert "survey row 5: 'household.age' has no unit; 'number' assumed" in warnings
    assert "survey row 4: 'consent' renamed to 'household.consent'" in warnings
    assert "no kk texts in some columns: copied from another language" in warnings


def test_each_expression_is_translated_on_its_own(tmp_path):
    form, _ = import_xlsform(_foreign(tmp_path / "foreign.xlsx"))
    weight = form.question("household.weight")
    assert weight.relevant is None and weight.constraint.min is None
    assert weight.constraint.message.ru == ". > 0 and . < 300"


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("not a workbook", "utf-8"), "is not a readable .xlsx workbook"),
    (lambda p: _only_sheet(p, "questions", [("type", "name")]), "has no 'survey' sheet"),
    (lambda p: _only_sheet(p, "survey", [("kind", "label")]), "needs 'type' and 'name'"),
    (lambda p: _only_sheet(p, "survey", [("type", "name"), ("calculate", "x"),
                                         ("note", "y")]), "no question could be imported"),
])
def test_unusable_xlsforms_are_refused_with_a_clear_message(tmp_path, make, message):
    path = tmp_path / "bad.xlsx"
    make(path)
    with pytest.raises(XLSFormError) as caught:
        import_xlsform(path)
    assert message in str(caught.value)


def _only_sheet(path, title, rows):
    book = Workbook()
    book.remove(book.active)
    _sheet(book, title, rows)
    book.save(path)


@pytest.mark.parametrize("source", [
    "'strict' in facility.regimes",
    "'lifers' in facility.populations and ${a.b} >= 3",
    "facility.regimes",
    "not facility.regimes",
    "${a.b} == null or ${a.b} != null",
    "${c.d} == false and ${c.d} != true",
    "facility.kind == 'sizo'",
    "${a.b} in ('x', 'y')",
    "facility.kind not in ('ivs', 'sizo')",
    "not (${a.b} > 1 or ${c.d} == true)",
    ". >= -1.5 and . <= 10",
    "(${a.b} < 2 or ${a.b} > 5) and . != 0",
])
def test_expressions_survive_the_trip_through_xpath(source):
    from server.forms import parse
    from server.forms.xlsform_expr import from_xpath, to_xpath

    node = parse(source).node
    xpath = to_xpath(node, {"c.d"})
    assert from_xpath(xpath, {"a.b": "a.b", "c.d": "c.d"}, {"c.d"}) == node, xpath


def test_warnings_are_in_row_order(tmp_path):
    _, warnings = import_xlsform(_foreign(tmp_path / "foreign.xlsx"))
    rows = [int(w.split()[2].rstrip(":")) for w in warnings if w.startswith("survey row")]
    assert rows == sorted(rows)
