"""Closed vocabularies of the checklist: facility kinds, regimes, populations, languages."""

LANGUAGES = ("ru", "kk", "en")
LANGUAGE_NAMES = {"ru": "Russian (ru)", "kk": "Kazakh (kk)", "en": "English (en)"}

# Labels use the official terms of docs GLOSSARY (CEC and Law 353-I forms).
KINDS = {
    "ivs": ("Изолятор временного содержания (ИВС)", "Уақытша ұстау изоляторы",
            "Temporary detention facility (IVS)"),
    "sizo": ("Следственный изолятор (СИЗО)", "Тергеу изоляторы",
             "Pre-trial detention centre (SIZO)"),
    "special_reception": ("Специальный приёмник", "Арнаулы қабылдау орны",
                          "Special reception centre"),
    "colony_minimum": ("Учреждение минимальной безопасности",
                       "Қауіпсіздігі барынша төмен мекеме", "Minimum-security institution"),
    "colony_medium": ("Учреждение средней безопасности", "Орташа қауіпсіз мекеме",
                      "Medium-security institution"),
    "colony_maximum": ("Учреждение максимальной безопасности",
                       "Қауіпсіздігі барынша жоғары мекеме", "Maximum-security institution"),
    "colony_extraordinary": ("Учреждение чрезвычайной безопасности", "Төтенше қауіпсіз мекеме",
                             "Extraordinary-security institution"),
    "colony_full": ("Учреждение полной безопасности", "Толық қауіпсіз мекеме",
                    "Full-security institution"),
    "colony_mixed": ("Учреждение смешанной безопасности", "Қауіпсіздігі аралас мекеме",
                     "Mixed-security institution"),
    "juvenile": ("Учреждение средней безопасности для содержания несовершеннолетних",
                 "Кәмелетке толмағандарды ұстауға арналған орташа қауіпсіз мекеме",
                 "Juvenile institution"),
    "medical": ("Лечебно-профилактическое учреждение", "Емдеу-профилактикалық мекеме",
                "Medical institution"),
}

REGIMES = {
    "strict": ("Строгие условия", "Қатаң жағдайлар", "Strict conditions"),
    "regular": ("Обычные условия", "Дағдылы жағдайлар", "Ordinary conditions"),
    "eased": ("Облегченные условия", "Жеңілдетілген жағдайлар", "Eased conditions"),
    "privileged": ("Льготные условия", "Жеңілдікті жағдайлар", "Privileged conditions"),
}

POPULATIONS = {
    "men": ("Мужчины", "Ерлер", "Men"),
    "women": ("Женщины", "Әйелдер", "Women"),
    "juveniles": ("Несовершеннолетние", "Кәмелетке толмағандар", "Juveniles"),
    "lifers": ("Осужденные к пожизненному лишению свободы",
               "Өмір бойына бас бостандығынан айыруға сотталғандар", "Life-sentenced convicts"),
}

SEVERITY_WEIGHTS = {"critical": 3, "major": 2, "minor": 1}
QUESTION_TYPES = ("integer", "decimal", "boolean", "choice", "text", "photo")
FACILITY_FIELDS = ("kind", "regimes", "populations")


def label(table, key, lang):
    """Return the label of a vocabulary entry in one language."""
    return table[key][LANGUAGES.index(lang)]
