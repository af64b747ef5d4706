"""More mistakes, each with its one exact, located problem: script links in disguise, YAML that
could exhaust time or crash the parser, and messages that were doubled or misleading."""

import pytest

from test_errors import EVENT, POSITION, SOURCE, content, edited, problems_after  # noqa: F401 (content: fixture)

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi"))

CASES = {
    "script link with an encoded colon": (EVENT, edited(EVENT, "A call between", "A [call](javascript&#58;alert(1)) between"), [
        f"{EVENT}:7: summary: links must be http or https — remove the javascript:/data: link",
    ]),
    "script link as a reference definition": (EVENT, edited(EVENT, "summary: A call between [[ada-north]] and [[southland]].",
                                                             "summary: |\n  A [call][1].\n\n  [1]: javascript:alert(1)"), [
        f"{EVENT}:10: summary: links must be http or https — remove the javascript:/data: link",
    ]),
    "script link inside another link": (EVENT, edited(EVENT, "A call between", "A [x]([y](javascript:alert(1)) between"), [
        f"{EVENT}:7: summary: links must be http or https — remove the javascript:/data: link",
    ]),
    "script link behind white space a browser drops": (EVENT, edited(EVENT, "A call between",
                                                                      "A [call](&Tab; javascript:alert(1)) between"), [
        f"{EVENT}:7: summary: links must be http or https — remove the javascript:/data: link",
    ]),
    "script link defined in a Markdown list": (EVENT, edited(EVENT, "summary: A call between [[ada-north]] and [[southland]].",
                                                              "summary: |\n  - A [call][1].\n\n      [1]: javascript:alert(1)"), [
        f"{EVENT}:10: summary: links must be http or https — remove the javascript:/data: link",
    ]),
    "attribute list": (EVENT, edited(EVENT, "A call between", "A *call*{.x onclick=alert(1)} between"), [
        f"{EVENT}:7: summary: curly braces {{…}} are not allowed: Markdown reads them as HTML attributes"
        " — use parentheses or brackets instead",
    ]),
    # In a text over several lines, the line that holds what is refused.
    "raw HTML on a later line of a block": (EVENT, edited(EVENT, "summary: A call between [[ada-north]] and [[southland]].",
                                                          "summary: >-\n  A call between the two,\n  <b>held</b> late."), [
        f"{EVENT}:9: summary: raw HTML is not allowed — write Markdown instead, or escape '<' as '&lt;'",
    ]),
    "curly braces on a later line of a block": (EVENT, edited(EVENT, "summary: A call between [[ada-north]] and [[southland]].",
                                                              "summary: |\n  A call.\n  Then *more*{.x}."), [
        f"{EVENT}:9: summary: curly braces {{…}} are not allowed: Markdown reads them as HTML attributes"
        " — use parentheses or brackets instead",
    ]),
    "url with Markdown after it": (SOURCE, edited(SOURCE, "talks-begin", "talks-begin>{:onclick=alert(1)}"), [
        f"{SOURCE}:4: url: 'https://example.org/gazette/talks-begin>{{:onclick=alert(1)}}' is not an http or https"
        " address — write it as https://…",
    ]),
    "id written as a field": (EVENT, "id: first-call\n" + edited(EVENT, "", ""), [
        f"{EVENT}:1: 'id' is not a field: the id is the file name — remove this line, or rename the file",
    ]),
    "reference that is not an id": (EVENT, edited(EVENT, "[ada-north, southland]", "[Ada North, southland]"), [
        f"{EVENT}:5: participants[0]: unknown actor 'Ada North' — did you mean 'ada-north'?",
    ]),
    "the only stance is wrong": (POSITION, "actor: ada-north\ntopic: river-dispute\nstances:\n"
                                 "  - date: \"2024-01\"\n    stance: for\n    summary: S\n    sources: [gazette-report]\n", [
        f"{POSITION}:5: stances[0].stance: 'for' is not allowed — expected one of: supports, opposes, conditional, undecided",
    ]),
    "yes where text is expected": (EVENT, edited(EVENT, "title: First call", "title: yes"), [
        f"{EVENT}:1: title: expected text, got true/false (True) — put the text in quotes, like \"yes\" or \"1.5\"",
    ]),
    "nested aliases": (EVENT, LAUGHS, [
        f"{EVENT}:1: YAML anchors and aliases (&name, *name) are not supported — write the value out in full",
    ]),
    "nesting 100,000 levels deep": (EVENT, "title: " + "[" * 100_000 + "]" * 100_000 + "\n", [
        f"{EVENT}:1: the YAML is nested more than 32 levels deep"
        " — content files need three levels at most: check the brackets and the indentation",
    ]),
    "a second document": (EVENT, edited(EVENT, "status: held\n", "status: held\n---\n"), [
        f"{EVENT}:5: YAML syntax error: a second document starts here ('---')"
        " — a content file holds one entity: remove the '---' line, or move the rest to a file of its own",
    ]),
    "a control character": (EVENT, edited(EVENT, "Both agreed", "Both\x00agreed"), [
        f"{EVENT}:9: the file holds a control character (#x0000) that YAML does not allow"
        " — delete it: it is invisible in most editors, so retype the line",
    ]),
    "only a document marker": (EVENT, "---\n# nothing yet\n", [
        f"{EVENT}:1: the file is empty — fill in the fields of this kind (see the editors' guide)",
    ]),
    "a field name that is a list": (EVENT, "[title]: First call\n", [
        f"{EVENT}:1: a field name must be a plain word — write it like 'name:'",
    ]),
    "empty required text": (EVENT, edited(EVENT, "title: First call", 'title: ""'), [
        f"{EVENT}:1: title: must not be empty — write the text, or remove the field if it is optional",
    ]),
    "an actor that belongs to itself": ("content/actors/northland.yaml",
                                        edited("content/actors/northland.yaml", "[river-pact]", "[river-pact, northland]"), [
        "content/actors/northland.yaml:5: affiliations: an actor cannot belong to itself — remove its own id",
    ]),
    "a topic where an actor is expected": (POSITION, edited(POSITION, "actor: ada-north", "actor: river-dispute"), [
        f"{POSITION}:1: actor: 'river-dispute' is a topic, not an actor — name an actor id here",
    ]),
}


@pytest.mark.parametrize("name", CASES)
def test_each_mistake_gives_one_located_problem(content, name):  # noqa: F811
    path, text, expected = CASES[name]
    assert problems_after(content, path, text) == expected


def test_a_month_is_not_before_a_day_in_it(content):  # noqa: F811
    event = edited(EVENT, 'date: "2024-01-15"\n', 'date: "2024-01-15"\nend_date: "2024-01"\n')
    assert problems_after(content, EVENT, event) == []
    position = edited(POSITION, '"2024-02-20"', '"2024-01-20"').replace('"2024-01"', '"2024-01-31"', 1)
    assert problems_after(content, POSITION, position.replace('"2024-01-31"', '"2024-01"')) == []
    assert problems_after(content, POSITION, position) == [
        f"{POSITION}:9: stances[1].date 2024-01-20 is before the stance above it (2024-01-31)"
        " — list stances in date order, oldest first",
    ]


def test_the_missing_site_file_is_named(content):  # noqa: F811
    (content / "site.yaml").unlink()
    assert problems_after(content, "content/glossary/truce.yaml", (content / "glossary" / "truce.yaml").read_text()) == [
        "content/site.yaml:1: the site file is missing — create it with title, description and as_of",
    ]
