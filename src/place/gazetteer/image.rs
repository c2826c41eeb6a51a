//! The gazetteer image: the binary layout that `build.rs` writes from the `data/place/` tables
//! (see `source.rs`) and that [`super::Gazetteer`] reads where it lies, so a run parses nothing.
//!
//! All integers are little-endian. After a header of [`HEADER_BYTES`] come these sections, each
//! an array of fixed-width rows:
//!
//! | section    | rows                   | bytes per row       | content                                    |
//! |------------|------------------------|---------------------|--------------------------------------------|
//! | entries    | entries                | [`ENTRY_BYTES`]     | see the `ENTRY_*` offsets                  |
//! | geonameids | cities                 | 4                   | ascending; city `i` is entry `i`           |
//! | other ids  | entries − cities       | 4                   | the other entries, sorted by id            |
//! | countries  | countries              | 8                   | entry, capital entry or [`NO_ENTRY`]; sorted by ISO2 |
//! | hashes     | index rows             | 8                   | [`name_hash`] of a normalised name, ascending |
//! | hits       | index rows             | 4                   | entry and `HIT_*` bits, ascending by entry within one hash |
//! | arena      | arena bytes            | 1                   | UTF-8 text the string fields point into    |
//!
//! The header is [`MAGIC`] and five `u32` counts: entries, cities, countries, index rows, arena
//! bytes. A string field is a `u32` arena offset and a `u16` length.
//!
//! Invariant: both sides include this file, so the layout has one definition.

/// First bytes of an image; the digit is the layout version.
pub(crate) const MAGIC: &[u8; 4] = b"RGZ1";
pub(crate) const HEADER_BYTES: usize = 4 + 5 * 4;

/// Bytes of a string field: arena offset (`u32`) and length (`u16`).
pub(crate) const STR_BYTES: usize = 6;
/// Offsets of the fields within an entry row.
pub(crate) const ENTRY_ID: usize = 0;
pub(crate) const ENTRY_NAME: usize = ENTRY_ID + STR_BYTES;
/// Zero length means no native name.
pub(crate) const ENTRY_NATIVE: usize = ENTRY_NAME + STR_BYTES;
pub(crate) const ENTRY_COUNTRY: usize = ENTRY_NATIVE + STR_BYTES;
pub(crate) const ENTRY_TZ: usize = ENTRY_COUNTRY + STR_BYTES;
/// `f64` bits, degrees.
pub(crate) const ENTRY_LAT: usize = ENTRY_TZ + STR_BYTES;
pub(crate) const ENTRY_LON: usize = ENTRY_LAT + 8;
/// `u64`.
pub(crate) const ENTRY_POPULATION: usize = ENTRY_LON + 8;
/// One of the `KIND_*` codes.
pub(crate) const ENTRY_KIND: usize = ENTRY_POPULATION + 8;
/// Rounded up to a multiple of 8.
pub(crate) const ENTRY_BYTES: usize = (ENTRY_KIND + 1).div_ceil(8) * 8;

/// Place kinds as stored.
pub(crate) const KIND_CITY: u8 = 0;
pub(crate) const KIND_COUNTRY: u8 = 1;
pub(crate) const KIND_RAIL_STATION: u8 = 2;
pub(crate) const KIND_BORDER_BRIDGE: u8 = 3;
pub(crate) const KIND_REGION: u8 = 4;

/// A country without a capital entry.
pub(crate) const NO_ENTRY: u32 = u32::MAX;

/// Hit bit: the name is curated (see [`NameStrength`]).
pub(crate) const HIT_CURATED: u32 = 1 << 31;
/// Hit bit: the name matches only text written in capitals.
pub(crate) const HIT_CAPS_ONLY: u32 = 1 << 30;
/// The entry number in a hit.
pub(crate) const HIT_ENTRY_MASK: u32 = HIT_CAPS_ONLY - 1;

/// How strongly a name belongs to an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum NameStrength {
    /// One of GeoNames' many alternate names ("Khasan" for Hassan, India).
    Alternate,
    /// The entry's own name, native name, a curated alias or a supplement name.
    Curated,
}

/// Bits of the first-word filter (256 KiB), which `build.rs` writes beside the image as
/// `gazetteer_first_words.bin` (little-endian `u64` words): a bit per [`first_word_slot`] of the
/// [`name_hash`] of the first word (the part before the first space) of every indexed key.
pub(crate) const FIRST_WORD_FILTER_BITS_LOG2: u32 = 21;

/// The first-word filter slot of a word's [`name_hash`] (mixed again: FNV's low bits are weak).
pub(crate) fn first_word_slot(hash: u64) -> usize {
    (hash.wrapping_mul(0xc2b2_ae3d_27d4_eb4f) >> (64 - FIRST_WORD_FILTER_BITS_LOG2)) as usize
}

/// FNV-1a, 64 bits, of a normalised name. The index stores hashes, not names: the image stays
/// small and a lookup compares integers. A test checks that no two names of the embedded data
/// share a hash; a text n-gram colliding with a name is a 1-in-10^13 event.
pub(crate) fn name_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
