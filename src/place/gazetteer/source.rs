//! The gazetteer's source tables under `data/place/`, parsed and written as an image (see
//! `image.rs`). `build.rs` runs this at build time; the gazetteer's tests run it again to
//! compare with the embedded image.

use std::collections::{BTreeMap, HashMap};

use super::image::{
    first_word_slot, name_hash, NameStrength, ENTRY_BYTES, ENTRY_COUNTRY, ENTRY_ID, ENTRY_KIND,
    ENTRY_LAT, ENTRY_LON, ENTRY_NAME, ENTRY_NATIVE, ENTRY_POPULATION, ENTRY_TZ,
    FIRST_WORD_FILTER_BITS_LOG2, HEADER_BYTES, HIT_CAPS_ONLY, HIT_CURATED, HIT_ENTRY_MASK,
    KIND_BORDER_BRIDGE, KIND_CITY, KIND_COUNTRY, KIND_RAIL_STATION, KIND_REGION, MAGIC, NO_ENTRY,
};
use super::normalize::{is_dash, normalize_into, strip_admin_suffix};
use super::tsv;

pub(crate) const GAZETTEER_FILE: &str = "data/place/gazetteer.tsv.gz";
const GAZETTEER_HEADER: &str =
    "geonameid\tname\tnative\tlat\tlon\tcountry\tadmin1\tpopulation\ttz\talternates";

/// The texts of the source tables.
pub(crate) struct Tables<'a> {
    /// `gazetteer.tsv.gz`, decompressed.
    pub gazetteer: &'a str,
    pub countries: &'a str,
    pub country_names: &'a str,
    pub supplement: &'a str,
    pub aliases: &'a str,
}

/// One gazetteer entry as the tables give it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry<'a> {
    pub id: String,
    pub name: &'a str,
    /// Empty when there is none.
    pub native: &'a str,
    pub lat: f64,
    pub lon: f64,
    pub country: &'a str,
    pub tz: &'a str,
    pub population: u64,
    /// One of the `KIND_*` codes of `image.rs`.
    pub kind: u8,
}

/// One name of an entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Name<'a> {
    pub entry: u32,
    pub name: &'a str,
    pub strength: NameStrength,
    /// Abbreviations written in capitals ("US", "DPRK") match only capitals in the text.
    pub caps_only: bool,
}

/// One row of the name index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IndexRow {
    pub hash: u64,
    pub entry: u32,
    pub strength: NameStrength,
    pub caps_only: bool,
}

/// The parsed tables: entries (cities first, then countries and the supplement) and their names.
pub(crate) struct Source<'a> {
    pub entries: Vec<Entry<'a>>,
    /// Number of cities, the first entries.
    pub cities: usize,
    /// GeoNames ids of the cities, ascending, parallel to the first entries.
    geonameids: Vec<u32>,
    /// Non-city ids to entries.
    other_ids: HashMap<String, u32>,
    /// ISO2 to (country entry, capital entry).
    pub countries: BTreeMap<&'a str, (u32, Option<u32>)>,
    pub names: Vec<Name<'a>>,
}

impl<'a> Source<'a> {
    /// Parses the tables.
    ///
    /// # Errors
    ///
    /// `data/place/<file>:<line>: ...` for the first malformed row.
    pub fn parse(tables: &Tables<'a>) -> Result<Source<'a>, String> {
        let mut s = Source {
            entries: Vec::new(),
            cities: 0,
            geonameids: Vec::new(),
            other_ids: HashMap::new(),
            countries: BTreeMap::new(),
            names: Vec::new(),
        };
        s.parse_cities(tables.gazetteer)?;
        s.parse_countries(tables.countries, tables.country_names)?;
        s.parse_supplement(tables.supplement)?;
        s.parse_aliases(tables.aliases)?;
        Ok(s)
    }

    fn next_entry(&self) -> Result<u32, String> {
        u32::try_from(self.entries.len())
            .ok()
            .filter(|n| *n <= HIT_ENTRY_MASK)
            .ok_or_else(|| format!("expected at most {HIT_ENTRY_MASK} entries"))
    }

    fn name(&mut self, entry: u32, name: &'a str, strength: NameStrength, caps_only: bool) {
        self.names.push(Name {
            entry,
            name,
            strength,
            caps_only,
        });
    }

    /// Adds a non-city entry.
    fn push(&mut self, entry: Entry<'a>) -> Result<u32, String> {
        let idx = self.next_entry()?;
        if self.index_of(&entry.id).is_some() {
            return Err(format!("duplicate gazetteer id {}", entry.id));
        }
        self.other_ids.insert(entry.id.clone(), idx);
        self.entries.push(entry);
        Ok(idx)
    }

    fn index_of(&self, id: &str) -> Option<u32> {
        if let Some(number) = id.strip_prefix("gn:") {
            let geonameid: u32 = number.parse().ok()?;
            let i = self.geonameids.binary_search(&geonameid).ok()?;
            return u32::try_from(i).ok();
        }
        self.other_ids.get(id).copied()
    }

    fn parse_cities(&mut self, text: &'a str) -> Result<(), String> {
        const FILE: &str = GAZETTEER_FILE;
        // About 69,000 rows of about 100 bytes.
        let rows_estimate = text.len() / 100;
        self.entries.reserve(rows_estimate);
        self.geonameids.reserve(rows_estimate);
        self.names.reserve(rows_estimate * 6);
        tsv::for_each_row(FILE, text, GAZETTEER_HEADER, |line, f| {
            let geonameid: u32 = tsv::number(FILE, line, "geonameid", f[0])?;
            if let Some(&last) = self.geonameids.last() {
                if last >= geonameid {
                    return Err(format!(
                        "{FILE}:{line}: expected geonameids in ascending order, found {geonameid} after {last}"
                    ));
                }
            }
            let idx = self
                .next_entry()
                .map_err(|e| format!("{FILE}:{line}: {e}"))?;
            self.entries.push(Entry {
                id: ["gn:", f[0]].concat(),
                name: f[1],
                native: f[2],
                lat: tsv::number(FILE, line, "lat", f[3])?,
                lon: tsv::number(FILE, line, "lon", f[4])?,
                country: f[5],
                tz: f[8],
                population: tsv::number(FILE, line, "population", f[7])?,
                kind: KIND_CITY,
            });
            self.geonameids.push(geonameid);
            self.name(idx, f[1], NameStrength::Curated, false);
            if !f[2].is_empty() {
                self.name(idx, f[2], NameStrength::Curated, false);
            }
            for a in f[9].split('|').filter(|a| !a.is_empty()) {
                // Han, Hangul and Cyrillic alternates are how Chinese, Korean and Russian text
                // name the place (平壤, Пхеньян), not the stray romanisations that make Latin
                // alternates risky.
                let strength = if a.chars().all(is_native_script_or_space) {
                    NameStrength::Curated
                } else {
                    NameStrength::Alternate
                };
                self.name(idx, a, strength, false);
            }
            Ok(())
        })?;
        self.cities = self.entries.len();
        Ok(())
    }

    fn parse_countries(
        &mut self,
        countries: &'a str,
        country_names: &'a str,
    ) -> Result<(), String> {
        const FILE: &str = "data/place/countries.tsv";
        let header = "iso2\tname\tcapital_geonameid\tlat\tlon\ttz\tpopulation\tsource";
        for row in tsv::rows(FILE, countries, header)? {
            let f = &row.fields;
            let line = row.line;
            let capital = self.index_of(&format!("gn:{}", f[2]));
            let entry = Entry {
                id: format!("country:{}", f[0]),
                name: f[1],
                native: "",
                lat: tsv::number(FILE, line, "lat", f[3])?,
                lon: tsv::number(FILE, line, "lon", f[4])?,
                country: f[0],
                tz: f[5],
                population: tsv::number(FILE, line, "population", f[6])?,
                kind: KIND_COUNTRY,
            };
            let idx = self
                .push(entry)
                .map_err(|e| format!("{FILE}:{line}: {e}"))?;
            self.name(idx, f[1], NameStrength::Curated, false);
            self.countries.insert(f[0], (idx, capital));
        }
        const NAMES_FILE: &str = "data/place/country_names.tsv";
        for row in tsv::rows(NAMES_FILE, country_names, "iso2\tname\tsource")? {
            let f = &row.fields;
            let Some(&(idx, _)) = self.countries.get(f[0]) else {
                return Err(format!(
                    "{NAMES_FILE}:{}: expected a country of countries.tsv, found {:?}",
                    row.line, f[0]
                ));
            };
            self.name(idx, f[1], NameStrength::Curated, is_abbreviation(f[1]));
        }
        Ok(())
    }

    fn parse_supplement(&mut self, text: &'a str) -> Result<(), String> {
        const FILE: &str = "data/place/supplement.tsv";
        let header =
            "id\tname\tnative\talternates\tlat\tlon\tcountry\ttz\tpopulation\tkind\tsource";
        for row in tsv::rows(FILE, text, header)? {
            let f = &row.fields;
            let line = row.line;
            let kind = match f[9] {
                "city" => KIND_CITY,
                "rail_station" => KIND_RAIL_STATION,
                "border_bridge" => KIND_BORDER_BRIDGE,
                "region" => KIND_REGION,
                other => {
                    return Err(format!(
                        "{FILE}:{line}: expected kind city, rail_station, border_bridge or region, found {other:?}"
                    ))
                }
            };
            let entry = Entry {
                id: format!("sup:{}", f[0]),
                name: f[1],
                native: f[2],
                lat: tsv::number(FILE, line, "lat", f[4])?,
                lon: tsv::number(FILE, line, "lon", f[5])?,
                country: f[6],
                tz: f[7],
                population: tsv::number(FILE, line, "population", f[8])?,
                kind,
            };
            let idx = self
                .push(entry)
                .map_err(|e| format!("{FILE}:{line}: {e}"))?;
            self.name(idx, f[1], NameStrength::Curated, false);
            if !f[2].is_empty() {
                self.name(idx, f[2], NameStrength::Curated, false);
            }
            for a in f[3].split('|').filter(|a| !a.is_empty()) {
                self.name(idx, a, NameStrength::Curated, false);
            }
        }
        Ok(())
    }

    fn parse_aliases(&mut self, text: &'a str) -> Result<(), String> {
        const FILE: &str = "data/place/aliases.tsv";
        for row in tsv::rows(FILE, text, "alias\ttarget\tsource")? {
            let f = &row.fields;
            let Some(idx) = self.index_of(f[1]) else {
                return Err(format!(
                    "{FILE}:{}: expected a gazetteer id, found {:?}",
                    row.line, f[1]
                ));
            };
            self.name(idx, f[0], NameStrength::Curated, false);
        }
        Ok(())
    }

    /// Calls `each(name, key)` for every name and each key it is indexed under: the normalised
    /// name, the name without an administrative suffix, and a dash-joined name written solid.
    pub fn for_each_key(&self, mut each: impl FnMut(&Name<'a>, &str)) {
        let mut key = String::with_capacity(64);
        let mut compact = String::with_capacity(64);
        for name in &self.names {
            normalize_into(name.name, &mut key);
            if key.is_empty() {
                continue;
            }
            each(name, &key);
            if let Some(stem) = strip_admin_suffix(&key) {
                each(name, stem);
            }
            // Hyphenated romanisations also match written solid: "Feng-huang-ch'eng" is
            // "Fenghuangcheng", "Tan-tung" is "Tantung".
            if name.name.chars().any(is_dash) && !name.name.contains(' ') {
                compact.clear();
                compact.extend(key.chars().filter(|c| *c != ' '));
                each(name, &compact);
            }
        }
    }

    /// The name index, sorted by hash, then entry.
    pub fn index(&self) -> Vec<IndexRow> {
        let mut rows: Vec<IndexRow> = Vec::with_capacity(self.names.len() + self.names.len() / 8);
        self.for_each_key(|name, key| {
            rows.push(IndexRow {
                hash: name_hash(key),
                entry: name.entry,
                strength: name.strength,
                caps_only: name.caps_only,
            });
        });
        rows.sort_unstable_by_key(|r| (r.hash, r.entry, std::cmp::Reverse(r.strength)));
        // A name listed twice for one entry keeps its strongest reading (sorted first); it is
        // caps-only only when every listing is.
        let mut out: Vec<IndexRow> = Vec::with_capacity(rows.len());
        for row in rows {
            match out.last_mut() {
                Some(last) if last.hash == row.hash && last.entry == row.entry => {
                    last.caps_only &= row.caps_only;
                }
                _ => out.push(row),
            }
        }
        out
    }

    /// The first-word filter of these tables (layout in `image.rs`, beside the image).
    pub fn encode_first_words(&self) -> Vec<u8> {
        let mut bits = vec![0u64; (1usize << FIRST_WORD_FILTER_BITS_LOG2) / 64];
        self.for_each_key(|_, key| {
            let first_word = key.split(' ').next().unwrap_or(key);
            let slot = first_word_slot(name_hash(first_word));
            bits[slot / 64] |= 1 << (slot % 64);
        });
        bits.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    /// The image of these tables (layout in `image.rs`).
    ///
    /// # Errors
    ///
    /// When a count, offset or string does not fit its field.
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        let index = self.index();
        let mut arena = Arena::default();
        let mut entries = Vec::with_capacity(self.entries.len() * ENTRY_BYTES);
        for e in &self.entries {
            let mut row = [0u8; ENTRY_BYTES];
            for (at, text) in [
                (ENTRY_ID, e.id.as_str()),
                (ENTRY_NAME, e.name),
                (ENTRY_NATIVE, e.native),
                (ENTRY_COUNTRY, e.country),
                (ENTRY_TZ, e.tz),
            ] {
                let (offset, len) = arena.add(text)?;
                row[at..at + 4].copy_from_slice(&offset.to_le_bytes());
                row[at + 4..at + 6].copy_from_slice(&len.to_le_bytes());
            }
            row[ENTRY_LAT..ENTRY_LAT + 8].copy_from_slice(&e.lat.to_le_bytes());
            row[ENTRY_LON..ENTRY_LON + 8].copy_from_slice(&e.lon.to_le_bytes());
            row[ENTRY_POPULATION..ENTRY_POPULATION + 8]
                .copy_from_slice(&e.population.to_le_bytes());
            row[ENTRY_KIND] = e.kind;
            entries.extend_from_slice(&row);
        }
        let mut other: Vec<u32> = self.other_ids.values().copied().collect();
        other.sort_unstable_by(|a, b| {
            self.entries[*a as usize]
                .id
                .cmp(&self.entries[*b as usize].id)
        });

        let count = |n: usize, what: &str| {
            u32::try_from(n).map_err(|_| format!("expected fewer than 2^32 {what}, found {n}"))
        };
        let mut out = Vec::with_capacity(
            HEADER_BYTES + entries.len() + index.len() * 12 + arena.bytes.len() + 300_000,
        );
        out.extend_from_slice(MAGIC);
        for (n, what) in [
            (self.entries.len(), "entries"),
            (self.cities, "cities"),
            (self.countries.len(), "countries"),
            (index.len(), "index rows"),
            (arena.bytes.len(), "arena bytes"),
        ] {
            out.extend_from_slice(&count(n, what)?.to_le_bytes());
        }
        out.extend_from_slice(&entries);
        for id in &self.geonameids {
            out.extend_from_slice(&id.to_le_bytes());
        }
        for idx in other {
            out.extend_from_slice(&idx.to_le_bytes());
        }
        for (place, capital) in self.countries.values() {
            out.extend_from_slice(&place.to_le_bytes());
            out.extend_from_slice(&capital.unwrap_or(NO_ENTRY).to_le_bytes());
        }
        for row in &index {
            out.extend_from_slice(&row.hash.to_le_bytes());
        }
        for row in &index {
            let mut hit = row.entry;
            if row.strength == NameStrength::Curated {
                hit |= HIT_CURATED;
            }
            if row.caps_only {
                hit |= HIT_CAPS_ONLY;
            }
            out.extend_from_slice(&hit.to_le_bytes());
        }
        out.extend_from_slice(&arena.bytes);
        Ok(out)
    }
}

/// The text of the string fields, each distinct string once.
#[derive(Default)]
struct Arena<'s> {
    bytes: Vec<u8>,
    seen: HashMap<&'s str, u32>,
}

impl<'s> Arena<'s> {
    fn add(&mut self, text: &'s str) -> Result<(u32, u16), String> {
        let len = u16::try_from(text.len())
            .map_err(|_| format!("expected names under 64 KiB, found {} bytes", text.len()))?;
        if let Some(&offset) = self.seen.get(text) {
            return Ok((offset, len));
        }
        let offset = u32::try_from(self.bytes.len())
            .map_err(|_| "expected less than 4 GiB of names".to_string())?;
        self.bytes.extend_from_slice(text.as_bytes());
        self.seen.insert(text, offset);
        Ok((offset, len))
    }
}

fn is_native_script_or_space(c: char) -> bool {
    c == ' '
        || c == '-'
        || matches!(c as u32,
            0x0400..=0x04FF | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
            | 0xAC00..=0xD7A3)
}

/// True for abbreviations such as "US", "DPRK", "U.S." (capitals, maybe with dots).
fn is_abbreviation(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| *c != '.').collect();
    letters.len() <= 5 && !letters.is_empty() && letters.iter().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables<'a>(gazetteer: &'a str, aliases: &'a str) -> Tables<'a> {
        Tables {
            gazetteer,
            countries: "iso2\tname\tcapital_geonameid\tlat\tlon\ttz\tpopulation\tsource\n\
                        KP\tNorth Korea\t1\t39.0\t125.7\tAsia/Pyongyang\t25000000\tx\n",
            country_names: "iso2\tname\tsource\nKP\tDPRK\tx\n",
            supplement:
                "id\tname\tnative\talternates\tlat\tlon\tcountry\ttz\tpopulation\tkind\tsource\n",
            aliases,
        }
    }

    const HEADER: &str =
        "geonameid\tname\tnative\tlat\tlon\tcountry\tadmin1\tpopulation\ttz\talternates\n";

    #[test]
    fn errors_carry_file_and_line() {
        let cities = format!("# c\n{HEADER}2\tB\t\t1\t2\tKP\t\t5\tAsia/Pyongyang\t\n3\tA\t\tx\t2\tKP\t\t5\tAsia/Pyongyang\t\n");
        let err = Source::parse(&tables(&cities, "alias\ttarget\tsource\n")).err();
        assert_eq!(
            err.as_deref(),
            Some("data/place/gazetteer.tsv.gz:4: expected a number in column lat, found \"x\"")
        );
        let cities = format!("{HEADER}1\tA\t\t1\t2\tKP\t\t5\tAsia/Pyongyang\t\n");
        let err = Source::parse(&tables(&cities, "alias\ttarget\tsource\nZ\tgn:9\tx\n")).err();
        assert_eq!(
            err.as_deref(),
            Some("data/place/aliases.tsv:2: expected a gazetteer id, found \"gn:9\"")
        );
    }

    #[test]
    fn names_and_capitals_of_a_small_table() {
        let cities = format!("{HEADER}1\tP'yŏngyang\t평양\t39\t125.7\tKP\t\t3000000\tAsia/Pyongyang\tPyongyang-si|平壤|Heijo\n");
        let t = tables(&cities, "alias\ttarget\tsource\nRyugyong\tgn:1\tx\n");
        let source = Source::parse(&t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(source.countries.get("KP"), Some(&(1, Some(0))));
        let mut keys = Vec::new();
        source
            .for_each_key(|name, key| keys.push((key.to_string(), name.strength, name.caps_only)));
        let has = |k: &str, s: NameStrength, caps: bool| keys.contains(&(k.to_string(), s, caps));
        assert!(has("pyongyang", NameStrength::Curated, false));
        assert!(has("평양", NameStrength::Curated, false));
        assert!(
            has("pyongyang", NameStrength::Alternate, false),
            "stem of Pyongyang-si"
        );
        assert!(
            has("pyongyangsi", NameStrength::Alternate, false),
            "written solid"
        );
        assert!(has("平壤", NameStrength::Curated, false));
        assert!(has("heijo", NameStrength::Alternate, false));
        assert!(has("dprk", NameStrength::Curated, true));
        assert!(has("ryugyong", NameStrength::Curated, false));
        // "pyongyang" names entry 0 twice; the index keeps the curated reading.
        let index = source.index();
        let hits: Vec<_> = index
            .iter()
            .filter(|r| r.hash == name_hash("pyongyang"))
            .collect();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].strength, NameStrength::Curated);
    }

    #[test]
    fn abbreviations_are_capitals() {
        assert!(is_abbreviation("US"));
        assert!(is_abbreviation("U.S."));
        assert!(!is_abbreviation("Burma"));
    }
}
