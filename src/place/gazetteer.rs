//! Placeholder: the embedded gazetteer lands in the place-stage change.
use super::Place;

pub struct Gazetteer {
    places: Vec<Place>,
}

impl Gazetteer {
    /// The gazetteer compiled into the binary.
    pub fn embedded() -> &'static Gazetteer {
        static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        G.get_or_init(|| Gazetteer { places: Vec::new() })
    }

    pub fn get(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id == id)
    }

    /// Entries whose name or alternate name matches `name` after normalisation.
    pub fn lookup(&self, _name: &str) -> Vec<&Place> {
        Vec::new()
    }
}
