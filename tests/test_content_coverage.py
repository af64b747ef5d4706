"""The content covers what the five seed articles say, cites them, and carries none of their page noise.

For each seed article, a table lists the people, states, organisations, topics and events it
mentions: a pattern that finds the mention in the article's text, and the content id it maps
to. Each row checks that the pattern really occurs in the article (so the table cannot drift
from the sources) and that the entity exists and cites that article.

Independent of the generator on purpose: it reads the YAML with yaml.safe_load only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# Seed file → the source id that stands for it in content/sources/.
SOURCE_OF = {
    "000_051f74a9f7f87b70.txt": "article-trumps-push",
    "001_10188f2d9bf74621.txt": "article-trump-putin-surprise-talks",
    "002_a23f633368301028.txt": "article-europe-leaders-white-house",
    "003_1ef3dea9e1a51ccd.txt": "article-trump-pushes-peace-deal",
    "004_904620d2a51d5ef2.txt": "article-trump-offers-security-support",
}

A, T, E = "actors", "topics", "events"

# Seed file → (pattern in the article, kind, content id).
MENTIONS = {
    "000_051f74a9f7f87b70.txt": [
        (r"Donald Trump", A, "donald-trump"),
        (r"Volodymyr Zelensky\b", A, "volodymyr-zelensky"),
        (r"Friedrich Merz", A, "friedrich-merz"),
        (r"Emmanuel Macron", A, "emmanuel-macron"),
        (r"Keir Starmer", A, "keir-starmer"),
        (r"Obama never got Crimea back", A, "barack-obama"),
        (r"\bNATO\b", A, "nato"),
        (r"war with Russia", A, "russia"),
        (r"Ukrainian President", A, "ukraine"),
        (r"U\.S\. President", A, "united-states"),
        (r"German Chancellor", A, "germany"),
        (r"French President", A, "france"),
        (r"UK Prime Minister", A, "united-kingdom"),
        (r"Europe supports Ukraine", A, "european-leaders"),
        (r"give up Crimea", T, "crimea"),
        (r"abandon its NATO ambitions", T, "ukraine-nato-membership"),
        (r"security guarantees", T, "security-guarantees"),
        (r"trilateral mechanism", T, "trilateral-talks"),
        (r"sovereignty over all occupied territories", T, "territorial-concessions"),
        (r"ensure Kyiv is not sidelined", T, "ukraine-seat-at-the-table"),
        (r"reinforce Ukraine’s voice", T, "european-role"),
        (r"test of the international order", T, "european-security-architecture"),
        (r"Trump argued on Truth Social", E, "trump-truth-social-crimea-nato-post-2025-08-17"),
        (r"On Sunday, the three leaders organized a special meeting", E,
         "coalition-of-the-willing-meeting-2025-08-17"),
        (r"announced they would join Zelensky in Washington", E,
         "european-leaders-announce-washington-attendance"),
        (r"annexation in 2014", E, "crimea-annexation-2014"),
        (r"very important meeting between Ukrainian President Volodymyr Zelensky and Western supporters", E,
         "white-house-meeting-2025-08-18"),
        (r"proposed a trilateral mechanism", E, "proposed-trilateral-summit"),
    ],
    "001_10188f2d9bf74621.txt": [
        (r"Donald Trump", A, "donald-trump"),
        (r"Vladimir Putin", A, "vladimir-putin"),
        (r"Volodymyr Zelenskyy", A, "volodymyr-zelensky"),
        (r"Pete Hegseth", A, "pete-hegseth"),
        (r"Annalena Baerbock", A, "annalena-baerbock"),
        (r"Baiba Braže", A, "baiba-braze"),
        (r"Radosław Sikorski", A, "radoslaw-sikorski"),
        (r"Dmitry Peskov", A, "dmitry-peskov"),
        (r"Marco Rubio", A, "marco-rubio"),
        (r"John Ratcliffe", A, "john-ratcliffe"),
        (r"Michael Waltz", A, "michael-waltz"),
        (r"Joe Biden", A, "joe-biden"),
        (r"NATO headquarters", A, "nato"),
        (r"U\.S\. President", A, "united-states"),
        (r"Russian President", A, "russia"),
        (r"Ukrainian President", A, "ukraine"),
        (r"particularly Germany", A, "germany"),
        (r"Germany, France", A, "france"),
        (r"and Poland", A, "poland"),
        (r"Latvian Foreign Minister", A, "latvia"),
        (r"Saudi Arabia", A, "saudi-arabia"),
        (r"Kremlin spokesman", A, "kremlin"),
        (r"CIA Director", A, "central-intelligence-agency"),
        (r"European allies", A, "european-leaders"),
        (r"Trump’s negotiation team", A, "trump-administration"),
        (r"pre-2014 borders", T, "territorial-concessions"),
        (r"including Crimea", T, "crimea"),
        (r"NATO membership for Ukraine", T, "ukraine-nato-membership"),
        (r"security guarantees", T, "security-guarantees"),
        (r"peacekeeping mission", T, "foreign-troops-in-ukraine"),
        (r"no decision on Ukraine should be made without Ukraine", T, "ukraine-seat-at-the-table"),
        (r"additional military support", T, "military-support-for-ukraine"),
        (r"exchanging any Russian-held Ukrainian territories", T, "territory-swap"),
        (r"initiate immediate negotiations", T, "us-russia-talks"),
        (r"sidelining European allies", T, "european-role"),
        (r"follows a call with Putin", E, "trump-putin-call-2025-02-12"),
        (r"agreed to meet in Saudi Arabia", E, "proposed-trump-putin-meeting-saudi-arabia"),
        (r"statements at NATO headquarters in Brussels", E, "hegseth-brussels-statement-2025-02-12"),
        (r"reacted with alarm", E, "european-reactions-2025-02"),
        (r"no one wants peace more than Ukraine", E, "zelensky-response-2025-02"),
        (r"Kremlin spokesman Dmitry Peskov stated", E, "kremlin-statement-2025-02"),
        (r"engage with Russian counterparts to begin formal talks", E, "us-russia-talks-planned-2025-02"),
    ],
    "002_a23f633368301028.txt": [
        (r"Donald Trump", A, "donald-trump"),
        (r"Vladimir Putin", A, "vladimir-putin"),
        (r"Volodymyr Zelenskyy?", A, "volodymyr-zelensky"),
        (r"Keith Kellogg", A, "keith-kellogg"),
        (r"Ursula von der Leyen", A, "ursula-von-der-leyen"),
        (r"Friedrich Merz", A, "friedrich-merz"),
        (r"Mark Rutte", A, "mark-rutte"),
        (r"Keir Starmer", A, "keir-starmer"),
        (r"Coalition of the Willing", A, "coalition-of-the-willing"),
        (r"European Commission President", A, "european-commission"),
        (r"Democratic party", A, "democratic-party"),
        (r"Russia's Defense Ministry", A, "russian-defense-ministry"),
        (r"Ukraine's air force", A, "ukrainian-air-force"),
        (r"European leaders", A, "european-leaders"),
        (r"U\.S\. administration", A, "trump-administration"),
        (r"never join NATO", A, "nato"),
        (r"leaders of France", A, "france"),
        (r"France, Germany", A, "germany"),
        (r"the U\.K\.", A, "united-kingdom"),
        (r"Russian President", A, "russia"),
        (r"Ukrainian President", A, "ukraine"),
        (r"U\.S\. president", A, "united-states"),
        (r"entirety of its contested Donetsk region", T, "donetsk-region"),
        (r"recognition of all occupied land as Russian", T, "territorial-concessions"),
        (r"guarantees that Ukraine will never join NATO", T, "ukraine-nato-membership"),
        (r"curtailment of Ukraine's military", T, "ukraine-military-limits"),
        (r"lifting of sanctions against Russia", T, "sanctions-on-russia"),
        (r"return of prisoners and kidnapped children", T, "prisoners-and-children"),
        (r"war crimes prosecution", T, "war-crimes-accountability"),
        (r"meaningful security guarantees", T, "security-guarantees"),
        (r"no peace negotiations can take place until a ceasefire is in effect", T, "ceasefire-first"),
        (r"ceasefire monitored by a coalition of willing countries", T, "foreign-troops-in-ukraine"),
        (r"willingness to meet Putin for bilateral talks", T, "trilateral-talks"),
        (r"Putin has avoided direct face-to-face negotiation", T, "ukraine-seat-at-the-table"),
        (r"continued support for Ukraine in its defense", T, "military-support-for-ukraine"),
        (r"European countries strive", T, "european-role"),
        (r"renewed following Donald Trump's inauguration", T, "us-russia-talks"),
        (r"summit took place in Alaska", E, "alaska-summit-2025-08-15"),
        (r"virtual meeting of the pro-Ukraine", E, "coalition-of-the-willing-meeting-2025-08-17"),
        (r"meet Trump at the White House on Monday", E, "white-house-meeting-2025-08-18"),
        (r"Donald Trump's inauguration", E, "trump-inauguration-2025-01-20"),
        (r"affirm their participation", E, "european-leaders-announce-washington-attendance"),
        (r"ruled out giving up Donetsk", E, "zelensky-rejects-donetsk-proposal"),
        (r"willingness to meet Putin for bilateral talks", E, "proposed-putin-zelensky-meeting-hungary"),
    ],
    "003_1ef3dea9e1a51ccd.txt": [
        (r"Donald Trump", A, "donald-trump"),
        (r"Vladimir Putin", A, "vladimir-putin"),
        (r"Volodymyr Zelenskyy", A, "volodymyr-zelensky"),
        (r"Steve Witkoff", A, "steve-witkoff"),
        (r"Keir Starmer", A, "keir-starmer"),
        (r"NATO's collective defense", A, "nato"),
        (r"Russian officials", A, "russia"),
        (r"Ukrainian officials", A, "ukraine"),
        (r"Ukrainians oppose", A, "ukrainian-public"),
        (r"British Prime Minister", A, "united-kingdom"),
        (r"White House", A, "united-states"),
        (r"European leaders", A, "european-leaders"),
        (r"U\.S\. Special Envoy", A, "trump-administration"),
        (r"entire Donetsk region", T, "donetsk-region"),
        (r"ceasefire would be necessary", T, "ceasefire-first"),
        (r"NO GOING INTO NATO BY UKRAINE", T, "ukraine-nato-membership"),
        (r"security guarantees", T, "security-guarantees"),
        (r"territorial changes require referendums", T, "referendum-requirement"),
        (r"territorial concessions", T, "territorial-concessions"),
        (r"additional sanctions on Russia", T, "sanctions-on-russia"),
        (r"European security architecture", T, "european-security-architecture"),
        (r"first direct engagement between Trump and Putin", T, "us-russia-talks"),
        (r"Friday meeting with Russian President Vladimir Putin in Alaska", E, "alaska-summit-2025-08-15"),
        (r"stated on Saturday", E, "trump-remarks-2025-08-16"),
        (r"posted on Truth Social", E, "trump-truth-social-peace-agreement-post-2025-08-16"),
        (r"NO GOING INTO NATO BY UKRAINE", E, "trump-truth-social-crimea-nato-post-2025-08-17"),
        (r"Monday's White House meeting", E, "white-house-meeting-2025-08-18"),
        (r"Zelenskyy rejected this proposal", E, "zelensky-rejects-donetsk-proposal"),
        (r"Steve Witkoff suggested", E, "witkoff-security-guarantee-remarks"),
        (r"first entered parts of the region in 2014", E, "crimea-annexation-2014"),
        (r"Russia currently controls approximately three-quarters", T, "donetsk-region"),
    ],
    "004_904620d2a51d5ef2.txt": [
        (r"Donald Trump", A, "donald-trump"),
        (r"Volodymyr Zelenskyy", A, "volodymyr-zelensky"),
        (r"Zelenskiy", A, "volodymyr-zelensky"),
        (r"Vladimir Putin", A, "vladimir-putin"),
        (r"Yuri Ushakov", A, "yuri-ushakov"),
        (r"Mark Rutte", A, "mark-rutte"),
        (r"Russia’s Foreign Ministry", A, "russian-foreign-ministry"),
        (r"Kremlin aide", A, "kremlin"),
        (r"NATO Secretary General", A, "nato"),
        (r"Leaders from France", A, "france"),
        (r"France, Germany", A, "germany"),
        (r"Italy", A, "italy"),
        (r"Britain", A, "united-kingdom"),
        (r"Finland", A, "finland"),
        (r"and the EU", A, "european-union"),
        (r"Hungary", A, "hungary"),
        (r"European leaders", A, "european-leaders"),
        (r"Trump’s team", A, "trump-administration"),
        (r"the United States would help", A, "united-states"),
        (r"peace agreement with Russia", A, "russia"),
        (r"Ukrainian President", A, "ukraine"),
        (r"help guarantee Ukraine’s security", T, "security-guarantees"),
        (r"trilateral summit", T, "trilateral-talks"),
        (r"NATO troops enforcing any peace deal", T, "foreign-troops-in-ukraine"),
        (r"ceasefire before any peace talks advance", T, "ceasefire-first"),
        (r"reclaim Crimea", T, "crimea"),
        (r"membership isn’t currently on the table", T, "ukraine-nato-membership"),
        (r"annex remaining parts of Donetsk", T, "donetsk-region"),
        (r"national referendum", T, "referendum-requirement"),
        (r"territorial concessions", T, "territorial-concessions"),
        (r"\$90 billion in U\.S\. weapons", T, "military-support-for-ukraine"),
        (r"European nations would play a key role", T, "european-role"),
        (r"joined Zelenskyy in Washington", T, "ukraine-seat-at-the-table"),
        (r"landmark summit at the White House", E, "white-house-meeting-2025-08-18"),
        (r"Oval Office encounter in February", E, "oval-office-meeting-2025-02-28"),
        (r"Trump reportedly contacted Putin", E, "trump-putin-call-2025-08-18"),
        (r"Putin and Zelenskiy could take place in Hungary within two weeks", E,
         "proposed-putin-zelensky-meeting-hungary"),
        (r"laying the groundwork for a trilateral summit", E, "proposed-trilateral-summit"),
        (r"Foreign Ministry swiftly rejected", E, "russian-foreign-ministry-nato-troops-statement"),
        (r"Ushakov confirmed", E, "ushakov-statement-2025-08-18"),
        (r"after his meeting with Putin", E, "alaska-summit-2025-08-15"),
        (r"he shifted after his meeting with Putin", E, "trump-truth-social-peace-agreement-post-2025-08-16"),
        (r"Leaders from France, Germany, Italy, Britain, Finland, and the EU joined Zelenskyy", E,
         "european-leaders-announce-washington-attendance"),
    ],
}

# Page furniture of the seed articles that must never become content. Phrases match in any
# case; the single words match only as capitalised whole words, which is how the pages use them.
NOISE_PHRASES = ["Ads by MGDK", "Also read", "ALSO READ THIS", "Read also", "Others are reading now",
                 "Skip to content", "Homepage War", "Chip Somodevilla", "Shutterstock"]
NOISE_WORDS = ["Previous", "Next", "Latest"]


@lru_cache(maxsize=None)
def seed_text(name: str) -> str:
    path = SEEDS / name
    assert SEEDS.is_dir(), f"seed articles not found: expected the folder {SEEDS}"
    assert path.is_file(), f"seed article not found: {path}"
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load(kind: str, ident: str):
    path = CONTENT / kind / f"{ident}.yaml"
    assert path.is_file(), f"no content file {path.relative_to(ROOT)} for id '{ident}'"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def all_content(kind: str):
    files = sorted((CONTENT / kind).glob("*.yaml"))
    assert files, f"no files in content/{kind}/"
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in files]


def test_the_seed_folder_holds_every_article():
    assert SEEDS.is_dir(), f"seed articles not found: expected the folder {SEEDS}"
    missing = [name for name in SOURCE_OF if not (SEEDS / name).is_file()]
    assert not missing, f"seed articles missing from {SEEDS}: {missing}"


@pytest.mark.parametrize("seed, source_id", sorted(SOURCE_OF.items()))
def test_each_article_has_a_source_entry(seed, source_id):
    source = load("sources", source_id)
    assert source["title"].strip() in seed_text(seed), f"{source_id}: title is not the headline of {seed}"
    assert source.get("notes"), f"{source_id}: notes should explain the date and the article's errors"


ROWS = [(seed, pattern, kind, ident) for seed, rows in MENTIONS.items() for pattern, kind, ident in rows]


@pytest.mark.parametrize("seed, pattern, kind, ident", ROWS,
                         ids=[f"{seed[:3]}-{ident}-{i}" for i, (seed, _, _, ident) in enumerate(ROWS)])
def test_mention_is_covered_and_cited(seed, pattern, kind, ident):
    assert re.search(pattern, seed_text(seed)), f"pattern {pattern!r} does not occur in {seed}: fix the table"
    data = load(kind, ident)
    source_id = SOURCE_OF[seed]
    assert source_id in (data.get("sources") or []), (
        f"content/{kind}/{ident}.yaml is mentioned in {seed} but does not list '{source_id}' in sources")


def test_every_stance_has_a_source():
    for path, position in all_content("positions"):
        assert position["stances"], f"{path.name}: no stances"
        for index, stance in enumerate(position["stances"]):
            assert stance.get("sources"), f"{path.name}: stances[{index}] has no source"


def test_every_event_has_a_source():
    for path, event in all_content("events"):
        assert event.get("sources"), f"{path.name}: no source"


def test_quotes_are_verbatim_in_a_cited_article():
    seed_of = {source_id: seed for seed, source_id in SOURCE_OF.items()}
    for path, position in all_content("positions"):
        for index, stance in enumerate(position["stances"]):
            quote = stance.get("quote")
            if quote:
                cited = [seed_text(seed_of[s]) for s in stance["sources"] if s in seed_of]
                assert any(quote in text for text in cited), (
                    f"{path.name}: stances[{index}].quote is not verbatim in any cited article: {quote!r}")


def test_ids_named_in_content_exist():
    ids = {path.stem for path in CONTENT.glob("*/*.yaml")}
    for path in sorted(CONTENT.glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        for link in re.findall(r"\[\[([^\]|]+)", text):
            assert link.strip() in ids, f"{path.relative_to(ROOT)}: [[{link}]] names no content file"
        data = yaml.safe_load(text)
        named = [*data.get("sources", []), *data.get("affiliations", []), *data.get("participants", []),
                 *data.get("topics", [])]
        named += [data[key] for key in ("actor", "topic") if key in data]
        named += [s for stance in data.get("stances", []) for s in stance["sources"]]
        for ident in named:
            assert ident in ids, f"{path.relative_to(ROOT)}: '{ident}' names no content file"


def test_no_page_noise_in_content():
    files = sorted(CONTENT.rglob("*.yaml"))
    assert files, "no content files"
    for path in files:
        text = path.read_text(encoding="utf-8")
        for phrase in NOISE_PHRASES:
            assert phrase.lower() not in text.lower(), f"{path.relative_to(ROOT)}: page noise {phrase!r}"
        for word in NOISE_WORDS:
            assert not re.search(rf"\b{word}\b", text), f"{path.relative_to(ROOT)}: page noise {word!r}"
