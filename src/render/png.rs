//! Rasterising with resvg and the fonts shipped in `data/fonts/` (no system fonts, so every
//! machine draws the same pixels).

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::metrics::{NOTO_SANS_BOLD, NOTO_SANS_CJK, NOTO_SANS_REGULAR};
use crate::error::{Error, Result};

fn font_database() -> Arc<usvg::fontdb::Database> {
    static DATABASE: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let mut database = usvg::fontdb::Database::new();
            database.load_font_data(NOTO_SANS_REGULAR.to_vec());
            database.load_font_data(NOTO_SANS_BOLD.to_vec());
            database.load_font_data(NOTO_SANS_CJK.to_vec());
            database.set_sans_serif_family("Noto Sans");
            Arc::new(database)
        })
        .clone()
}

/// Rasterises an SVG with the font shipped in the repo.
///
/// # Errors
///
/// [`Error::Input`] when the SVG does not parse or has no drawable size.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>> {
    let options = usvg::Options {
        font_family: "Noto Sans".to_string(),
        fontdb: font_database(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| Error::input("<svg>", None, format!("cannot parse svg: {e}")))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| Error::input("<svg>", None, "svg has an empty or too large size"))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::input("<svg>", None, format!("cannot encode png: {e}")))
}
