"""Three visits scored by hand, rule by rule, with every expected number written out.

Weights: critical 3, major 2, minor 1; a per-regime rule's weight is shared equally by
the regimes it is checked for. score = 100 × met ÷ (met + not met); coverage =
(met + not met) ÷ (met + not met + not assessed); the facility score is the mean of
the domain scores that exist.
"""

from pathlib import Path

import pytest

from server.forms import load_form, load_standard_sets
from server.scoring import Facility, score_visit

ROOT = Path(__file__).resolve().parents[2] / "forms"
FORM = load_form(ROOT / "detention-visit.yaml")
SETS = {s.id: s for s in load_standard_sets(ROOT / "standards")}


def _sets(*ids):
    return [SETS[i] for i in ids]


def _check(visit, domains, sets, facility, coverage, critical):
    for domain, (score, cov) in domains.items():
        tally = visit.domain(domain).tally
        assert tally.score == (None if score is None else pytest.approx(score, abs=1e-9)), domain
        assert tally.coverage == pytest.approx(cov, abs=1e-12), domain
    for set_id, (score, cov) in sets.items():
        tally = visit.standard_set(set_id).tally
        assert tally.score == pytest.approx(score, abs=1e-9), set_id
        assert tally.coverage == pytest.approx(cov, abs=1e-12), set_id
    assert visit.facility_score == pytest.approx(facility, abs=1e-9)
    assert visit.coverage == pytest.approx(coverage, abs=1e-12)
    assert [r.rule.id for r in visit.critical_unmet] == critical
    assert [r.rule.id for r in visit.rules[:len(critical)]] == critical


def test_maximum_security_colony_with_strict_and_regular_conditions():
    """colony_maximum (strict, regular), men; Mandela Rules and Kazakh law.

    nutrition  water ✓3, food ✗2, diets ✓1                         4/6   = 66.67
    heating    ventilation ✓2, light ✗2, 30 m² ÷ 10 = 3.0 ≥ 2.5 ✓2  4/6   = 66.67
    hot_water  1 shower ✓2, temperature ✓2, toilet ✗2, hygiene ?1  4/6   = 66.67, cov 6/7
    medical    doctor ✓2, 2 days ✗2, medicines ✓2, referral ✗2,
               confidentiality ?1, injuries ✓3                      7/11  = 63.64, cov 11/12
    walk       Mandela 60 min: strict ✓1.5, regular (120) ✓1.5;
               CEC 138 strict 1.5 h = 90 min: 60 ✗2                  3/5   = 60.00
    phone      family contact used as punishment ✗3; CEC: call 15 min ✓1;
               strict 2 MCI ✓1, parcels 2 ✓2, small parcels 1 ✗2, 3 short ✓2;
               regular 5 MCI ✓1, parcels 4 ✓2, small 4 ✓2, short −1 (free) ✓2,
               long 0 ✗2                                             13/20 = 65.00
    safeguards complaints ✓3, information ✓2, interviews ✓3,
               2 allegations ✗3, solitary 0 ✓3                       11/14 = 78.57
    work       forced no ✓3, paid ✓2, general education ?2           5/5   = 100, cov 5/7
    facility = (200 + 700/11 + 60 + 65 + 550/7 + 100) / 8 = 43675/616 = 70.90
    Mandela 36/52 = 69.23 (cov 52/56); kz-law 15/21 = 71.43 (cov 1); coverage 73/77.
    """
    facility = Facility("colony_maximum", ("strict", "regular"), ("men",))
    answers = [
        ("nutrition.drinking_water_always", None, True),
        ("nutrition.food_adequate_quality", None, False),
        ("nutrition.special_diets_provided", None, True),
        ("ventilation.adequate", None, True), ("light.natural_light_in_cells", None, False),
        ("space.cell_area_m2", None, 30), ("space.cell_occupants", None, 10),
        ("heating.cold_season", None, False),
        ("hot_water.showers_per_week", None, 1), ("hot_water.shower_temperature_ok", None, True),
        ("sanitation.toilet_partitioned", None, False),
        ("medical.doctor_on_site", None, True), ("medical.days_to_see_doctor", None, 2),
        ("medical.medicines_available", None, True),
        ("medical.outside_care_without_head_approval", None, False),
        ("medical.injuries_documented_and_reported", None, True),
        ("walk.minutes_per_day", "strict", 60), ("walk.minutes_per_day", "regular", 120),
        ("visits.family_contact_used_as_punishment", None, True),
        ("phone.call_max_minutes", None, 15),
        ("shop.spending_limit_mci_per_month", "strict", 2),
        ("parcels.per_year", "strict", 2), ("parcels.small_per_year", "strict", 1),
        ("visits.short_per_year", "strict", 3),
        ("shop.spending_limit_mci_per_month", "regular", 5),
        ("parcels.per_year", "regular", 4), ("parcels.small_per_year", "regular", 4),
        ("visits.short_per_year", "regular", -1), ("visits.long_per_year", "regular", 0),
        ("safeguards.confidential_complaints", None, True),
        ("safeguards.rights_information_posted", None, True),
        ("safeguards.private_interviews_allowed", None, True),
        ("safeguards.ill_treatment_allegations", None, 2),
        ("safeguards.solitary_over_15_days", None, 0),
        ("work.forced", None, False), ("work.employed_pct", None, 40), ("work.paid", None, True),
    ]
    visit = score_visit(FORM, _sets("mandela", "kz-law"), facility, answers)
    _check(visit,
           domains={"nutrition": (400 / 6, 1), "heating": (400 / 6, 1),
                    "hot_water": (400 / 6, 6 / 7), "medical": (700 / 11, 11 / 12),
                    "walk": (60, 1), "phone": (65, 1), "safeguards": (1100 / 14, 1),
                    "work": (100, 5 / 7)},
           sets={"mandela": (3600 / 52, 52 / 56), "kz-law": (1500 / 21, 1)},
           facility=43675 / 616, coverage=73 / 77,
           critical=["mandela-1-no-ill-treatment", "mandela-43-3-family-contact"])
    space = next(r for r in visit.rules if r.rule.id == "kz-cec-115-1-space-men")
    assert (space.value, space.source, space.threshold) == (3.0, "derived", 2.5)
    walks = {(r.rule.id, r.regime): (r.outcome, r.weight, r.threshold, r.unit)
             for r in visit.rules if r.rule.indicator == "walk.minutes_per_day"}
    assert walks == {
        ("mandela-23-1-outdoor-exercise", "regular"): ("met", 1.5, 60, "min"),
        ("mandela-23-1-outdoor-exercise", "strict"): ("met", 1.5, 60, "min"),
        ("kz-cec-maximum-strict-walk", "strict"): ("not_met", 2.0, 90, "min"),
        **{(rid, None): ("not_applicable", 0.0, t, "min") for rid, t in [
            ("kz-cec-extraordinary-strict-walk", 90), ("kz-cec-full-strict-walk", 60),
            ("kz-cec-full-regular-walk", 90), ("kz-cec-full-eased-walk", 120),
            ("kz-cec-lifers-strict-walk", 60), ("kz-cec-lifers-regular-walk", 90),
            ("kz-cec-lifers-eased-walk", 120)]},
    }


def test_crowded_pre_trial_detention_centre():
    """sizo, men and juveniles, no regimes; Mandela, CPT and Kazakh law.

    nutrition  water ✓3, food ✓2, diets ?1                              5/5  = 100, cov 5/6
    heating    20 m² ÷ 10 = 2.0 m²: CPT 4 ✗2, Muršić 3 ✗3, L353 2.5 ✗2;
               ventilation ✗2, light ✓2                                   2/11 = 18.18
    hot_water  1 shower ✓2, temperature ✗2, toilet ✗2 (Mandela) ✗2 (CPT),
               hygiene ✓1                                                 3/9  = 33.33
    medical    doctor ✓2, 1 day ✓2, medicines ✗2, referral ✓2,
               confidentiality ✓1, injuries ✓3, screening 48 h > 24 ✗2   10/14 = 71.43
    walk       30 min: Mandela ✗3, CPT ✗3; yard ✓1                       1/7  = 14.29
    phone      family contact not used as punishment ✓3                  3/3  = 100
    safeguards complaints ✗3, information ✓2, interviews ✓3,
               allegations 0 ✓3, solitary 0 ✓3                           11/14 = 78.57
    work       forced no ✓3, general education ✓2, 2 h out of cell ✗1
               (paid: not applicable, employment is not asked in a SIZO)  5/6  = 83.33
    facility = (200 + 200/11 + 350/3 + 1150/7) / 8 = 28825/462 = 62.39
    Mandela 39/53 (cov 53/54); CPT 1/14 (cov 1); kz-law 0/2; coverage 69/70.
    """
    facility = Facility("sizo", (), ("men", "juveniles"))
    answers = [
        ("nutrition.drinking_water_always", None, True),
        ("nutrition.food_adequate_quality", None, True),
        ("space.cell_area_m2", None, 20), ("space.cell_occupants", None, 10),
        ("ventilation.adequate", None, False), ("light.natural_light_in_cells", None, True),
        ("hot_water.showers_per_week", None, 1),
        ("hot_water.shower_temperature_ok", None, False),
        ("sanitation.toilet_partitioned", None, False),
        ("sanitation.hygiene_items_provided", None, True),
        ("medical.doctor_on_site", None, True), ("medical.days_to_see_doctor", None, 1),
        ("medical.medicines_available", None, False),
        ("medical.outside_care_without_head_approval", None, True),
        ("medical.confidential_consultation", None, True),
        ("medical.injuries_documented_and_reported", None, True),
        ("medical.admission_exam_within_hours", None, 48),
        ("walk.minutes_per_day", None, 30), ("walk.yard_adequate", None, True),
        ("visits.family_contact_used_as_punishment", None, False),
        ("safeguards.confidential_complaints", None, False),
        ("safeguards.rights_information_posted", None, True),
        ("safeguards.private_interviews_allowed", None, True),
        ("safeguards.ill_treatment_allegations", None, 0),
        ("safeguards.solitary_over_15_days", None, 0),
        ("work.forced", None, False), ("education.general_available", None, True),
        ("activity.hours_out_of_cell", None, 2),
    ]
    visit = score_visit(FORM, _sets("mandela", "cpt", "kz-law"), facility, answers)
    _check(visit,
           domains={"nutrition": (100, 5 / 6), "heating": (200 / 11, 1),
                    "hot_water": (100 / 3, 1), "medical": (1000 / 14, 1),
                    "walk": (100 / 7, 1), "phone": (100, 1), "safeguards": (1100 / 14, 1),
                    "work": (500 / 6, 1)},
           sets={"mandela": (3900 / 53, 53 / 54), "cpt": (100 / 14, 1), "kz-law": (0, 1)},
           facility=28825 / 462, coverage=69 / 70,
           critical=["cpt-gr2-48-outdoor-exercise", "echr-mursic-3m2",
                     "mandela-23-1-outdoor-exercise", "mandela-57-2-confidential-complaints"])
    outcomes = {r.rule.id: r.outcome for r in visit.rules}
    assert outcomes["mandela-103-1-remuneration"] == "not_applicable"
    assert outcomes["cpt-2015-44-space-single"] == "not_applicable"
    assert outcomes["kz-l353-22-2-sanitary-area"] == "not_met"


def test_police_cells_with_no_water():
    """ivs, men; Mandela, CPT and recommended practice. Many answers missing.

    nutrition  water always ✗3, 0.5 l < 2 ✗2; food ?2, diets ?1, shop prices ?1
                                                                   0/5   = 0,   cov 5/9
    heating    ventilation ✗2, light ✗2, 7 m² ≥ 4 ✓2, ≥ 3 ✓3, 12 °C < 18 ✗2  5/11 = 45.45
    hot_water  0 showers ✗2 (temperature: not applicable), toilet ✗2 ✗2,
               hygiene ✗1, hot water 0 h ✗2, 30 per toilet > 25 ✗2       0/11  = 0
    medical    injuries ✓3, screening 6 h ✓2; five others ?9          5/5   = 100, cov 5/14
    walk       0 min: Mandela ✗3, CPT ✗3; yard ✗1                     0/7   = 0
    phone      daily call ✗1, video calls ✗1; family contact ?3, e-mail ?1
                                                                   0/2   = 0,   cov 2/6
    safeguards complaints ✓3, information ✓2, interviews ✓3, 1 allegation ✗3,
               solitary 0 ✓3, lawyer/doctor/notification ✓3, video ✗2  14/19 = 73.68
    work       forced ?3 (paid, general education: not applicable)    none,  cov 0
    facility = (500/11 + 100 + 1400/19) / 7 = 45800/1463 = 31.31 (work has no score)
    Mandela 14/32 = 43.75 (cov 32/50); CPT 10/16 = 62.5; recommended 0/12 (cov 12/14);
    coverage 60/80.
    """
    facility = Facility("ivs", (), ("men",))
    answers = [
        ("nutrition.drinking_water_always", None, False),
        ("nutrition.drinking_water_litres_per_day", None, 0.5),
        ("ventilation.adequate", None, False), ("light.natural_light_in_cells", None, False),
        ("space.m2_per_person", None, 7),
        ("heating.cold_season", None, True), ("heating.cell_temperature_c", None, 12),
        ("hot_water.showers_per_week", None, 0), ("hot_water.available_hours_per_day", None, 0),
        ("sanitation.toilet_partitioned", None, False),
        ("sanitation.persons_per_toilet", None, 30),
        ("sanitation.hygiene_items_provided", None, False),
        ("medical.injuries_documented_and_reported", None, True),
        ("medical.admission_exam_within_hours", None, 6),
        ("walk.minutes_per_day", None, 0), ("walk.yard_adequate", None, False),
        ("phone.daily_call_possible", None, False), ("phone.video_calls_available", None, False),
        ("safeguards.confidential_complaints", None, True),
        ("safeguards.rights_information_posted", None, True),
        ("safeguards.private_interviews_allowed", None, True),
        ("safeguards.ill_treatment_allegations", None, 1),
        ("safeguards.solitary_over_15_days", None, 0),
        ("safeguards.lawyer_doctor_notification_from_outset", None, True),
        ("safeguards.video_recording_continuous", None, False),
    ]
    visit = score_visit(FORM, _sets("mandela", "cpt", "recommended"), facility, answers)
    _check(visit,
           domains={"nutrition": (0, 5 / 9), "heating": (500 / 11, 1), "hot_water": (0, 1),
                    "medical": (100, 5 / 14), "walk": (0, 1), "phone": (0, 2 / 6),
                    "safeguards": (1400 / 19, 1), "work": (None, 0)},
           sets={"mandela": (43.75, 32 / 50), "cpt": (62.5, 1), "recommended": (0, 12 / 14)},
           facility=45800 / 1463, coverage=0.75,
           critical=["cpt-gr2-48-outdoor-exercise", "mandela-1-no-ill-treatment",
                     "mandela-22-2-drinking-water", "mandela-23-1-outdoor-exercise"])
    outcomes = {r.rule.id: r.outcome for r in visit.rules}
    assert outcomes["mandela-16-shower-temperature"] == "not_applicable"
    assert outcomes["rec-icrc-drinking-water-3l-locked-in"] == "not_applicable"
    assert outcomes["mandela-104-1-education"] == "not_applicable"
    assert outcomes["mandela-22-1-food"] == "not_assessed"
