"""Form errors in words a person reads, next to the field they are about."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from app.common.forms import field_errors, validation_errors


class _When(BaseModel):
    start_date: str
    day: int


def test_validation_errors_read_as_sentences_next_to_their_field() -> None:
    try:
        _When.model_validate({"day": "soon"})
    except ValidationError as exc:
        errors = field_errors(validation_errors(exc))
    assert errors == {"start_date": "This is required.", "day": "Enter a whole number."}
