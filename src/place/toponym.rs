//! Placeholder: toponym search lands in the place-stage change.
use super::{Gazetteer, PlaceMention};

pub fn find_places(_text: &str, _gazetteer: &Gazetteer) -> Vec<PlaceMention> {
    Vec::new()
}
