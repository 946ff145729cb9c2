"""Units of measurement and explicit conversions between them."""

# unit -> (dimension, size of one unit in the dimension's base unit).
# Durations count minutes; frequencies count times a year (a year = 365 days,
# 52 weeks, 12 months, 4 quarters, 2 half-years).
UNITS = {
    "min": ("duration", 1),
    "h": ("duration", 60),
    "day": ("duration", 1440),
    "per_day": ("frequency", 365),
    "per_week": ("frequency", 52),
    "per_month": ("frequency", 12),
    "per_quarter": ("frequency", 4),
    "per_half_year": ("frequency", 2),
    "per_year": ("frequency", 1),
    "m2": ("area", 1),
    "m2/person": ("area_per_person", 1),
    "persons": ("count", 1),
    "persons/toilet": ("persons_per_toilet", 1),
    "degC": ("temperature", 1),
    "l/day": ("volume_per_person_day", 1),
    "pct": ("percent", 1),
    "mci/month": ("money_per_month", 1),
    "number": ("number", 1),  # a plain number, e.g. from an imported XLSForm
}

# A derived indicator's unit from (numerator unit, denominator unit).
QUOTIENT_UNITS = {("m2", "persons"): "m2/person"}

UNIT_LABELS = {
    "min": ("мин", "мин", "min"),
    "h": ("ч", "сағ", "h"),
    "day": ("сут.", "тәул.", "days"),
    "per_day": ("в день", "күніне", "per day"),
    "per_week": ("в неделю", "аптасына", "per week"),
    "per_month": ("в месяц", "айына", "per month"),
    "per_quarter": ("в квартал", "тоқсанына", "per quarter"),
    "per_half_year": ("в полугодие", "жарты жылда", "per six months"),
    "per_year": ("в год", "жылына", "per year"),
    "m2": ("м²", "м²", "m²"),
    "m2/person": ("м² на человека", "адамға шаққанда м²", "m² per person"),
    "persons": ("чел.", "адам", "persons"),
    "persons/toilet": ("чел. на унитаз", "бір дәретханаға адам", "persons per toilet"),
    "degC": ("°C", "°C", "°C"),
    "l/day": ("л на человека в сутки", "адамға тәулігіне литр", "litres per person a day"),
    "pct": ("%", "%", "%"),
    "mci/month": ("МРП в месяц", "айына АЕК", "MCI a month"),
    "number": ("", "", ""),
}


class UnitError(ValueError):
    """A unit is unknown or two units measure different things."""


def dimension(unit):
    """Return the dimension a unit measures."""
    try:
        return UNITS[unit][0]
    except KeyError:
        raise UnitError(f"unknown unit {unit!r}") from None


def compatible(unit_a, unit_b):
    """Tell whether two known units measure the same dimension."""
    return unit_a in UNITS and unit_b in UNITS and dimension(unit_a) == dimension(unit_b)


def convert(value, from_unit, to_unit):
    """Convert a number between two units of the same dimension."""
    if from_unit == to_unit:
        return value
    if not compatible(from_unit, to_unit):
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}")
    result = round(value * UNITS[from_unit][1] / UNITS[to_unit][1], 9)
    return int(result) if float(result).is_integer() else result
