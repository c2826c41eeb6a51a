#!/usr/bin/env python3
"""Writes a deterministic news-like corpus as JSON Lines for scripts/bench.sh.

Usage: gen_corpus.py OUT.jsonl MEGABYTES [SEED] [DENSITY]

Each record is {"id","text","published","source"}: an article of 6-20 paragraphs built from the
templates below (written for retrace, in the style of wire copy about leaders' journeys) with
random travellers, places, dates, times and numbers, plus background sentences on other topics.

DENSITY picks how many sentences carry a journey fact:
- "news" (default): calibrated on the three real seed articles in ../shared/seeds/, which hold one
  time phrase per ~300 bytes (46 phrases in 13.9 kB, page furniture included); this corpus gives
  about the same (measured by scripts/bench.sh, printed as bytes per mention).
- "dense": the travel share used before calibration, one time phrase per ~90 bytes: a stress case, three
  times denser than the seeds.
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone

TRAVELLERS = ["Kim Jong Un", "Vladimir Putin", "Xi Jinping", "Narendra Modi", "Recep Tayyip Erdogan",
              "Emmanuel Macron", "Lula da Silva", "Cyril Ramaphosa", "Yoon Suk Yeol", "Fumio Kishida"]
PLACES = ["Pyongyang", "Sinuiju", "Dandong", "Beijing", "Shenyang", "Tianjin", "Vladivostok",
          "Khabarovsk", "Moscow", "Seoul", "Tokyo", "Shanghai", "Harbin", "Ulan Bator", "Hanoi",
          "Kaesong", "Wonsan", "Rason", "Tumangang", "Khasan", "Ussuriysk", "Irkutsk", "Novosibirsk",
          "Delhi", "Istanbul", "Paris", "Berlin", "Brasilia", "Pretoria", "Osaka"]
SOURCES = ["Northern Wire", "Capital Daily", "Harbour Times", "Evening Monitor", "Morning Ledger",
           "Continental Press", "Regional Broadcast", "Frontier Herald"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
PARTS = ["early", "late", "", ""]
DAYPARTS = ["morning", "afternoon", "evening", "night"]
MEANS = ["by train", "on his armoured train", "by special train", "by plane", "in a motorcade"]

TRAVEL = [
    "{t} left {a} {when} {means}, state media reported {when2}.",
    "{t}'s train crossed into {country} {when}, officials in {b} said.",
    "The train carrying {t} arrived in {b} {when}, according to {source}.",
    "{t} is expected to arrive in {b} {when}, where he will attend a {event}.",
    "He departed from {a} {when} and passed through {c} {when2}.",
    "Witnesses said a green train with darkened windows was seen in {c} {when}.",
    "The journey of about {km} km is expected to take nearly {hours} hours at roughly {speed} km/h.",
    "{t} travelled to {b} {means} for talks that began {when}.",
    "The delegation returned to {a} {when} after a {days}-day visit.",
    "Security was tightened at {c} station {when}, a local resident told {source}.",
    "It is the {nth} trip by {t} to {b} since {year}.",
    "The {event} in {b} is set for {date}.",
]
FILLER = [
    "Markets in {b} closed {pct} percent higher {when}, led by technology shares.",
    "Heavy rain is forecast for {c} over the weekend, the weather service said.",
    "The ministry said exports rose {pct} percent in {month} from a year earlier.",
    "Officials did not respond to requests for comment.",
    "Analysts said the visit was intended to signal closer ties between the two governments.",
    "The talks are likely to cover trade, energy and border security, diplomats said.",
    "A spokesperson declined to give details of the schedule, citing security concerns.",
    "Local television showed crowds waving flags along the route.",
    "The city hosted a similar gathering in {year}, when more than {people} people attended.",
    "Prices of rice and fuel have risen sharply in recent months, residents said.",
    "The two sides have not published an agenda, and neither government would say who else was invited.",
    "Opposition lawmakers criticised the cost of the trip and asked for the figures to be released.",
    "Independent verification of the reports was not possible, because foreign journalists are rarely given access.",
    "Satellite images reviewed by researchers showed new construction near the main rail yard.",
    "The foreign ministry repeated that it does not comment on the movements of visiting leaders.",
    "Trade between the neighbours has grown steadily, although sanctions still limit many exports.",
    "Several analysts cautioned against reading too much into the choice of transport.",
    "Residents near the line said they had been told to keep their curtains closed.",
    "The embassy said in a short statement that preparations were proceeding smoothly.",
    "Diplomats expect the leaders to sign agreements on infrastructure, tourism and education.",
    "Critics argue that the meeting gives international legitimacy to a government under heavy sanctions.",
    "A researcher at a university institute said the symbolism of the journey mattered more than its content.",
    "State television broadcast footage of honour guards, brass bands and children holding bouquets.",
    "The armoured carriages are said to include conference rooms, bedrooms and a dining car.",
    "Rail enthusiasts have tracked similar trains using photographs posted by passengers on other lines.",
    "A government spokesman said the talks would be frank and wide-ranging.",
]
EVENTS = ["military parade", "summit", "ceremony", "state banquet", "commemoration", "trade fair"]
COUNTRIES = ["China", "Russia", "Mongolia", "Vietnam", "North Korea"]
NTH = ["first", "second", "third", "fifth"]


def when(rng, ref):
    choice = rng.randrange(6)
    day = ref - timedelta(days=rng.randrange(0, 6))
    if choice == 0:
        return f"{rng.choice(PARTS)} {WEEKDAYS[day.weekday()]}".strip()
    if choice == 1:
        return f"on {WEEKDAYS[day.weekday()]} {rng.choice(DAYPARTS)}"
    if choice == 2:
        return f"on {day.day} {MONTHS[day.month - 1]}"
    if choice == 3:
        return f"at {rng.randrange(1, 12)}:{rng.choice(['00', '15', '30', '45'])} {rng.choice(['a.m.', 'p.m.'])} on {WEEKDAYS[day.weekday()]}"
    if choice == 4:
        return "later in the day"
    return f"on {WEEKDAYS[day.weekday()]}"


def fill(template, rng, ref, traveller):
    a, b, c = rng.sample(PLACES, 3)
    return template.format(
        t=traveller, a=a, b=b, c=c, when=when(rng, ref), when2=when(rng, ref),
        means=rng.choice(MEANS), country=rng.choice(COUNTRIES), source=rng.choice(SOURCES),
        event=rng.choice(EVENTS), km=rng.randrange(200, 9000), hours=rng.randrange(5, 60),
        speed=rng.randrange(30, 120), days=rng.randrange(2, 9), nth=rng.choice(NTH),
        year=rng.randrange(2000, 2024), date=f"{ref.day} {MONTHS[ref.month - 1]}",
        pct=f"{rng.randrange(0, 5)}.{rng.randrange(0, 10)}", month=rng.choice(MONTHS),
        people=rng.randrange(1, 90) * 1000,
    )


# Share of sentences drawn from TRAVEL (the rest from FILLER), per density.
TRAVEL_SHARE = {"news": 0.11, "dense": 0.55}


def article(rng, n, travel_share):
    start = datetime(2019, 1, 1, tzinfo=timezone.utc)
    ref = start + timedelta(minutes=rng.randrange(0, 7 * 365 * 24 * 60))
    offset = timezone(timedelta(hours=rng.choice([9, 8, 3, 0, -5])))
    traveller = rng.choice(TRAVELLERS)
    paragraphs = []
    dateline = rng.choice(PLACES).upper()
    for i in range(rng.randrange(6, 20)):
        sentences = []
        for _ in range(rng.randrange(1, 4)):
            pool = TRAVEL if rng.random() < travel_share else FILLER
            sentences.append(fill(rng.choice(pool), rng, ref, traveller))
        text = " ".join(sentences)
        if i == 0:
            text = f"{dateline} ({rng.choice(SOURCES)}) — {text}"
        paragraphs.append(text)
    return {
        "id": f"bench-{n:07d}",
        "text": "\n\n".join(paragraphs) + "\n",
        "published": ref.astimezone(offset).isoformat(timespec="minutes"),
        "source": rng.choice(SOURCES),
    }


def main():
    out, megabytes = sys.argv[1], float(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20250902
    density = sys.argv[4] if len(sys.argv) > 4 else "news"
    if density not in TRAVEL_SHARE:
        sys.exit(f"gen_corpus.py: DENSITY must be one of {sorted(TRAVEL_SHARE)}, not {density!r}")
    rng = random.Random(seed)
    limit = int(megabytes * 1_000_000)
    written = 0
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < limit:
            line = json.dumps(article(rng, n, TRAVEL_SHARE[density]), ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    print(f"{out}: {n} articles, {written / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
