"""What the verdict bar and the span editor post: parsed and typed here, checked in services."""

import json

from django import forms

from factcheck.review.models import Label
from factcheck.review.services import EvidenceRef


def _evidence_refs(values: list[str]) -> list[EvidenceRef]:
    refs = []
    for value in values:
        try:
            item = json.loads(value)
            ref = EvidenceRef(
                article_id=int(item["article"]), start=int(item["start"]), end=int(item["end"]), quote=item["quote"]
            )
        except (ValueError, TypeError, KeyError):
            raise forms.ValidationError("A linked evidence passage could not be read. Select it again.") from None
        if not isinstance(ref.quote, str):
            raise forms.ValidationError("A linked evidence passage could not be read. Select it again.")
        refs.append(ref)
    return refs


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
    note = forms.CharField(required=False, max_length=5000, strip=True)
    evidence = EvidenceField(required=False)


class SpanCreateForm(VerdictFields):
    start = forms.IntegerField(min_value=0, error_messages={"required": "Select some text first."})
    end = forms.IntegerField(min_value=0, error_messages={"required": "Select some text first."})
    # Not stripped: the server compares it with the body character for character.
    quote = forms.CharField(strip=False, error_messages={"required": "Select some text first."})


class SpanUpdateForm(VerdictFields):
    # Ids of the span's current evidence to keep; the rest is unlinked.
    keep = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, span, **kwargs):
        super().__init__(*args, **kwargs)
        self.span = span
        self.fields["keep"].choices = [(item.pk, item.pk) for item in span.evidence.all()]
