//! Text measurement with the shipped fonts, so labels can be wrapped and kept apart before the
//! SVG is rasterised. Widths are the sum of horizontal advances (no kerning), which is within a
//! few per cent of what resvg lays out.

use std::sync::OnceLock;

pub const NOTO_SANS_REGULAR: &[u8] = include_bytes!("../../data/fonts/NotoSans-Regular.ttf");
pub const NOTO_SANS_BOLD: &[u8] = include_bytes!("../../data/fonts/NotoSans-Bold.ttf");
pub const NOTO_SANS_CJK: &[u8] = include_bytes!("../../data/fonts/NotoSansCJKsc-Subset.otf");

struct Faces {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
    cjk: ttf_parser::Face<'static>,
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| Faces {
        regular: ttf_parser::Face::parse(NOTO_SANS_REGULAR, 0)
            .expect("data/fonts/NotoSans-Regular.ttf parses"),
        bold: ttf_parser::Face::parse(NOTO_SANS_BOLD, 0)
            .expect("data/fonts/NotoSans-Bold.ttf parses"),
        cjk: ttf_parser::Face::parse(NOTO_SANS_CJK, 0)
            .expect("data/fonts/NotoSansCJKsc-Subset.otf parses"),
    })
}

fn advance(face: &ttf_parser::Face<'_>, c: char) -> Option<f64> {
    let glyph = face.glyph_index(c)?;
    let advance = face.glyph_hor_advance(glyph)?;
    Some(f64::from(advance) / f64::from(face.units_per_em()))
}

/// Width in px of `text` at `size_px`, after the same control-character cleaning the SVG gets.
pub fn text_width(text: &str, size_px: f64, bold: bool) -> f64 {
    let faces = faces();
    let latin = if bold { &faces.bold } else { &faces.regular };
    let em: f64 = crate::text::strip_controls(text, true)
        .chars()
        .map(|c| {
            advance(latin, c)
                .or_else(|| advance(&faces.cjk, c))
                .unwrap_or(1.0)
        })
        .sum();
    em * size_px
}

/// Greedy word wrap to `max_width_px`; a word longer than a line is cut with an ellipsis.
pub fn wrap(text: &str, size_px: f64, bold: bool, max_width_px: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size_px, bold) <= max_width_px || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
        if text_width(&line, size_px, bold) > max_width_px {
            line = truncate(&line, size_px, bold, max_width_px);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Cuts `text` so it fits `max_width_px`, ending in `…` when something was cut.
pub fn truncate(text: &str, size_px: f64, bold: bool, max_width_px: f64) -> String {
    if text_width(text, size_px, bold) <= max_width_px {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&format!("{out}…"), size_px, bold) > max_width_px {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

/// An axis-aligned box, for keeping labels apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }

    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    pub fn inside(&self, outer: &Rect) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }

    pub fn grow(&self, by: f64) -> Rect {
        Rect::new(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_measure_latin_and_cjk() {
        let latin = text_width("Beijing", 12.0, false);
        assert!(latin > 30.0 && latin < 60.0, "{latin}");
        // CJK ideographs are one em wide.
        assert!((text_width("北京", 10.0, false) - 20.0).abs() < 0.5);
        assert!(text_width("Beijing", 12.0, true) > latin);
    }

    #[test]
    fn wrap_keeps_lines_within_width() {
        let lines = wrap(
            "Sino-Korean Friendship Bridge between Sinuiju and Dandong",
            12.0,
            false,
            120.0,
        );
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| text_width(l, 12.0, false) <= 120.0));
    }
}
