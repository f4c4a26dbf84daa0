"""Label colours, read from the stylesheets: text on each label's fill has at least 4.5:1 contrast (WCAG AA),
and colour is never the only cue (each label has its own underline style and sign)."""

import re
from pathlib import Path

import pytest

from factcheck.review.models import Label

CSS = Path(__file__).resolve().parent.parent / "static" / "css"


def variables() -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", (CSS / "app.css").read_text()))


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48


@pytest.mark.parametrize("label", Label.values)
def test_each_labels_text_and_the_page_ink_read_on_its_fill(label):
    colours = variables()
    fill, ink = colours[label], colours[f"{label}-ink"]
    assert contrast(ink, fill) >= 4.5, (label, ink, fill)  # badges and counts: label ink on the fill
    assert contrast(colours["ink"], fill) >= 4.5, (label, fill)  # highlights: the article's text on the fill
    assert contrast(ink, "#ffffff") >= 4.5, (label, ink)  # the sign after a highlight: ink on white


def test_each_label_has_its_own_underline_style_and_sign():
    review = (CSS / "review.css").read_text()
    styles = {
        label: re.search(rf"mark\.l-{label} \{{[^}}]*text-decoration: underline (\w+)", review)
        for label in Label.values
    }
    assert all(styles.values()) and len({m.group(1) for m in styles.values()}) == len(Label.values)
    assert "mark.seg[data-cue]::after { content: attr(data-cue)" in review
