"""What the verdict bar and the span editor post: parsed and typed here, checked in services."""

import json

from django import forms

from factcheck.review.models import Label
from factcheck.review.offsets import OffsetError, parse_id, parse_offset
from factcheck.review.services import EvidenceRef

UNREADABLE = "A linked evidence passage could not be read. Select it again."


def _evidence_ref(value) -> EvidenceRef:
    try:
        item = json.loads(value)
    except (ValueError, TypeError, RecursionError):
        raise forms.ValidationError(UNREADABLE) from None
    if not isinstance(item, dict) or not {"article", "start", "end", "quote"} <= item.keys():
        raise forms.ValidationError(UNREADABLE)
    article_id = parse_id(item["article"])
    if article_id is None:
        raise forms.ValidationError("A linked evidence passage names no article: its id must be plain digits.")
    if not isinstance(item["quote"], str):
        raise forms.ValidationError(UNREADABLE)
    try:
        start, end = parse_offset(item["start"], "start"), parse_offset(item["end"], "end")
    except OffsetError as exc:
        raise forms.ValidationError(f"A linked evidence passage: {exc}") from None
    return EvidenceRef(article_id=article_id, start=start, end=end, quote=item["quote"])


def _evidence_refs(values: list[str]) -> list[EvidenceRef]:
    return [_evidence_ref(value) for value in values]


class OffsetField(forms.Field):
    """A code-point offset, posted as plain ASCII digits: " 28", "٣" and "4.9" are refused, not read."""

    def __init__(self, *, what: str, **kwargs):
        super().__init__(**kwargs)
        self.what = what

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return parse_offset(value, self.what)
        except OffsetError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class EvidenceField(forms.Field):
    """Zero or more passages, each posted as JSON {"article", "start", "end", "quote"}."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[EvidenceRef]:
        if not value:
            return []
        # The same passage picked twice is linked once.
        return list(dict.fromkeys(_evidence_refs(value if isinstance(value, list | tuple) else [value])))


class VerdictFields(forms.Form):
    label = forms.ChoiceField(
        choices=Label.choices,
        error_messages={
            "required": "Choose a verdict: Consistent, Conflicting or Unsupported.",
            "invalid_choice": "Choose a verdict: Consistent, Conflicting or Unsupported.",
        },
    )
    # Kept as typed, leading tabs included; the service only treats white space alone as no note.
    note = forms.CharField(required=False, max_length=5000, strip=False)
    evidence = EvidenceField(required=False)


class SpanCreateForm(VerdictFields):
    start = OffsetField(what="start", error_messages={"required": "Select some text first."})
    end = OffsetField(what="end", error_messages={"required": "Select some text first."})
    # Not stripped: the server compares it with the body character for character.
    quote = forms.CharField(strip=False, error_messages={"required": "Select some text first."})


class SpanUpdateForm(VerdictFields):
    # Ids of the span's current evidence to keep; the rest is unlinked.
    keep = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, span, **kwargs):
        super().__init__(*args, **kwargs)
        self.span = span
        self.fields["keep"].choices = [(item.pk, item.pk) for item in span.evidence.all()]
