//! Place stage: an embedded gazetteer and toponym search.
//!
//! In: text. Out: [`PlaceMention`]s, each pointing at a [`Place`] of the [`Gazetteer`] with a
//! confidence and the alternatives it was chosen among.
//!
//! Invariant: every `place_id` in a mention resolves with [`Gazetteer::get`].

use serde::{Deserialize, Serialize};

use crate::text::TextRange;

/// What kind of thing a gazetteer entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    City,
    Country,
    RailStation,
    BorderBridge,
    Region,
}

/// A gazetteer entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Stable id: `gn:<geonameid>` for GeoNames rows, `sup:<slug>` for the supplement,
    /// `country:<ISO2>` for countries.
    pub id: String,
    /// English name.
    pub name: String,
    /// Name in the local script, when known (평양, 丹东).
    pub native: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2; border points carry both sides, `CN/KP`.
    pub country: String,
    /// IANA zone (for border points, the first side's).
    pub tz: String,
    pub population: u64,
    pub kind: PlaceKind,
}

/// How a mention was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// A name or alternate name ("Pyongyang", "平壤").
    Name,
    /// A description that names a place ("the North Korean capital").
    Description,
    /// A country ("into China").
    Country,
}

/// A place named in text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceMention {
    pub range: TextRange,
    pub text: String,
    pub place_id: String,
    /// 0..=1: how sure the choice among homonyms is.
    pub confidence: f64,
    /// Other entries the name could mean, best first.
    pub alternatives: Vec<String>,
    pub how: MatchKind,
}

mod gazetteer;
mod lexicon;
mod normalize;
mod toponym;
mod tsv;

pub use gazetteer::Gazetteer;
pub use normalize::{normalize_name, strip_admin_suffix};
pub use toponym::{country_hints, find_places, find_places_in_context, CountryHint, PlaceContext};

/// Parses every embedded data file of the place stage (gazetteer, supplement, aliases, word
/// lists) and checks that every id they name resolves.
///
/// # Errors
///
/// The first problem, as `data/place/<file>:<line>: ...`.
pub fn check_embedded_data() -> Result<(), String> {
    let gazetteer = Gazetteer::parse_embedded()?;
    let lexicon = lexicon::Lexicon::parse_embedded()?;
    for id in lexicon.description_targets() {
        if gazetteer.get(id).is_none() {
            return Err(format!(
                "data/place/descriptions.tsv: expected a gazetteer id, found {id:?}"
            ));
        }
    }
    Ok(())
}
