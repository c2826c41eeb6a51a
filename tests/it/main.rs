//! One integration-test binary (faster to link than one per file).

mod cases;
mod claims_corpus;
mod cli;
mod html;
mod place_corpus;
mod render;
mod route;
mod seeds;
mod time_corpus;
