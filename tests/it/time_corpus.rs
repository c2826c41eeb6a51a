//! Placeholder: filled by the time_corpus change.
