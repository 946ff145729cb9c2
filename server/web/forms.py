"""Flask-WTF forms of the pages; each carries a CSRF token."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(validators=[DataRequired(), Length(max=80)])
    password = PasswordField(validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    """A password change."""

    current_password = PasswordField(validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(validators=[DataRequired(), Length(max=200)])


class LogoutForm(FlaskForm):
    """An empty form: only the CSRF token."""
