"""`tekseru forms ...` commands: check the YAML, export and import XLSForms (pure click)."""

import sys
from pathlib import Path

import click
import yaml

from server.forms.loader import check_forms, load_forms
from server.forms.serialize import form_to_dict
from server.forms.versions import select_versions
from server.forms.xlsform import XLSFormError, export_xlsform, import_xlsform

DEFAULT_FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
forms_dir_option = click.option(
    "--forms-dir", envvar="TEKSERU_FORMS_DIR", default=str(DEFAULT_FORMS_DIR),
    show_default=True, type=click.Path(file_okay=False), help="the forms directory")


@click.group("forms")
def forms_group():
    """Checklist forms and standard sets."""


@forms_group.command("check")
@forms_dir_option
def check_command(forms_dir):
    """Check every form and standard set; list each problem and exit 1 if any."""
    problems = check_forms(forms_dir)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo(f"{forms_dir}: no problem")


def _pick_form(forms_dir, form_id, version):
    forms = [f for f in load_forms(forms_dir) if f.id == form_id]
    if version:
        forms = [f for f in forms if f.version == version]
    if not forms:
        raise click.ClickException(f"no form {form_id!r} {version or ''} in {forms_dir}")
    return forms if version else select_versions(forms, "9999-12-31")


@forms_group.command("export-xlsform")
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--form", "form_id", default="detention-visit", show_default=True)
@click.option("--version", default=None, help="a form version (default: the latest)")
@forms_dir_option
def export_command(output, form_id, version, forms_dir):
    """Write a checklist as an XLSForm workbook (.xlsx)."""
    (form,) = _pick_form(forms_dir, form_id, version)
    try:
        export_xlsform(form, output)
    except XLSFormError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {form.id} version {form.version} to {output}")


@forms_group.command("import-xlsform")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="overwrite OUTPUT if it exists")
def import_command(source, output, force):
    """Read an XLSForm and write it as a Tekseru form YAML file."""
    if Path(output).exists() and not force:
        raise click.ClickException(f"{output} exists; use --force to overwrite it")
    try:
        form, warnings = import_xlsform(source)
    except XLSFormError as error:
        raise click.ClickException(str(error)) from None
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    text = yaml.safe_dump(form_to_dict(form), allow_unicode=True, sort_keys=False, width=100)
    Path(output).write_text(text, "utf-8")
    click.echo(f"wrote {form.id} ({len(form.questions)} questions) to {output}")
