"""Field types every wire schema shares (API and review pages alike)."""

from marshmallow import ValidationError, fields

LANGS = ("ru", "kk", "en")


class SafeString(fields.String):
    """A string without NUL characters, which no database can store."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("must not contain NUL (U+0000) characters")
        return text
