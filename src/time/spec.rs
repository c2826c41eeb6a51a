//! Placeholder: the grammar lands in the time-stage change.
use super::*;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TimeSpec {}

pub fn parse_time_exprs(_text: &str) -> Vec<TimeExpr> {
    Vec::new()
}

pub fn resolve_time_expr(expr: &TimeExpr, _anchor: &Anchor) -> Resolved {
    match expr.spec {}
}
