//! One integration-test binary (faster to link than one per file).

mod cases;
mod claims_corpus;
mod cli;
mod html;
mod place_corpus;
mod render;
mod robustness;
mod route;
mod scan;
mod seeds;
mod time_corpus;
