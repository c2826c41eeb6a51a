//! retrace reconstructs a journey from several news articles and checks whether their accounts
//! hold together.
//!
//! The pipeline, one module a stage: [`ingest`] (files → [`ingest::Article`]s) → [`time`]
//! (phrases → windows) → [`place`] (toponyms → gazetteer entries) → [`claims`] (who went where
//! when; speeds, durations, distances) → [`route`] (stops and legs on a rail network) →
//! [`check`] (consistency) → [`render`] (SVG, PNG) → [`report`] (JSON, GeoJSON, Markdown).
//! The core does no IO except [`ingest`], which reads articles; the binary writes files.

pub mod check;
pub mod claims;
pub mod diag;
pub mod error;
pub mod ingest;
pub mod place;
pub mod render;
pub mod report;
pub mod route;
pub mod text;
pub mod time;
pub mod tsv;

pub use error::{Error, Result};
