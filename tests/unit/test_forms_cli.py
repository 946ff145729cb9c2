"""The `forms` command group, run through click without the Flask app."""

import shutil
from pathlib import Path

from click.testing import CliRunner

from server.forms import load_form
from server.forms.commands import forms_group

FORMS = Path(__file__).resolve().parents[2] / "forms"


def _run(*args):
    return CliRunner().invoke(forms_group, [str(a) for a in args])


def test_check_passes_on_the_shipped_forms():
    result = _run("check", "--forms-dir", FORMS)
    assert result.exit_code == 0, result.output
    assert "no problem" in result.output


def test_check_lists_problems_and_exits_non_zero(tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(FORMS, forms, ignore=shutil.ignore_patterns("vectors"))
    path = forms / "detention-visit.yaml"
    path.write_text(path.read_text("utf-8").replace("unit: degC", "unit: kelvin"), "utf-8")
    result = _run("check", "--forms-dir", forms)
    assert result.exit_code == 1
    assert "[heating.cell_temperature_c] unit: Must be one of" in result.output
    assert "1 problem(s)" in result.output


def test_export_then_import_writes_an_equivalent_yaml(tmp_path):
    xlsx, yaml_file = tmp_path / "form.xlsx", tmp_path / "form.yaml"
    exported = _run("export-xlsform", xlsx, "--forms-dir", FORMS)
    assert exported.exit_code == 0, exported.output
    imported = _run("import-xlsform", xlsx, yaml_file)
    assert imported.exit_code == 0, imported.output
    original = load_form(FORMS / "detention-visit.yaml")
    assert load_form(yaml_file) == original
    again = _run("import-xlsform", xlsx, yaml_file)
    assert again.exit_code == 1 and "use --force" in again.output


def test_import_refuses_a_non_workbook_with_a_message(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("hello", "utf-8")
    result = _run("import-xlsform", bad, tmp_path / "out.yaml")
    assert result.exit_code == 1
    assert "is not a readable .xlsx workbook" in result.output
    assert "Traceback" not in result.output


def test_export_of_an_unknown_form_is_refused():
    result = _run("export-xlsform", "x.xlsx", "--form", "nope", "--forms-dir", FORMS)
    assert result.exit_code == 1 and "no form 'nope'" in result.output
