//! Placeholder: filled by the place_corpus change.
