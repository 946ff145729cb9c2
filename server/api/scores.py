"""Scores of visits and of facilities across their visits, within scope."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy.orm import selectinload

from ..auth import current_user
from ..catalogue import score_stored_visit
from ..extensions import db
from ..models import Facility, Visit
from ..scope import get_or_404, redact_score, scoped
from .common import BEARER

blp = Blueprint("scores", __name__, url_prefix="/api/v1", description="Scores")


class ScoreSummarySchema(Schema):
    """A visit's headline figures."""

    visit_id = fields.UUID()
    started_at = fields.DateTime()
    status = fields.String()
    facility_score = fields.Float(allow_none=True)
    coverage = fields.Float(allow_none=True)
    sets = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    critical_unmet = fields.Integer()
    versions = fields.String()


def summary(visit, scored) -> dict:
    """Return the headline figures of a scored visit."""
    score = scored.score
    return {"visit_id": visit.id, "started_at": visit.started_at, "status": visit.status,
            "facility_score": score.facility_score, "coverage": score.coverage,
            "sets": {s.set_id: s.tally.score for s in score.sets},
            "critical_unmet": len(score.critical_unmet), "versions": scored.versions}


@blp.route("/visits/<visit_id>/score", methods=["GET"])
@blp.response(200, description="Every rule's outcome, domain and set scores, unmet critical "
                               "rules first, each traced to its rule and citation; a value "
                               "from a sensitive question is withheld (value_withheld) from "
                               "whoever may not read it")
@blp.doc(security=BEARER)
def get_visit_score(visit_id):
    """Score one visit on the checklist and standards in force on its date."""
    user = current_user()
    visit = get_or_404(user, Visit, visit_id, "visit")
    scored = score_stored_visit(visit)
    return {"visit_id": str(visit.id), "versions": scored.versions,
            "standards": [{"id": s.id, "version": s.version} for s in scored.standards],
            **redact_score(user, scored.score.to_dict(), scored.form)}


@blp.route("/facilities/<facility_id>/scores", methods=["GET"])
@blp.response(200, ScoreSummarySchema(many=True))
@blp.doc(security=BEARER)
def get_facility_scores(facility_id):
    """Return the score history of a facility, oldest visit first."""
    user = current_user()
    facility = get_or_404(user, Facility, facility_id, "facility")
    visits = db.session.execute(
        scoped(user, Visit).where(Visit.facility_id == facility.id)
        .options(selectinload(Visit.answers)).order_by(Visit.started_at, Visit.id)
    ).scalars().all()
    return [summary(visit, score_stored_visit(visit)) for visit in visits]
