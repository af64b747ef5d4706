"""Facts derived from a record itself."""

from hypothesis import given, strategies as st
from pydantic_core import PydanticCustomError

from generator.model import REFUSED_TEXT, Position, _check_text, refused_text


def _position(*stances):
    return Position.model_validate({
        "id": "a--t", "actor": "a", "topic": "t",
        "stances": [{"date": d, "stance": s, "summary": "x", "sources": ["src"]} for d, s in stances],
    })


def test_since_is_when_the_latest_stance_began():
    position = _position(("2024-01", "supports"), ("2024-02-01", "opposes"), ("2024-03-01", "opposes"))
    assert position.since == "2024-02-01"


def test_since_of_a_single_stance_is_its_date():
    assert _position(("2024", "undecided")).since == "2024"


def test_since_after_a_return_to_an_earlier_stance():
    position = _position(("2024-01", "opposes"), ("2024-02", "supports"), ("2024-03", "opposes"))
    assert position.since == "2024-03"


# Pieces of text that _check_text refuses, and some it allows, put together at random.
PIECES = st.sampled_from(["a call", " ", "\n", "<b>", "<https://example.org/>", "<", "{.x}", "{", "}", "[x](",
                          "https://example.org/)", "javascript:alert(1))", "java&#115;cript:", "[1]: ", "](",
                          "data:text", "&Tab; ", "*em*", "[[ada-north]]"])


@given(st.lists(PIECES, max_size=8).map("".join))
def test_refused_text_is_what_the_check_refuses_as_written(text):
    # The line of a refused text is found from this piece (validate._line_of_refused).
    refused = refused_text(text)
    try:
        _check_text(text)
    except PydanticCustomError as error:
        assert error.type in REFUSED_TEXT
        assert refused and refused in text and not refused.isspace()
    else:
        assert refused is None
