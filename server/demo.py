"""Demo data: two commissions, their people and a facility of every kind (idempotent)."""

import uuid

from sqlalchemy import select

from .auth.operations import create_user
from .extensions import db
from .models import Commission, Facility, User

DEMO_PASSWORD = "tekseru-demo"  # noqa: S105 - demo only, refused in production
NAMESPACE = uuid.UUID("6f1d2c1e-3f1b-4f44-9d8e-7e8a2b9c0d11")

COMMISSIONS = [
    {"slug": "almaty", "region": "almaty",
     "name_ru": "Общественная наблюдательная комиссия г. Алматы",
     "name_kk": "Алматы қаласының қоғамдық байқау комиссиясы",
     "name_en": "Public Monitoring Commission of Almaty"},
    {"slug": "karaganda", "region": "karaganda",
     "name_ru": "Общественная наблюдательная комиссия Карагандинской области",
     "name_kk": "Қарағанды облысының қоғамдық байқау комиссиясы",
     "name_en": "Public Monitoring Commission of Karaganda Region"},
]

USERS = [
    ("chair.almaty", "chair", "almaty", "Айгерим Сейтова"),
    ("inspector.almaty", "inspector", "almaty", "Нурлан Абенов"),
    ("inspector2.almaty", "inspector", "almaty", "Елена Ким"),
    ("chair.karaganda", "chair", "karaganda", "Сергей Волков"),
    ("inspector.karaganda", "inspector", "karaganda", "Жанар Ахметова"),
    ("inspector2.karaganda", "inspector", "karaganda", "Ерлан Жумабаев"),
    ("ombudsman", "ombudsman", None, "Аппарат Уполномоченного по правам человека"),
    ("admin", "admin", None, "Администратор"),
]

# (key, commission, kind, regimes, populations, capacity, ru, kk, en, address)
FACILITIES = [
    ("almaty-ivs", "almaty", "ivs", [], ["men", "women"], 60,
     "ИВС Департамента полиции г. Алматы (демо)",
     "Алматы қаласы Полиция департаментінің уақытша ұстау изоляторы (демо)",
     "Almaty Police Department temporary detention facility (demo)", "г. Алматы, ул. Демо, 1"),
    ("almaty-sizo", "almaty", "sizo", [], ["men", "women", "juveniles"], 1500,
     "Следственный изолятор № 1 г. Алматы (демо)", "Алматы қаласының № 1 тергеу изоляторы (демо)",
     "Almaty pre-trial detention centre No. 1 (demo)", "г. Алматы, ул. Демо, 2"),
    ("almaty-reception", "almaty", "special_reception", [], ["men"], 80,
     "Специальный приёмник г. Алматы (демо)", "Алматы қаласының арнаулы қабылдау орны (демо)",
     "Almaty special reception centre (demo)", "г. Алматы, ул. Демо, 3"),
    ("almaty-minimum", "almaty", "colony_minimum", ["strict", "regular", "eased"], ["men"], 400,
     "Учреждение минимальной безопасности ЛА-155/1 (демо)",
     "ЛА-155/1 қауіпсіздігі барынша төмен мекеме (демо)",
     "Minimum-security institution LA-155/1 (demo)", "Алматинская обл., пос. Демо"),
    ("almaty-medium", "almaty", "colony_medium", ["strict", "regular", "eased", "privileged"],
     ["women"], 900, "Учреждение средней безопасности ЛА-155/4 (демо)",
     "ЛА-155/4 орташа қауіпсіз мекеме (демо)", "Medium-security institution LA-155/4 (demo)",
     "Алматинская обл., г. Демо"),
    ("almaty-juvenile", "almaty", "juvenile", ["strict", "regular", "eased", "privileged"],
     ["juveniles"], 120,
     "Учреждение средней безопасности для содержания несовершеннолетних ЛА-155/7 (демо)",
     "ЛА-155/7 кәмелетке толмағандарды ұстауға арналған орташа қауіпсіз мекеме (демо)",
     "Juvenile institution LA-155/7 (demo)", "Алматинская обл., г. Демо"),
    ("karaganda-ivs", "karaganda", "ivs", [], ["men"], 40,
     "ИВС Департамента полиции Карагандинской области (демо)",
     "Қарағанды облысы Полиция департаментінің уақытша ұстау изоляторы (демо)",
     "Karaganda Region Police temporary detention facility (demo)", "г. Караганда, ул. Демо, 1"),
    ("karaganda-sizo", "karaganda", "sizo", [], ["men", "women"], 1100,
     "Следственный изолятор № 2 г. Караганды (демо)",
     "Қарағанды қаласының № 2 тергеу изоляторы (демо)",
     "Karaganda pre-trial detention centre No. 2 (demo)", "г. Караганда, ул. Демо, 2"),
    ("karaganda-maximum", "karaganda", "colony_maximum", ["strict", "regular", "eased",
                                                           "privileged"], ["men"], 1300,
     "Учреждение максимальной безопасности АК-159/17 (демо)",
     "АК-159/17 қауіпсіздігі барынша жоғары мекеме (демо)",
     "Maximum-security institution AK-159/17 (demo)", "Карагандинская обл., пос. Демо"),
    ("karaganda-extraordinary", "karaganda", "colony_extraordinary",
     ["strict", "regular", "eased"], ["men", "lifers"], 600,
     "Учреждение чрезвычайной безопасности АК-159/21 (демо)",
     "АК-159/21 төтенше қауіпсіз мекеме (демо)",
     "Extraordinary-security institution AK-159/21 (demo)", "Карагандинская обл., пос. Демо"),
    ("karaganda-full", "karaganda", "colony_full", ["strict", "regular", "eased"], ["men"], 300,
     "Учреждение полной безопасности АК-159/5 (демо)", "АК-159/5 толық қауіпсіз мекеме (демо)",
     "Full-security institution AK-159/5 (demo)", "Карагандинская обл., г. Демо"),
    ("karaganda-mixed", "karaganda", "colony_mixed", ["strict", "regular", "eased"],
     ["men", "women"], 700, "Учреждение смешанной безопасности АК-159/9 (демо)",
     "АК-159/9 қауіпсіздігі аралас мекеме (демо)", "Mixed-security institution AK-159/9 (demo)",
     "Карагандинская обл., г. Демо"),
    ("karaganda-medical", "karaganda", "medical", ["regular"], ["men", "women"], 250,
     "Лечебно-профилактическое учреждение АК-159/12 (демо)",
     "АК-159/12 емдеу-профилактикалық мекеме (демо)", "Medical institution AK-159/12 (demo)",
     "Карагандинская обл., г. Демо"),
]


def demo_id(key: str) -> uuid.UUID:
    """Return the stable id of a demo record."""
    return uuid.uuid5(NAMESPACE, key)


def _commissions() -> dict:
    """Create the demo commissions that are missing; return them by slug."""
    found = {}
    for spec in COMMISSIONS:
        row = db.session.execute(select(Commission).where(Commission.slug == spec["slug"])).scalar()
        if row is None:
            row = Commission(id=demo_id("commission:" + spec["slug"]), **spec)
            db.session.add(row)
        found[spec["slug"]] = row
    db.session.flush()
    return found


def _users(commissions: dict) -> list[str]:
    """Create the demo accounts that are missing."""
    for username, role, slug, full_name in USERS:
        exists = db.session.execute(select(User.id).where(User.username == username)).first()
        if not exists:
            create_user(username, DEMO_PASSWORD, role, commissions.get(slug), full_name,
                        is_demo=True)
    return [u[0] for u in USERS]


def _facilities(commissions: dict) -> int:
    """Create the demo facilities that are missing."""
    created = 0
    for key, slug, kind, regimes, pops, capacity, ru, kk, en, address in FACILITIES:
        if db.session.get(Facility, demo_id("facility:" + key)) is None:
            db.session.add(Facility(
                id=demo_id("facility:" + key), commission=commissions[slug],
                region=commissions[slug].region, kind=kind, regimes=regimes, populations=pops,
                capacity=capacity, name_ru=ru, name_kk=kk, name_en=en, address=address))
            created += 1
    db.session.flush()
    return created


def load_demo(visits: bool = True) -> dict:
    """Load all demo data; running it again changes nothing.

    Visits arrive through the sync operations (server/demo_visits.py); tests that need only
    accounts and facilities pass visits=False.
    """
    commissions = _commissions()
    usernames = _users(commissions)
    created = _facilities(commissions)
    summary = {"commissions": len(commissions), "facilities_created": created,
               "usernames": usernames}
    if visits:
        from .demo_visits import load_demo_visits

        summary["visits"] = load_demo_visits(demo_id)
    return summary
