"""The order of events in time (generator/chronology.py): by date, and after what each names."""

from hypothesis import given, strategies as st

from generator.chronology import cycles, in_time_order
from generator.model import Event

# Days, months and years that overlap, so that month-only and year-only dates meet the days
# in them: the case `after` is for.
DATES = st.sampled_from(["2024", "2024-04", "2024-04-20", "2024-04-21", "2024-05", "2024-05-02", "2025"])


def event(event_id: str, date: str, after=()) -> Event:
    return Event.model_validate({"id": event_id, "title": event_id, "date": date, "status": "held",
                                 "summary": "S.", "sources": ["s"], "after": list(after)})


@st.composite
def acyclic_events(draw):
    """Events e0…en, each after some of those before it in the list (so no circle)."""
    dates = draw(st.lists(DATES, min_size=1, max_size=12))
    events = []
    for index, date in enumerate(dates):
        earlier = draw(st.lists(st.integers(0, index - 1), max_size=3)) if index else []
        events.append(event(f"e{index}", date, [f"e{i}" for i in earlier]))
    return draw(st.permutations(events))


def key(e: Event) -> tuple[str, str]:
    return (e.date, e.id)


@given(acyclic_events())
def test_every_event_comes_after_what_it_names(events):
    ordered, left_out = in_time_order(events)
    assert left_out == []
    assert sorted(e.id for e in ordered) == sorted(e.id for e in events)
    place = {e.id: i for i, e in enumerate(ordered)}
    for e in events:
        assert all(place[other] < place[e.id] for other in e.after)


@given(st.lists(DATES, max_size=12))
def test_without_after_the_order_is_by_date_then_id(dates):
    events = [event(f"e{i}", date) for i, date in enumerate(dates)]
    assert in_time_order(reversed(events)) == (sorted(events, key=key), [])


@given(acyclic_events())
def test_an_after_that_the_dates_already_say_changes_nothing(events):
    # Keep only the entries that name an event earlier by (date, id): the order by date
    # already puts them first, so it must stay the order by date.
    by_id = {e.id: e for e in events}
    agreeing = [e.model_copy(update={"after": tuple(o for o in e.after if key(by_id[o]) < key(e))}) for e in events]
    assert in_time_order(agreeing) == (sorted(agreeing, key=key), [])


@given(acyclic_events())
def test_an_event_that_waits_goes_as_soon_as_it_may(events):
    # Each event is the earliest by (date, id) of those whose `after` had all gone before it.
    ordered, _ = in_time_order(events)
    for index, e in enumerate(ordered):
        gone = {o.id for o in ordered[:index]}
        free = [o for o in ordered[index:] if set(o.after) <= gone]
        assert min(free, key=key) is e


def test_ids_that_name_no_event_are_ignored():
    events = [event("a", "2024-04", ["nowhere"]), event("b", "2024-04-20")]
    assert [e.id for e in in_time_order(events)[0]] == ["a", "b"]


def test_a_month_comes_after_the_day_it_names():
    events = [event("reaction", "2024-04", ["summit"]), event("summit", "2024-04-20"), event("later", "2024-04-21"),
              event("before", "2024-04-01")]
    assert [e.id for e in in_time_order(events)[0]] == ["before", "summit", "reaction", "later"]


def test_a_circle_is_left_out_with_what_waits_for_it():
    events = [event("a", "2024-04", ["b"]), event("b", "2024-04", ["c"]), event("c", "2024-04", ["a"]),
              event("d", "2024-05", ["a"]), event("free", "2024-04-20"), event("self", "2024", ["self"])]
    ordered, left_out = in_time_order(events)
    assert [e.id for e in ordered] == ["free"]
    assert sorted(e.id for e in left_out) == ["a", "b", "c", "d", "self"]
    assert cycles(left_out) == [["a", "b", "c"], ["self"]]
