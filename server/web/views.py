"""Sign-in, account and facility pages."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from ..audit import append_event
from ..auth import current_user, login_required
from ..auth.operations import authenticate_user, change_password
from ..auth.passwords import MIN_PASSWORD_LENGTH, verify_password
from ..errors import APIError
from ..extensions import db, limiter
from ..i18n import translate
from ..models import Facility
from ..scope import get_or_404, scoped
from .forms import LoginForm, LogoutForm, PasswordForm
from .pwa import app_page

bp = Blueprint("web", __name__)


def _safe_next(target: str | None) -> str:
    """Return a local redirect target, never another site."""
    if not target:
        return url_for("web.facilities")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return url_for("web.facilities")
    return target


@bp.app_context_processor
def inject_user():
    """Give every template the user and a logout form."""
    return {"user": current_user(), "logout_form": LogoutForm()}


@bp.route("/")
def index():
    """Serve the offline tablet app (pwa/)."""
    return app_page()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Sign in with a username and password; sets the session cookie."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate_user(form.username.data, form.password.data)
        except APIError:
            db.session.commit()  # keep the audit record of the failed attempt
            error = translate("login.invalid")
        else:
            session.clear()
            session.update(uid=str(user.id), gen=user.token_generation, lang=user.locale)
            append_event("login", actor=user, target_type="user", target_id=user.id,
                         data={"via": "session"})
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("web/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Clear the session."""
    if LogoutForm().validate_on_submit() and current_user() is not None:
        append_event("logout", actor=current_user(), target_type="user",
                     target_id=current_user().id, data={"via": "session"})
    session.clear()
    return redirect(url_for("web.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Show the account and change the password."""
    user, form, error = current_user(), PasswordForm(), None
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data):
            error = translate("account.password_wrong")
        elif len(form.new_password.data) < MIN_PASSWORD_LENGTH:
            error = translate("account.password_short")
        else:
            change_password(user, form.new_password.data)
            session.clear()
            flash(translate("account.password_changed"))
            return redirect(url_for("web.login"))
    return render_template("web/account.html", form=form, error=error), 422 if error else 200


@bp.route("/facilities/")
@login_required
def facilities():
    """List the facilities in the user's scope."""
    rows = db.session.execute(
        scoped(current_user(), Facility).order_by(Facility.region, Facility.name_ru)
    ).scalars().all()
    return render_template("web/facilities.html", facilities=rows)


@bp.route("/facilities/<facility_id>")
@login_required
def facility(facility_id):
    """Show one facility within scope."""
    row = get_or_404(current_user(), Facility, facility_id, "facility")
    return render_template("web/facility.html", facility=row)



