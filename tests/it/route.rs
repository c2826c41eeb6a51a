//! Placeholder: filled by the route change.
