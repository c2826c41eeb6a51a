//! Placeholder: filled by the render change.
