//! One integration-test binary (faster to link than one per file).

mod place_corpus;
mod render;
mod route;
mod time_corpus;
