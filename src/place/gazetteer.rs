//! The embedded gazetteer: GeoNames cities of 5,000+ people, countries, and a hand supplement of
//! border stations and bridges, with an index of their normalised names.
//!
//! `build.rs` parses the tables of `data/place/` (code in `gazetteer/source.rs`) and embeds the
//! result as an image (layout in `gazetteer/image.rs`): entry rows, sorted id tables, the name
//! index as sorted hashes, and the text. Loading checks the image's header and nothing else;
//! an entry becomes a [`Place`] on first access, and a lookup is a binary search in the image.
//!
//! Invariant: ids are unique; every alias target names an entry.

use std::sync::OnceLock;

mod image;
#[cfg(test)]
mod source;

pub(crate) use self::image::{name_hash, NameStrength};
use self::image::{
    ENTRY_BYTES, ENTRY_COUNTRY, ENTRY_ID, ENTRY_KIND, ENTRY_LAT, ENTRY_LON, ENTRY_NAME,
    ENTRY_NATIVE, ENTRY_POPULATION, ENTRY_TZ, HEADER_BYTES, HIT_CAPS_ONLY, HIT_CURATED,
    HIT_ENTRY_MASK, KIND_BORDER_BRIDGE, KIND_CITY, KIND_COUNTRY, KIND_RAIL_STATION, KIND_REGION,
    MAGIC, NO_ENTRY,
};
use super::normalize::{normalize_name, strip_admin_suffix};
// For `source.rs`, which reaches them as `super::normalize` and `super::tsv` (as in build.rs).
#[cfg(test)]
use super::{normalize, tsv};
use super::{Place, PlaceKind};

/// The image `build.rs` writes from the `data/place/` tables.
static IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.bin"));

/// The first-word filter `build.rs` writes beside the image (layout in `image.rs`).
static FIRST_WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer_first_words.bin"));

/// Entries become [`Place`]s in chunks of this many, so a run that touches a few hundred of the
/// 69,000 entries allocates room for little more than those.
const CHUNK_ENTRIES: usize = 64;

/// One index entry: a place a normalised name points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NameHit {
    pub place: u32,
    pub strength: NameStrength,
    /// Abbreviations written in capitals ("US", "DPRK") match only capitals in the text.
    pub caps_only: bool,
}

/// The gazetteer: a view of the embedded image and the entries decoded so far.
pub struct Gazetteer {
    image: &'static [u8],
    entries: usize,
    cities: usize,
    countries: usize,
    index_rows: usize,
    /// Byte offsets of the sections in `image`.
    entries_at: usize,
    geonameids_at: usize,
    other_ids_at: usize,
    countries_at: usize,
    hashes_at: usize,
    hits_at: usize,
    arena_at: usize,
    /// Decoded entries, by chunks of [`CHUNK_ENTRIES`].
    places: Box<[OnceLock<Chunk>]>,
    /// One bit per slot of [`filter_slot`]: set when some index row's hash falls in the slot.
    /// Most phrases the toponym search tries are no name; this answers them without a binary
    /// search.
    hash_filter: OnceLock<Box<[u64]>>,
}

/// Bits of [`Gazetteer::hash_filter`] (1 MiB): for the ~300,000 index rows about 4% of the
/// phrases that are no name still need the binary search.
const FILTER_BITS_LOG2: u32 = 23;

/// The filter slot of a name hash: the hash mixed again (FNV's low bits are weak) and its top
/// bits.
fn filter_slot(hash: u64) -> usize {
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - FILTER_BITS_LOG2)) as usize
}

/// [`CHUNK_ENTRIES`] entries, each decoded on first access.
type Chunk = Box<[OnceLock<Place>]>;

/// [`Gazetteer::embedded`], once opened.
static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();

impl Gazetteer {
    /// The gazetteer compiled into the binary, opened on first use.
    pub fn embedded() -> &'static Gazetteer {
        EMBEDDED.get_or_init(|| {
            Gazetteer::parse_embedded().expect("embedded gazetteer image opens (tested)")
        })
    }

    /// True when this is [`Gazetteer::embedded`] (which lives as long as the program, so
    /// answers about it can be kept across texts).
    pub(crate) fn is_embedded(&self) -> bool {
        EMBEDDED.get().is_some_and(|g| std::ptr::eq(g, self))
    }

    /// Opens the embedded image: checks its header and section sizes. The tables themselves were
    /// parsed by `build.rs`, which fails the build with `data/place/<file>:<line>: ...` for a
    /// malformed row.
    ///
    /// # Errors
    ///
    /// When the image is truncated or of another layout version.
    pub fn parse_embedded() -> Result<Gazetteer, String> {
        Gazetteer::open(IMAGE)
    }

    fn open(image: &'static [u8]) -> Result<Gazetteer, String> {
        const WHAT: &str = "embedded gazetteer image";
        if image.len() < HEADER_BYTES || &image[..4] != MAGIC {
            return Err(format!("{WHAT}: expected a header starting {MAGIC:?}"));
        }
        let count = |k: usize| read_u32(image, 4 + 4 * k) as usize;
        let (entries, cities, countries, index_rows, arena_bytes) =
            (count(0), count(1), count(2), count(3), count(4));
        if cities > entries {
            return Err(format!(
                "{WHAT}: expected at most {entries} cities, found {cities}"
            ));
        }
        let entries_at = HEADER_BYTES;
        let geonameids_at = entries_at + entries * ENTRY_BYTES;
        let other_ids_at = geonameids_at + cities * 4;
        let countries_at = other_ids_at + (entries - cities) * 4;
        let hashes_at = countries_at + countries * 8;
        let hits_at = hashes_at + index_rows * 8;
        let arena_at = hits_at + index_rows * 4;
        let expected_len = arena_at + arena_bytes;
        if image.len() != expected_len {
            return Err(format!(
                "{WHAT}: expected {expected_len} bytes, found {}",
                image.len()
            ));
        }
        let places = (0..entries.div_ceil(CHUNK_ENTRIES))
            .map(|_| OnceLock::new())
            .collect();
        Ok(Gazetteer {
            image,
            entries,
            cities,
            countries,
            index_rows,
            entries_at,
            geonameids_at,
            other_ids_at,
            countries_at,
            hashes_at,
            hits_at,
            arena_at,
            places,
            hash_filter: OnceLock::new(),
        })
    }

    fn u32_at(&self, at: usize) -> u32 {
        read_u32(self.image, at)
    }

    fn u64_at(&self, at: usize) -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.image[at..at + 8]);
        u64::from_le_bytes(b)
    }

    /// The bytes of the string field at byte `at` of the image (an arena offset and a length),
    /// or `None` when they fall outside the image.
    fn field_bytes(&self, at: usize) -> Option<&'static [u8]> {
        let image = self.image;
        let offset = read_u32(image, at) as usize;
        let len = usize::from(u16::from_le_bytes([image[at + 4], image[at + 5]]));
        let start = self.arena_at + offset;
        image.get(start..start + len)
    }

    /// The string field at byte `at` of the image.
    fn str_at(&self, at: usize) -> Result<&'static str, String> {
        self.field_bytes(at)
            .and_then(|b| std::str::from_utf8(b).ok())
            .ok_or_else(|| format!("embedded gazetteer image: bad string at byte {at}"))
    }

    /// The bytes of the string field at byte `at`, unchecked as UTF-8: for the binary
    /// searches, which compare many fields to find one (byte order is `str` order) and
    /// were mostly validating them.
    fn bytes_at(&self, at: usize) -> &'static [u8] {
        self.field_bytes(at)
            .expect("embedded gazetteer strings decode (tested by check_all_rows)")
    }

    fn entry_at(&self, idx: u32) -> usize {
        self.entries_at + idx as usize * ENTRY_BYTES
    }

    /// Decodes entry `idx`.
    ///
    /// # Errors
    ///
    /// When a string is not UTF-8 or a kind is unknown (a bug in `build.rs`).
    fn decode(&self, idx: u32) -> Result<Place, String> {
        let at = self.entry_at(idx);
        let text = |field: usize| self.str_at(at + field).map(str::to_string);
        let kind = match self.image[at + ENTRY_KIND] {
            KIND_CITY => PlaceKind::City,
            KIND_COUNTRY => PlaceKind::Country,
            KIND_RAIL_STATION => PlaceKind::RailStation,
            KIND_BORDER_BRIDGE => PlaceKind::BorderBridge,
            KIND_REGION => PlaceKind::Region,
            other => {
                return Err(format!(
                    "embedded gazetteer image: entry {idx}: expected a kind code, found {other}"
                ))
            }
        };
        let native = text(ENTRY_NATIVE)?;
        Ok(Place {
            id: text(ENTRY_ID)?,
            name: text(ENTRY_NAME)?,
            native: (!native.is_empty()).then_some(native),
            lat: f64::from_bits(self.u64_at(at + ENTRY_LAT)),
            lon: f64::from_bits(self.u64_at(at + ENTRY_LON)),
            country: text(ENTRY_COUNTRY)?,
            tz: text(ENTRY_TZ)?,
            population: self.u64_at(at + ENTRY_POPULATION),
            kind,
        })
    }

    /// Decodes every entry and checks every id table and index row, for the test of the
    /// embedded data.
    ///
    /// # Errors
    ///
    /// The first problem found.
    pub(crate) fn check_all_rows(&self) -> Result<(), String> {
        const WHAT: &str = "embedded gazetteer image";
        for idx in 0..self.entries {
            let p = self.decode(idx as u32)?;
            if self.index_of(&p.id) != Some(idx as u32) {
                return Err(format!("{WHAT}: id {} does not resolve to its entry", p.id));
            }
        }
        let ascending = |at: usize, rows: usize, width: usize| {
            (1..rows).all(|i| {
                let (a, b) = (at + (i - 1) * width, at + i * width);
                if width == 8 {
                    self.u64_at(a) <= self.u64_at(b)
                } else {
                    self.u32_at(a) < self.u32_at(b)
                }
            })
        };
        if !ascending(self.geonameids_at, self.cities, 4) {
            return Err(format!("{WHAT}: expected ascending geonameids"));
        }
        if !ascending(self.hashes_at, self.index_rows, 8) {
            return Err(format!("{WHAT}: expected ascending name hashes"));
        }
        for i in 0..self.index_rows {
            let entry = self.u32_at(self.hits_at + 4 * i) & HIT_ENTRY_MASK;
            if entry as usize >= self.entries {
                return Err(format!(
                    "{WHAT}: index row {i} names entry {entry} of {}",
                    self.entries
                ));
            }
        }
        for i in 0..self.countries {
            let at = self.countries_at + 8 * i;
            for entry in [self.u32_at(at), self.u32_at(at + 4)] {
                if entry != NO_ENTRY && entry as usize >= self.entries {
                    return Err(format!("{WHAT}: country row {i} names entry {entry}"));
                }
            }
        }
        Ok(())
    }

    /// Builds the name index now. The index is built into the binary, so this does nothing; it
    /// stays for callers that warm up before timing.
    pub fn warm_up(&self) {}

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// All entries, in load order (cities, countries, supplement).
    pub fn iter(&self) -> impl Iterator<Item = &Place> {
        (0..self.entries).map(|i| self.place(i as u32))
    }

    pub fn get(&self, id: &str) -> Option<&Place> {
        self.index_of(id).map(|i| self.place(i))
    }

    pub(crate) fn index_of(&self, id: &str) -> Option<u32> {
        if let Some(number) = id.strip_prefix("gn:") {
            let geonameid: u32 = number.parse().ok()?;
            let at = self.geonameids_at;
            let i = partition_point(self.cities, |i| self.u32_at(at + 4 * i) < geonameid);
            return (i < self.cities && self.u32_at(at + 4 * i) == geonameid)
                .then(|| u32::try_from(i).ok())
                .flatten();
        }
        let others = self.entries - self.cities;
        let entry = |i: usize| self.u32_at(self.other_ids_at + 4 * i);
        let id_of = |i: usize| self.bytes_at(self.entry_at(entry(i)) + ENTRY_ID);
        let id = id.as_bytes();
        let i = partition_point(others, |i| id_of(i) < id);
        (i < others && id_of(i) == id).then(|| entry(i))
    }

    pub(crate) fn place(&self, idx: u32) -> &Place {
        let i = idx as usize;
        let chunk = self.places[i / CHUNK_ENTRIES].get_or_init(|| {
            let first = i / CHUNK_ENTRIES * CHUNK_ENTRIES;
            let len = CHUNK_ENTRIES.min(self.entries - first);
            (0..len).map(|_| OnceLock::new()).collect()
        });
        chunk[i % CHUNK_ENTRIES].get_or_init(|| {
            self.decode(idx)
                .expect("embedded gazetteer entries decode (tested by check_all_rows)")
        })
    }

    /// The row of `iso2` in the countries table: (country entry, capital entry).
    fn country_row(&self, iso2: &str) -> Option<(u32, Option<u32>)> {
        let at = |i: usize| self.countries_at + 8 * i;
        let country = |i: usize| self.bytes_at(self.entry_at(self.u32_at(at(i))) + ENTRY_COUNTRY);
        let iso2 = iso2.as_bytes();
        let i = partition_point(self.countries, |i| country(i) < iso2);
        if i >= self.countries || country(i) != iso2 {
            return None;
        }
        let capital = self.u32_at(at(i) + 4);
        Some((self.u32_at(at(i)), (capital != NO_ENTRY).then_some(capital)))
    }

    /// The country entry (`country:XX`) of an ISO 3166-1 alpha-2 code.
    pub fn country(&self, iso2: &str) -> Option<&Place> {
        self.country_row(iso2).map(|(c, _)| self.place(c))
    }

    /// The capital city entry of a country.
    pub fn capital(&self, iso2: &str) -> Option<&Place> {
        self.country_row(iso2)
            .and_then(|(_, capital)| capital)
            .map(|i| self.place(i))
    }

    /// False when no name of the index has this hash (true does not promise one).
    pub(crate) fn may_have_hash(&self, hash: u64) -> bool {
        let filter = self.hash_filter.get_or_init(|| {
            let mut bits = vec![0u64; (1usize << FILTER_BITS_LOG2) / 64].into_boxed_slice();
            for i in 0..self.index_rows {
                let slot = filter_slot(self.u64_at(self.hashes_at + 8 * i));
                bits[slot / 64] |= 1 << (slot % 64);
            }
            bits
        });
        let slot = filter_slot(hash);
        filter[slot / 64] & (1 << (slot % 64)) != 0
    }

    /// False when no indexed name key starts with a word (the whole key or the part before its
    /// first space) whose [`name_hash`] is `hash`; true does not promise one. The toponym search
    /// asks this once per capitalised word, before hashing any phrase from it.
    pub(crate) fn may_start_with_hash(&self, hash: u64) -> bool {
        let slot = self::image::first_word_slot(hash);
        // Bit `slot` of little-endian u64 words is bit `slot % 8` of byte `slot / 8`; a filter
        // of another size (never built) answers true.
        FIRST_WORDS
            .get(slot / 8)
            .is_none_or(|byte| byte & (1 << (slot % 8)) != 0)
    }

    /// Index hits of a name hash.
    pub(crate) fn hits_of_hash(&self, hash: u64) -> impl Iterator<Item = NameHit> + '_ {
        let first = if self.may_have_hash(hash) {
            partition_point(self.index_rows, |i| {
                self.u64_at(self.hashes_at + 8 * i) < hash
            })
        } else {
            self.index_rows
        };
        (first..self.index_rows)
            .take_while(move |&i| self.u64_at(self.hashes_at + 8 * i) == hash)
            .map(|i| {
                let hit = self.u32_at(self.hits_at + 4 * i);
                NameHit {
                    place: hit & HIT_ENTRY_MASK,
                    strength: if hit & HIT_CURATED != 0 {
                        NameStrength::Curated
                    } else {
                        NameStrength::Alternate
                    },
                    caps_only: hit & HIT_CAPS_ONLY != 0,
                }
            })
    }

    /// Index hits of an already normalised key.
    pub(crate) fn hits(&self, key: &str) -> impl Iterator<Item = NameHit> + '_ {
        self.hits_of_hash(name_hash(key))
    }

    /// Entries whose name or alternate name matches `name` after normalisation (case, diacritics,
    /// apostrophes, dashes, administrative suffixes such as 市, 시, -si), best first: curated
    /// names before alternates, then larger population, then id.
    ///
    /// # Examples
    ///
    /// ```
    /// use retrace::place::Gazetteer;
    /// let g = Gazetteer::embedded();
    /// assert_eq!(g.lookup("P'yŏngyang")[0].name, "Pyongyang");
    /// assert_eq!(g.lookup("丹东")[0].name, "Dandong");
    /// ```
    pub fn lookup(&self, name: &str) -> Vec<&Place> {
        let key = normalize_name(name);
        let mut hits: Vec<NameHit> = self.hits(&key).collect();
        if hits.is_empty() {
            if let Some(stem) = strip_admin_suffix(&key) {
                hits = self.hits(stem).collect();
            }
        }
        hits.sort_by(|a, b| {
            let (pa, pb) = (self.place(a.place), self.place(b.place));
            b.strength
                .cmp(&a.strength)
                .then(pb.population.cmp(&pa.population))
                .then(pa.id.cmp(&pb.id))
        });
        hits.into_iter().map(|h| self.place(h.place)).collect()
    }
}

fn read_u32(image: &[u8], at: usize) -> u32 {
    // One range check and one load, not one of each per byte: the index searches read
    // thousands of these per article.
    let mut b = [0u8; 4];
    b.copy_from_slice(&image[at..at + 4]);
    u32::from_le_bytes(b)
}

/// The first of `0..len` for which `is_before` is false (`is_before` is true for a prefix).
fn partition_point(len: usize, is_before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if is_before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::Read;

    use super::source::{Entry, Source, Tables};
    use super::*;

    /// The source tables, parsed again as `build.rs` parses them.
    fn with_source(check: impl FnOnce(&Source)) {
        let mut gazetteer = String::new();
        flate2::read::GzDecoder::new(&include_bytes!("../../data/place/gazetteer.tsv.gz")[..])
            .read_to_string(&mut gazetteer)
            .unwrap_or_else(|e| panic!("{e}"));
        let tables = Tables {
            gazetteer: &gazetteer,
            countries: include_str!("../../data/place/countries.tsv"),
            country_names: include_str!("../../data/place/country_names.tsv"),
            supplement: include_str!("../../data/place/supplement.tsv"),
            aliases: include_str!("../../data/place/aliases.tsv"),
        };
        let source = Source::parse(&tables).unwrap_or_else(|e| panic!("{e}"));
        check(&source);
    }

    #[test]
    fn embedded_data_parses_and_aliases_resolve() {
        let g = Gazetteer::parse_embedded().unwrap_or_else(|e| panic!("{e}"));
        g.check_all_rows().unwrap_or_else(|e| panic!("{e}"));
        assert!(g.len() > 69_000, "{}", g.len());
        assert_eq!(
            g.country("KP").map(|p| p.name.as_str()),
            Some("North Korea")
        );
        assert_eq!(g.capital("KP").map(|p| p.name.as_str()), Some("Pyongyang"));
        assert_eq!(
            g.get("sup:khasan_station").map(|p| p.kind),
            Some(PlaceKind::RailStation)
        );
        assert!(g.get("gn:0").is_none());
        assert!(g.get("sup:nowhere").is_none());
        assert!(g.country("ZZ").is_none());
    }

    #[test]
    fn image_holds_the_source_tables() {
        with_source(|source| {
            let g = Gazetteer::embedded();
            assert_eq!(g.len(), source.entries.len());
            let kind = |p: &Place| match p.kind {
                PlaceKind::City => image::KIND_CITY,
                PlaceKind::Country => image::KIND_COUNTRY,
                PlaceKind::RailStation => image::KIND_RAIL_STATION,
                PlaceKind::BorderBridge => image::KIND_BORDER_BRIDGE,
                PlaceKind::Region => image::KIND_REGION,
            };
            for (p, e) in g.iter().zip(&source.entries) {
                let decoded = Entry {
                    id: p.id.clone(),
                    name: &p.name,
                    native: p.native.as_deref().unwrap_or(""),
                    lat: p.lat,
                    lon: p.lon,
                    country: &p.country,
                    tz: &p.tz,
                    population: p.population,
                    kind: kind(p),
                };
                assert_eq!(&decoded, e);
                assert_eq!(decoded.lat.to_bits(), e.lat.to_bits(), "{}", e.id);
            }
            for (iso2, (country, capital)) in &source.countries {
                assert_eq!(g.country_row(iso2), Some((*country, *capital)), "{iso2}");
            }
            let index = source.index();
            let mut row = 0;
            while row < index.len() {
                let hash = index[row].hash;
                let expected: Vec<NameHit> = index[row..]
                    .iter()
                    .take_while(|r| r.hash == hash)
                    .map(|r| NameHit {
                        place: r.entry,
                        strength: r.strength,
                        caps_only: r.caps_only,
                    })
                    .collect();
                row += expected.len();
                assert_eq!(g.hits_of_hash(hash).collect::<Vec<_>>(), expected);
            }
        });
    }

    #[test]
    fn image_is_deterministic() {
        with_source(|source| {
            let image = source.encode().unwrap_or_else(|e| panic!("{e}"));
            assert!(
                image == IMAGE,
                "build.rs wrote another image than the tables give"
            );
            assert!(
                source.encode_first_words() == FIRST_WORDS,
                "build.rs wrote another first-word filter than the tables give"
            );
        });
    }

    #[test]
    fn lookup_folds_spelling() {
        let g = Gazetteer::embedded();
        for name in [
            "P'yŏngyang",
            "Pyeongyang",
            "평양",
            "平壤",
            "Pyongyang-si",
            "PYONGYANG",
        ] {
            assert_eq!(
                g.lookup(name).first().map(|p| p.id.as_str()),
                Some("gn:1871859"),
                "{name}"
            );
        }
        for name in ["丹东", "Antung", "丹東市", "Dandong"] {
            assert_eq!(
                g.lookup(name).first().map(|p| p.id.as_str()),
                Some("gn:2037886"),
                "{name}"
            );
        }
        assert_eq!(
            g.lookup("Khasan").first().map(|p| p.id.as_str()),
            Some("sup:khasan_station")
        );
        assert_eq!(
            g.lookup("Peking").first().map(|p| p.id.as_str()),
            Some("gn:1816670")
        );
        assert_eq!(
            g.lookup("DPRK").first().map(|p| p.id.as_str()),
            Some("country:KP")
        );
    }

    #[test]
    fn no_two_names_share_a_hash() {
        with_source(|source| {
            let mut seen: HashMap<u64, String> = HashMap::new();
            let mut collisions = Vec::new();
            source.for_each_key(|_, key| {
                let previous = seen
                    .entry(name_hash(key))
                    .or_insert_with(|| key.to_string());
                if previous != key {
                    collisions.push(format!("{previous:?} and {key:?}"));
                }
            });
            assert!(collisions.is_empty(), "{collisions:?}");
        });
    }
}
