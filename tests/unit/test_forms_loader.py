"""Load the shipped checklist and standard sets; report broken files precisely."""

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from server.forms import FormError, check_forms, load_form, load_standard_sets, read_form
from server.forms.vocab import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
FORM_FILE = FORMS / "detention-visit.yaml"

# Every indicator id of ../shared/STANDARDS.md (the contract with reports and clients).
INDICATORS = """
nutrition.meals_per_day nutrition.drinking_water_always nutrition.food_adequate_quality
nutrition.drinking_water_litres_per_day nutrition.special_diets_provided
nutrition.shop_price_markup_pct heating.cell_temperature_c space.m2_per_person
light.natural_light_in_cells ventilation.adequate hot_water.showers_per_week
hot_water.available_hours_per_day hot_water.shower_temperature_ok sanitation.toilet_partitioned
sanitation.persons_per_toilet sanitation.hygiene_items_provided medical.doctor_on_site
medical.admission_exam_within_hours medical.days_to_see_doctor medical.medicines_available
medical.outside_care_without_head_approval medical.confidential_consultation
medical.injuries_documented_and_reported walk.minutes_per_day walk.yard_adequate
phone.calls_allowed_per_month phone.call_max_minutes phone.daily_call_possible
phone.video_calls_available phone.email_service_available visits.short_per_year
visits.long_per_year visits.family_contact_used_as_punishment parcels.per_year
shop.spending_limit_mci_per_month correspondence.letters_unlimited
safeguards.confidential_complaints safeguards.rights_information_posted
safeguards.video_recording_continuous safeguards.ill_treatment_allegations
safeguards.solitary_over_15_days safeguards.lawyer_doctor_notification_from_outset
safeguards.private_interviews_allowed work.employed_pct work.paid work.forced
education.general_available education.higher_distance_possible activity.hours_out_of_cell
""".split()


@pytest.fixture(scope="module")
def form():
    return load_form(FORM_FILE)


def test_shipped_forms_have_no_problem():
    assert check_forms(FORMS) == []


def test_every_indicator_is_a_question(form):
    assert [i for i in INDICATORS if form.question(i) is None] == []
    assert form.id == "detention-visit" and form.version == "1"
    assert [d.id for d in form.domains] == ["nutrition", "heating", "hot_water", "medical",
                                            "walk", "phone", "safeguards", "work"]


def test_domains_take_notes_and_photos(form):
    assert all(d.notes and d.photos for d in form.domains)


def test_every_text_is_in_three_languages_and_kazakh_uses_its_letters(form):
    kazakh = "".join(q.label.kk for q in form.questions)
    for letter in "әғқңөұүі":
        assert letter in kazakh
    for q in form.questions:
        for text in filter(None, [q.label, q.hint, q.constraint and q.constraint.message]):
            assert all(text.get(lang).strip() for lang in LANGUAGES), q.id
        assert q.label.ru != q.label.en and q.label.kk != q.label.ru, q.id


def test_question_types_and_per_regime_flags(form):
    types = {q.type for q in form.questions}
    assert types == {"integer", "decimal", "boolean", "choice", "text", "photo"}
    per_regime = {q.id for q in form.questions if q.per_regime}
    assert {"walk.minutes_per_day", "visits.short_per_year", "visits.long_per_year",
            "parcels.per_year", "shop.spending_limit_mci_per_month"} <= per_regime
    assert all(q.unit for q in form.questions if q.type in ("integer", "decimal"))


def test_m2_per_person_is_derived_from_area_and_occupants(form):
    q = form.question("space.m2_per_person")
    assert (q.derive.numerator, q.derive.denominator) == ("space.cell_area_m2",
                                                          "space.cell_occupants")


def test_loaded_objects_are_immutable_and_hash_by_identity_fields(form):
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.version = "2"
    again = load_form(FORM_FILE)
    assert again == form and hash(again) == hash(form) and again.digest == form.digest
    assert len(form.digest) == 64
    sets = load_standard_sets(FORMS / "standards")
    assert {s.id for s in sets} == {"mandela", "cpt", "kz-law", "recommended", "epr"}
    assert len({hash(s) for s in sets}) == 5


def _copy_forms(tmp_path):
    target = tmp_path / "forms"
    shutil.copytree(FORMS, target, ignore=shutil.ignore_patterns("vectors"))
    return target


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _line_of(path, fragment):
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def test_schema_problem_names_file_line_and_question(tmp_path):
    forms = _copy_forms(tmp_path)
    form_file = forms / "detention-visit.yaml"
    _edit(form_file, "        type: decimal\n        unit: degC",
          "        type: decimel\n        unit: degC")
    problems = check_forms(forms)
    assert len(problems) == 1
    (p,) = problems
    assert p.file == str(form_file) and p.question_id == "heating.cell_temperature_c"
    assert p.line == _line_of(form_file, "type: decimel")
    assert "type" in p.message
    assert re.match(r".+detention-visit\.yaml:\d+: \[heating\.cell_temperature_c\] type", str(p))


def test_missing_translation_and_bad_expression_are_each_reported(tmp_path):
    forms = _copy_forms(tmp_path)
    form_file = forms / "detention-visit.yaml"
    _edit(form_file, "          kk: Камераларда өлшенген ауа температурасы (°C)\n", "")
    problems = check_forms(forms)
    assert [(p.question_id, "kk" in p.message) for p in problems] == [
        ("heating.cell_temperature_c", True)]
    forms = _copy_forms(tmp_path / "again")
    form_file = forms / "detention-visit.yaml"
    _edit(form_file, "relevant: ${heating.cold_season} == true",
          "relevant: ${heating.cold_sesaon} = true")
    (p,) = check_forms(forms)
    assert p.question_id == "heating.cell_temperature_c" and "syntax_error" in p.message
    assert p.line == _line_of(form_file, "cold_sesaon")


def test_unknown_reference_and_duplicate_id(tmp_path):
    forms = _copy_forms(tmp_path)
    form_file = forms / "detention-visit.yaml"
    _edit(form_file, "relevant: ${heating.cold_season} == true",
          "relevant: ${heating.cold_sesaon} == true")
    _edit(form_file, "- id: walk.yard_adequate", "- id: walk.minutes_per_day")
    messages = sorted((p.question_id, p.message) for p in check_forms(forms))
    assert messages == [
        ("heating.cell_temperature_c", "relevant refers to unknown question 'heating.cold_sesaon'"),
        ("walk.minutes_per_day", "question id 'walk.minutes_per_day' is used twice"),
    ]


def test_rule_problems_cite_the_rule_and_its_line(tmp_path):
    forms = _copy_forms(tmp_path)
    std = forms / "standards" / "epr.yaml"
    _edit(std, "    threshold: 2\n    unit: per_week", "    threshold: 2\n    unit: m2")
    _edit(std, "indicator: walk.minutes_per_day", "indicator: walk.minutes_a_day")
    problems = check_forms(forms)
    assert [(p.file, p.question_id, p.message) for p in problems] == [
        (str(std), "hot_water.showers_per_week",
         "rule epr-19-4-showers-twice-weekly: unit m2 cannot be compared with the "
         "question's per_week"),
        (str(std), "walk.minutes_a_day",
         "rule epr-27-1-outdoor-exercise: indicator is not a question of any form"),
    ]
    assert problems[0].line == _line_of(std, "- id: epr-19-4")


def test_out_of_range_threshold_and_wrong_comparison(tmp_path):
    forms = _copy_forms(tmp_path)
    _edit(forms / "standards" / "epr.yaml", "    threshold: 1\n    unit: h",
          "    threshold: 30\n    unit: h")
    _edit(forms / "standards" / "cpt.yaml", 'comparison: "<="\n    threshold: 24',
          "comparison: is_true\n    threshold: 24")
    messages = sorted((Path(p.file).name, p.question_id, p.message) for p in check_forms(forms))
    assert messages == [
        ("cpt.yaml", "medical.admission_exam_within_hours",
         "threshold: comparison is_true takes no threshold"),
        ("epr.yaml", "walk.minutes_per_day",
         "rule epr-27-1-outdoor-exercise: threshold 1800 min lies outside the question's range"),
    ]


def test_invalid_yaml_is_a_problem_not_a_traceback(tmp_path):
    forms = _copy_forms(tmp_path)
    (forms / "standards" / "broken.yaml").write_text("id: x\nrules: [\n", "utf-8")
    (p,) = check_forms(forms)
    assert p.file.endswith("broken.yaml") and p.message.startswith("invalid YAML")
    assert p.line == 3


def test_duplicate_version_is_reported(tmp_path):
    forms = _copy_forms(tmp_path)
    shutil.copy(forms / "standards" / "epr.yaml", forms / "standards" / "epr-copy.yaml")
    messages = [p.message for p in check_forms(forms)]
    assert "epr has 2 files with version 2020" in messages
    assert "epr has 2 files with effective date 2020-07-01" in messages


def test_load_form_raises_with_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad Id\nversion: 1\ndomains: []\n", "utf-8")
    with pytest.raises(FormError) as caught:
        load_form(bad)
    messages = sorted(p.message for p in caught.value.problems)
    assert messages == ["domains: Shorter than minimum length 1.",
                        "effective_date: Missing data for required field.",
                        "id: String does not match expected pattern.",
                        "title: Missing data for required field.",
                        "version: Not a valid string."]
    assert read_form(tmp_path / "missing.yaml")[1][0].message.startswith("cannot read")


def test_empty_directory_reports_no_form(tmp_path):
    (p,) = check_forms(tmp_path)
    assert p.message == "no form file (*.yaml) found"
