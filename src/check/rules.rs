//! The catalogue of checks. Ids are stable snake_case (they double as SARIF `ruleId`s and
//! `retrace explain` topics); never rename one.

use crate::diag::Severity;

/// One check, documented the way clippy documents a lint.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    Rule {
        id: "time_window_conflict", severity: Severity::Error,
        title: "claims about one event give windows that do not overlap",
        what: "Two or more claims put the same event (a departure, a crossing) in time windows with no instant in common, once the publication times are taken into account.",
        why: "At most one of them can be right; a report that repeats both repeats an error.",
        example: "'departed Pyongyang on Monday afternoon' (12:00–18:00 KST) and 'left on Monday evening' (18:00–24:00 KST).",
        fix: "Check the sources; retrace drops the weakest claim (forecast before report, single source before corroborated) and reports the rest.",
    },
    Rule {
        id: "implied_speed_above_bound", severity: Severity::Error,
        title: "the times imply a speed the mode cannot reach",
        what: "Between two stops, the latest departure and the earliest arrival the claims allow leave less time than the rail distance needs at the mode's top average speed.",
        why: "A train cannot cover 1,201 km in 5 hours; one of the times, or the route, is wrong.",
        example: "'departed Wednesday morning' from Pyongyang and 'crossed the border at 10:40' 556 km away.",
        fix: "Look for another origin, an earlier departure, or a different mode (case.toml `mode`).",
    },
    Rule {
        id: "claimed_duration_conflict", severity: Severity::Error,
        title: "a stated journey time does not fit the departure and arrival windows",
        what: "A duration claim ('nearly 20 hours', 'up to 24 hours') bounds the time from departure to arrival, and the reconciled windows of those events fall outside it.",
        why: "Either the duration is a forecast that did not come true, or a time claim is off.",
        example: "'left Monday evening', 'arrived Tuesday 16:00 Beijing time', 'a 12-hour trip'.",
        fix: "Prefer reported times over forecast durations; check whether the duration is one way.",
    },
    Rule {
        id: "order_violation", severity: Severity::Error,
        title: "events are out of order",
        what: "Claims put an event before one that must precede it (an attendance before the arrival).",
        why: "The timeline cannot be drawn as stated.",
        example: "'arrived on Wednesday' and 'attended the parade on Tuesday'.",
        fix: "Check the weekday resolution (news profile) and the sources.",
    },
    Rule {
        id: "speed_duration_distance", severity: Severity::Error,
        title: "a stated speed and a stated duration do not cover the rail distance",
        what: "An article gives both a speed and a journey time; at the highest speed the wording allows, that time covers less than the shortest rail route (or far more than the longest).",
        why: "The figures are repeated from one report to the next; one of them is wrong.",
        example: "'travels at just 50 km/h, making the journey nearly 20 hours long' over 1,201 km needs at least 60 km/h.",
        fix: "Quote the distance with the figures, or correct the speed or the duration.",
    },
    Rule {
        id: "duration_vs_distance", severity: Severity::Error,
        title: "a stated duration needs a speed the mode cannot reach",
        what: "The rail distance over the stated duration is an average speed above the mode's top average speed.",
        why: "The duration is too short for the route.",
        example: "'a 5-hour trip' from Pyongyang to Beijing by train.",
        fix: "Check the duration and whether it covers the whole route.",
    },
    Rule {
        id: "speed_vs_timeline", severity: Severity::Warning,
        title: "a stated speed does not fit the reconciled timeline",
        what: "The rail distance at the stated speed gives a journey time outside what the reconciled departure and arrival windows allow.",
        why: "The speed figure is likely a rough or stale number.",
        example: "'travels at 50 km/h' over 1,201 km (about 24 h) with a departure and arrival 10 hours apart.",
        fix: "Attribute the speed figure, or leave it out.",
    },
    Rule {
        id: "conditional_claim", severity: Severity::Info,
        title: "a claim holds only under a condition",
        what: "The claim fits the other claims only if another event happened within a narrower window than the others alone allow.",
        why: "It tells the reader what would have to be true for the claim to hold.",
        example: "'crossed into China on Monday' holds only if the departure was before 23:06 KST.",
        fix: "Nothing to fix; check the condition against another source.",
    },
    Rule {
        id: "publication_time_inferred", severity: Severity::Warning,
        title: "an article's publication time was inferred",
        what: "The article had no usable publication time; retrace inferred a window from the text.",
        why: "Every relative phrase ('on Monday') is anchored on the publication time.",
        example: "An article saved without its dateline or metadata.",
        fix: "Give the time in case.toml or with --published FILE=TIME.",
    },
    Rule {
        id: "place_ambiguous", severity: Severity::Warning,
        title: "a place name has several candidates",
        what: "A claim's place was chosen among homonyms with low confidence.",
        why: "A wrong place moves the route and every distance.",
        example: "'Pingxiang' (Guangxi or Jiangxi).",
        fix: "Name the place more precisely in the article copy, or check the alternatives listed.",
    },
    Rule {
        id: "leg_off_network", severity: Severity::Warning,
        title: "a leg has no rail path",
        what: "Two consecutive stops are not joined on the rail network; the distance is a range from the geodesic.",
        why: "Speeds over that leg are only estimates.",
        example: "A stop far from any station of the network.",
        fix: "Load a fuller network with --rail FILE.",
    },
    Rule {
        id: "claim_unanchored", severity: Severity::Info,
        title: "a claim's time phrase could not be anchored",
        what: "The time phrase of a claim has no value (an event-relative phrase with nothing to anchor on, or no publication time).",
        why: "The claim does not constrain the timeline.",
        example: "'shortly before leaving Pyongyang' with no departure time.",
        fix: "Give the publication time, or accept that the phrase is relative.",
    },
    Rule {
        id: "input_skipped", severity: Severity::Error,
        title: "an input file could not be used",
        what: "A file of the case is empty, binary, or not readable, or case.toml does not parse.",
        why: "The reconstruction is missing what that file says.",
        example: "An empty article file.",
        fix: "Fix or remove the file.",
    },
    Rule {
        id: "border_crossing_not_found", severity: Severity::Warning,
        title: "a border crossing cannot be placed on the route",
        what: "A claim says the traveller crossed into a country, but the rail path between the neighbouring stops never enters it, or the network has no border point of that country.",
        why: "The crossing's time then bounds no leg, and the route may be missing a stop.",
        example: "'crossed into Russia' on a journey from Pyongyang to Beijing.",
        fix: "Check the country in the article, or name the stops on either side of the border.",
    },
    Rule {
        id: "article_without_time", severity: Severity::Info,
        title: "an article has no time expression",
        what: "No date, time or duration phrase was found in the article.",
        why: "Its claims cannot bound the timeline; it only names places.",
        example: "A background piece on the train's armour.",
        fix: "Nothing to fix; check with `retrace times` that no phrase was missed.",
    },
    Rule {
        id: "article_without_place", severity: Severity::Info,
        title: "an article names no place",
        what: "No place of the gazetteer was found in the article.",
        why: "Its time claims attach to no stop of the route.",
        example: "'The train left on Monday evening, officials said.'",
        fix: "Nothing to fix; check with `retrace places` that no name was missed.",
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_snake_case() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert!(ids
            .iter()
            .all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
    }
}
