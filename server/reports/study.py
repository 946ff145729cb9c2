"""The headline figures of the study Tekseru starts from, each with its source.

From ../shared/STANDARDS.md, "Numbers from the study worth showing in reports".
"""

STUDY = {
    "ru": "Жанозакова и др., «Права заключенных в Республике Казахстан: законодательство и "
          "практика его применения» (2023)",
    "kk": "Жанозакова және т.б., «Қазақстан Республикасындағы сотталғандардың құқықтары: "
          "заңнама және оны қолдану практикасы» (2023)",
    "en": "Zhanozakova et al., \"Rights of Prisoners in the Republic of Kazakhstan: Legislation "
          "and Practice of its Implementation\" (2023)",
}
CEC = {"ru": "УИК РК, ст. 136–145", "kk": "ҚР ҚАК, 136–145-баптар", "en": "CEC RK, art. 136–145"}

FIGURES = (
    {"ru": "2023 год: 34,8 тыс. осужденных, из них трудоустроено 12,2 тыс.; осужденных "
           "привлекают к труду 318 предприятий.",
     "kk": "2023 жыл: 34,8 мың сотталған, оның ішінде 12,2 мыңы жұмысқа орналастырылған; "
           "сотталғандарды 318 кәсіпорын еңбекке тартады.",
     "en": "2023: 34.8 thousand prisoners, 12.2 thousand of them employed; 318 businesses "
           "employ prisoners.",
     "sources": (STUDY,)},
    {"ru": "Лимит ежемесячных расходов — от 1 до 12 МРП; МРП в 2024 году — 3 692 тенге "
           "(≈ 8 долларов США), то есть не более 44 304 тенге в месяц.",
     "kk": "Айлық шығыс лимиті — 1-ден 12 АЕК-ке дейін; 2024 жылы АЕК — 3 692 теңге "
           "(≈ 8 АҚШ доллары), яғни айына 44 304 теңгеден аспайды.",
     "en": "Monthly spending limit of 1 to 12 MCI; the MCI in 2024 is 3,692 tenge (≈ $8), "
           "so at most 44,304 tenge a month.",
     "sources": (STUDY, CEC)},
    {"ru": "Посылки и передачи — от 12 + 12 в год до 1 + 1, в зависимости от условий "
           "содержания.",
     "kk": "Сауқаттар мен сәлемдемелер — жағдайларға байланысты жылына 12 + 12-ден 1 + 1-ге "
           "дейін.",
     "en": "Parcels and hand-ins: from 12 + 12 a year down to 1 + 1, by conditions.",
     "sources": (STUDY, CEC)},
    {"ru": "Телефонные переговоры — до 15 минут, под контролем администрации.",
     "kk": "Телефон арқылы сөйлесу — әкімшіліктің бақылауымен 15 минутқа дейін.",
     "en": "Telephone calls of up to 15 minutes, under supervision.",
     "sources": (STUDY,)},
    {"ru": "Мониторинг 2022 года: пытки установлены в 71 % изученных случаев; жалобы поданы "
           "в 83 %; потерпевшими признаны в 18 %.",
     "kk": "2022 жылғы мониторинг: зерттелген жағдайлардың 71 %-ында азаптау анықталды; "
           "83 %-ында шағым берілді; 18 %-ында жәбірленуші деп танылды.",
     "en": "2022 monitoring: torture was found in 71% of surveyed cases; complaints were "
           "filed in 83%; victims were recognised as such in 18%.",
     "sources": (STUDY,)},
)


def headline_figures(lang: str) -> list[dict]:
    """Return the study's figures in a language, each with its sources."""
    return [{"text": figure[lang], "sources": [source[lang] for source in figure["sources"]]}
            for figure in FIGURES]
