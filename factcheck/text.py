"""Small text helpers every layer may use (this module imports no app)."""


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis where it was cut.

    Plain slicing rather than Django's truncatechars, which normalises every string it sees: on pages
    of thousands of cells it was a tenth to a third of the server time (bench/consensus.py).
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
