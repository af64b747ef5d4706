"""Facts derived from a record itself."""

from generator.model import Position


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
