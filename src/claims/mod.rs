//! Claims stage: what each sentence says about the journey.
//!
//! In: an [`Article`], the [`Gazetteer`], the [`Traveller`]. Out: [`ArticleFindings`]: every
//! time mention resolved in the zone of the place it talks about, the place mentions, and the
//! [`Claim`]s — travel events (depart, arrive, cross_border, …) with a place and a window, and
//! quantities (speed, duration, distance) with bounds — each with its quote and byte range.
//!
//! The rules, in the order they apply:
//! - Page furniture (sidebars after "Related stories", share lines, menus, captions) gives no
//!   claim; bullet points give claims of modality `summary`, weighed lowest.
//! - A travel event needs a trigger from `data/claims/events.tsv` and, before it in the
//!   sentence, a reference to the traveller (a name or alias from `case.toml`, "he", "his
//!   train", "the train"); scheduled-event nouns ("parade") need none.
//! - The event's time is the nearest time phrase after the trigger in its clause, else before
//!   it; a time next to a reporting verb ("said early Tuesday") is when it was reported, not the
//!   event, and is never taken.
//! - The event's place is the first place named after the trigger.
//! - A time phrase is read in the zone of the event's place ("Monday" of a departure from
//!   Pyongyang is Monday in Pyongyang); a border crossing is read in both the place's zone and
//!   the article's, and the window is their hull, since the text does not say whose Monday.
//! - "later in the day" in a forecast means later on the publication day; in a narrative, later
//!   on the day last mentioned.
//! - History (a cue from `data/claims/cues.tsv`, or a window over 30 days before publication)
//!   gives no claim about this journey.

pub mod journey;
mod lexicon;
pub mod quantity;
pub mod sentences;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::ingest::Article;
use crate::place::{find_places, Gazetteer, MatchKind, PlaceMention};
use crate::text::TextRange;
use crate::time::{
    parse_time_exprs, resolve_after, resolve_time_expr, zone_for_offset, Anchor, DurationRange,
    Grain, Profile, Resolved, Tense, TimeExpr, TimexType, Window,
};
pub(crate) use lexicon::match_view;
use lexicon::{lexicon, prefix_has_cue, CueKind, CueProfile};
use quantity::{find_quantities, QuantityKind};
use sentences::{split_sentences, Section};

/// A travel event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Depart,
    CrossBorder,
    Pass,
    Stop,
    Arrive,
    Attend,
    Return,
    /// "travelled to Beijing", "bound for Beijing": names the destination, not a time point.
    Travel,
}

impl EventKind {
    pub fn parse(s: &str) -> Option<EventKind> {
        Some(match s {
            "depart" => EventKind::Depart,
            "arrive" => EventKind::Arrive,
            "cross_border" => EventKind::CrossBorder,
            "pass" => EventKind::Pass,
            "stop" => EventKind::Stop,
            "attend" => EventKind::Attend,
            "return" => EventKind::Return,
            "travel" => EventKind::Travel,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Depart => "depart",
            EventKind::Arrive => "arrive",
            EventKind::CrossBorder => "cross_border",
            EventKind::Pass => "pass",
            EventKind::Stop => "stop",
            EventKind::Attend => "attend",
            EventKind::Return => "return",
            EventKind::Travel => "travel",
        }
    }
}

/// How the article holds the claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Stated as fact by the article or a named source.
    Reported,
    /// Attributed to unnamed sources ("officials in Seoul said", "witnesses said").
    ReportedSpeech,
    /// A forecast ("is expected to arrive", "will attend", "could take").
    Expected,
    /// A bullet point of a summary.
    Summary,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Reported => "reported",
            Modality::ReportedSpeech => "reported_speech",
            Modality::Expected => "expected",
            Modality::Summary => "summary",
        }
    }

    /// How much a claim counts when claims disagree: facts before speech before forecasts
    /// before summaries.
    pub fn weight(self) -> f64 {
        match self {
            Modality::Reported => 1.0,
            Modality::ReportedSpeech => 0.7,
            Modality::Expected => 0.5,
            Modality::Summary => 0.3,
        }
    }
}

/// What a claim is about.
#[derive(Clone, Debug, PartialEq)]
pub enum ClaimKind {
    Event(EventKind),
    /// km/h.
    Speed {
        nominal: f64,
        min: Option<f64>,
        max: Option<f64>,
    },
    Duration {
        range: DurationRange,
        scope: Scope,
    },
    /// km.
    Distance {
        nominal: f64,
        min: Option<f64>,
        max: Option<f64>,
    },
}

/// Whether a duration or distance is one way or a round trip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    OneWay,
    RoundTrip,
    Unknown,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::OneWay => "one_way",
            Scope::RoundTrip => "round_trip",
            Scope::Unknown => "unknown",
        }
    }
}

/// One claim of one article.
#[derive(Clone, Debug)]
pub struct Claim {
    /// `<article id>#<n>`, unique in a case.
    pub id: String,
    pub doc: String,
    /// The sentence.
    pub range: TextRange,
    pub quote: String,
    /// The words that carry the claim (trigger to time or place), for underlining.
    pub focus: TextRange,
    pub kind: ClaimKind,
    /// What is attended ("parade"), for `attend`.
    pub what: Option<String>,
    pub place_id: Option<String>,
    pub place_text: Option<String>,
    pub time_text: Option<String>,
    pub window: Option<Window>,
    /// The zone the time phrase was read in.
    pub tz: Tz,
    /// The time phrase is vague: a part of day, a bare day, an event-relative phrase.
    pub vague: bool,
    /// Why a time phrase has no window.
    pub unresolved: Option<String>,
    pub modality: Modality,
    /// The time phrase and the anchor it was read with, so the claim can be read again in
    /// the zone of its event when the sentence names no place.
    pub reading: Option<(TimeExpr, Anchor)>,
    /// A reported event: it happened before the article was published.
    pub before_publication: bool,
    pub weight: f64,
}

/// A time mention with the zone it was read in.
#[derive(Clone, Debug)]
pub struct ResolvedMention {
    pub expr: TimeExpr,
    pub resolved: Resolved,
    pub tz: Tz,
    /// The anchor it was read with (`None` without a publication time).
    pub anchor: Option<Anchor>,
}

/// Everything the claims stage found in one article.
#[derive(Clone, Debug)]
pub struct ArticleFindings {
    pub doc: String,
    pub mentions: Vec<ResolvedMention>,
    pub places: Vec<PlaceMention>,
    pub claims: Vec<Claim>,
    /// The zone phrases are read in when no place sets one.
    pub default_tz: Tz,
    pub dateline: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Who the journey is about.
#[derive(Clone, Debug, Default)]
pub struct Traveller {
    /// Names and aliases, matched case-sensitively ("Kim Jong Un", "Kim").
    pub names: Vec<String>,
}

/// Pronouns and descriptions that refer to the traveller or the vehicle in any case.
const GENERIC_REFERENCES: &[&str] = &[
    "he",
    "his train",
    "the train",
    "his armoured train",
    "his armored train",
    "the leader",
];

/// Nouns of scheduled events: their time and place need no traveller in the sentence.
const SCHEDULED_EVENTS: &[&str] = &["parade", "summit", "ceremony", "commemoration"];

/// Windows starting this long before publication are history, not this journey.
const HISTORY_DAYS: i64 = 30;

/// How close (bytes) a time phrase must stand before an event noun to be its own.
const NOUN_REACH: usize = 20;

/// How close (bytes) a reporting verb must be to a time phrase to own it.
const REPORTING_REACH: usize = 24;

struct Trigger {
    range: TextRange,
    event: EventKind,
    is_noun: bool,
    what: Option<String>,
}

/// Extracts claims from one article.
pub fn extract_claims(
    article: &Article,
    gazetteer: &Gazetteer,
    traveller: &Traveller,
) -> ArticleFindings {
    extract_claims_viewed(article, gazetteer, traveller, None)
}

/// A text's [`match_view`] and where the trigger regex matches in it: what both
/// [`infer_traveller_viewed`] and [`extract_claims_viewed`] read, found once per article.
pub(crate) struct Viewed<'a> {
    pub view: std::borrow::Cow<'a, str>,
    /// Leftmost-first trigger matches in `view`, in order.
    pub triggers: Vec<std::ops::Range<usize>>,
}

impl<'a> Viewed<'a> {
    pub(crate) fn new(text: &'a str) -> Viewed<'a> {
        let view = match_view(text);
        let triggers = lexicon::trigger_spans_in_text(&view, &view.to_ascii_lowercase());
        Viewed { view, triggers }
    }
}

/// [`extract_claims`] with the text's [`Viewed`] when the caller has it already.
pub(crate) fn extract_claims_viewed(
    article: &Article,
    gazetteer: &Gazetteer,
    traveller: &Traveller,
    viewed: Option<&Viewed>,
) -> ArticleFindings {
    let text = &article.text;
    let sentences = split_sentences(text);
    // The cue and trigger regexes run on this stand-in of the text (same byte offsets).
    let mut own_viewed = None;
    let viewed = viewed.unwrap_or_else(|| own_viewed.insert(Viewed::new(text)));
    let view: &str = &viewed.view;
    let exprs = parse_time_exprs(text);
    let places = find_places(text, gazetteer);
    let mut diagnostics = Vec::new();
    // The kind of each phrase (date, duration, set) does not depend on the anchor.
    let probe = Anchor {
        reference: DateTime::<Utc>::UNIX_EPOCH,
        tz: chrono_tz::UTC,
        profile: Profile::News,
        related: None,
    };
    // Read only for the phrases a trigger's clause holds: most are never asked.
    let kinds = ExprKinds {
        exprs: &exprs,
        probe: &probe,
        known: std::cell::RefCell::new(vec![None; exprs.len()]),
    };

    let published_utc = article.published.map(|p| p.with_timezone(&Utc));
    let (dateline, dateline_tz) = find_dateline(text, gazetteer);
    let default_tz = dateline_tz
        .or_else(|| article.published.map(|p| zone_for_offset(*p.offset())))
        .unwrap_or(chrono_tz::UTC);

    // Pass 1: triggers and their links, per sentence.
    struct Draft {
        sentence: usize,
        trigger: Trigger,
        time: Option<usize>,
        place: Option<usize>,
        modality: Modality,
    }
    let mut drafts: Vec<Draft> = Vec::new();
    // Which cues each prose sentence holds, in one pass over it (see `cue_profile`), read only
    // for the sentences that may hold a trigger or a quantity: most hold neither.
    let mut profiles = CueProfiles::new(sentences.len());
    let trigger_hits = TriggerHits::new(text, view, &viewed.triggers);
    for (si, sentence) in sentences.iter().enumerate() {
        if matches!(sentence.section, Section::Furniture | Section::Fragment) {
            continue;
        }
        let s = &text[sentence.range.start..sentence.range.end];
        let sv = &view[sentence.range.start..sentence.range.end];
        let may_match = trigger_hits.may_match(sentence.range.start, sentence.range.end);
        let may_name_event = trigger_hits.may_name_event(sentence.range.start, sentence.range.end);
        // `find_triggers` finds nothing then.
        if !may_match && !may_name_event {
            continue;
        }
        let profile = profiles.of(si, sv);
        let profile = profile.as_ref();
        if prefix_has_cue(sv, profile, sv.len(), CueKind::History) {
            continue;
        }
        let triggers = find_triggers(s, sv, sentence.range.start, may_match, may_name_event);
        for (ti, trigger) in triggers.iter().enumerate() {
            let scheduled = trigger.what.is_some();
            if !scheduled
                && !refers_to_traveller(&s[..trigger.range.start - sentence.range.start], traveller)
            {
                continue;
            }
            let clause_end = triggers
                .get(ti + 1)
                .map(|t| t.range.start)
                .unwrap_or(sentence.range.end);
            let before_len = trigger.range.start - sentence.range.start;
            let reporting_before = prefix_has_cue(sv, profile, before_len, CueKind::Reporting);
            let time = if trigger.is_noun && reporting_before {
                None
            } else {
                pick_time(
                    text,
                    view,
                    &exprs,
                    &kinds,
                    &triggers,
                    ti,
                    sentence.range.start..clause_end,
                )
            };
            let place = places
                .iter()
                .position(|p| {
                    !(trigger.event == EventKind::Attend && p.how == MatchKind::Country)
                        && p.range.start >= trigger.range.end
                        && p.range.end <= clause_end.max(trigger.range.end + 1)
                        && p.range.start - trigger.range.end <= 80
                })
                .or_else(|| {
                    // "Beijing's parade": a place right before a scheduled-event noun.
                    scheduled
                        .then(|| {
                            places.iter().position(|p| {
                                p.range.end <= trigger.range.start
                                    && p.range.start >= sentence.range.start
                                    && trigger.range.start - p.range.end <= 40
                                    && p.how != MatchKind::Country
                                    && (p.text.ends_with("'s")
                                        || p.text.ends_with("’s")
                                        || text[p.range.end..].starts_with("'s")
                                        || text[p.range.end..].starts_with("’s"))
                            })
                        })
                        .flatten()
                });
            let modality = modality_of(sentence.section, sv, profile, before_len);
            if time.is_none() && place.is_none() {
                continue;
            }
            drafts.push(Draft {
                sentence: si,
                trigger: Trigger {
                    range: trigger.range,
                    event: trigger.event,
                    is_noun: trigger.is_noun,
                    what: trigger.what.clone(),
                },
                time,
                place,
                modality,
            });
        }
    }
    // One claim per event kind per sentence: keep the one that says most.
    let mut kept: Vec<Draft> = Vec::new();
    for d in drafts {
        if let Some(k) = kept
            .iter_mut()
            .find(|k| k.sentence == d.sentence && k.trigger.event == d.trigger.event)
        {
            let score = |x: &Draft| x.time.is_some() as u8 * 2 + x.place.is_some() as u8;
            if score(&d) > score(k) {
                *k = d;
            }
            continue;
        }
        kept.push(d);
    }

    // Pass 2: read every time phrase in its zone, in text order, chaining event-relative ones.
    let zone_of_place = |pi: usize| -> Option<Tz> {
        gazetteer
            .get(&places[pi].place_id)
            .and_then(|p| p.tz.split('|').next().and_then(|z| z.parse().ok()))
    };
    // A border crossing is read in the zone of the side the traveller leaves: the article's
    // departure place when it names one, else the article's zone.
    let departure_tz = kept
        .iter()
        .find(|d| d.trigger.event == EventKind::Depart && d.place.is_some())
        .and_then(|d| d.place)
        .and_then(zone_of_place);
    let mut mentions = Vec::with_capacity(exprs.len());
    let mut last: Option<Window> = None;
    let mut previous: Option<(TextRange, Window)> = None;
    for (ei, expr) in exprs.iter().enumerate() {
        let claim = kept.iter().find(|d| d.time == Some(ei));
        let crossing = claim.is_some_and(|d| d.trigger.event == EventKind::CrossBorder);
        let tz = if crossing {
            departure_tz.unwrap_or(default_tz)
        } else {
            claim
                .and_then(|d| d.place)
                .and_then(zone_of_place)
                .unwrap_or(default_tz)
        };
        let forecast =
            claim.is_some_and(|d| d.modality == Modality::Expected) || expr.tense == Tense::Future;
        let anchor = published_utc.map(|reference| Anchor {
            reference,
            tz,
            profile: Profile::News,
            related: if expr.needs_related && forecast {
                Some(Window::new(
                    reference,
                    reference + Duration::minutes(1),
                    Grain::Minute,
                ))
            } else {
                last
            },
        });
        let resolved = match &anchor {
            None => unresolved_for_missing_publication(expr, article),
            Some(anchor) => resolve_after(text, expr, anchor, previous),
        };
        if let Some(w) = resolved.window.filter(Window::anchors_related) {
            last = Some(w);
        }
        previous = resolved.window.map(|w| (expr.range, w));
        mentions.push(ResolvedMention {
            expr: expr.clone(),
            resolved,
            tz,
            anchor,
        });
    }

    // Pass 3: claims.
    let mut claims = Vec::new();
    let mut next_id = 1;
    for d in &kept {
        let sentence = &sentences[d.sentence];
        let mention = d.time.map(|ei| &mentions[ei]);
        let window = mention.and_then(|m| m.resolved.window);
        // With no publication time, the start of its inferred window stands in.
        let reference = published_utc.or(article.published_window.map(|(a, _)| a));
        if let (Some(w), Some(p)) = (window, reference) {
            if w.earliest < p - Duration::days(HISTORY_DAYS) {
                continue;
            }
        }
        let place = d.place.map(|pi| &places[pi]);
        let tz = mention.map(|m| m.tz).unwrap_or(default_tz);
        let mut focus = d.trigger.range;
        for r in [mention.map(|m| m.expr.range), place.map(|p| p.range)]
            .into_iter()
            .flatten()
        {
            focus = TextRange::new(focus.start.min(r.start), focus.end.max(r.end));
        }
        claims.push(Claim {
            id: format!("{}#{}", article.id, next_id),
            doc: article.id.clone(),
            range: sentence.range,
            quote: text[sentence.range.start..sentence.range.end].to_string(),
            focus,
            kind: ClaimKind::Event(d.trigger.event),
            what: d.trigger.what.clone(),
            place_id: place.map(|p| p.place_id.clone()),
            place_text: place.map(|p| p.text.clone()),
            time_text: mention.map(|m| m.expr.text.clone()),
            window,
            tz,
            vague: mention.is_some_and(is_vague),
            unresolved: mention.and_then(|m| m.resolved.unresolved.clone()),
            modality: d.modality,
            reading: mention.and_then(|m| m.anchor.clone().map(|a| (m.expr.clone(), a))),
            // Scheduled events ("the parade on Wednesday") and sentences about the future are
            // not bounded by the publication time.
            before_publication: matches!(d.modality, Modality::Reported | Modality::ReportedSpeech)
                && !d.trigger.is_noun
                && mention.is_none_or(|m| m.expr.tense != Tense::Future),
            weight: d.modality.weight(),
        });
        next_id += 1;
    }

    // Quantities: only in sentences about the journey, never in history.
    for (si, sentence) in sentences.iter().enumerate() {
        if matches!(sentence.section, Section::Furniture | Section::Fragment) {
            continue;
        }
        let s = &text[sentence.range.start..sentence.range.end];
        let sv = &view[sentence.range.start..sentence.range.end];
        let in_sentence = |m: &&ResolvedMention| sentence.range.contains(&m.expr.range);
        // A sentence without a duration phrase or a speed or distance gives no claim here,
        // whatever its cues: most sentences, whose cue profile is then never read.
        let has_duration = mentions.iter().filter(in_sentence).any(|m| {
            m.resolved.timex3.kind == TimexType::Duration && m.resolved.duration.is_some()
        });
        let quantities = find_quantities(s);
        if quantities.is_empty() && !has_duration {
            continue;
        }
        let profile = profiles.of(si, sv);
        let profile = profile.as_ref();
        if prefix_has_cue(sv, profile, sv.len(), CueKind::History)
            || !prefix_has_cue(sv, profile, sv.len(), CueKind::Journey)
        {
            continue;
        }
        let mentions_here: Vec<&ResolvedMention> = mentions.iter().filter(in_sentence).collect();
        // A year in the sentence ("his 2019 ride") places it in another trip.
        if mentions_here.iter().any(|m| {
            m.resolved.grain >= Grain::Month
                && m.resolved.timex3.kind != TimexType::Duration
                && m.resolved.timex3.kind != TimexType::Set
        }) {
            continue;
        }
        let modality = modality_of(sentence.section, sv, profile, sv.len());
        let scope = scope_of(s);
        let mut push = |kind: ClaimKind, focus: TextRange, claims: &mut Vec<Claim>| {
            claims.push(Claim {
                id: format!("{}#{}", article.id, next_id),
                doc: article.id.clone(),
                range: sentence.range,
                quote: s.to_string(),
                focus,
                kind,
                what: None,
                place_id: None,
                place_text: None,
                time_text: Some(text[focus.start..focus.end].to_string()),
                window: None,
                tz: default_tz,
                vague: false,
                unresolved: None,
                modality,
                reading: None,
                before_publication: false,
                weight: modality.weight(),
            });
            next_id += 1;
        };
        for m in &mentions_here {
            if m.resolved.timex3.kind != TimexType::Duration {
                continue;
            }
            if let Some(range) = m.resolved.duration {
                push(
                    ClaimKind::Duration { range, scope },
                    m.expr.range,
                    &mut claims,
                );
            }
        }
        for q in quantities {
            let focus = TextRange::new(
                q.range.start + sentence.range.start,
                q.range.end + sentence.range.start,
            );
            let kind = match q.kind {
                QuantityKind::Speed => ClaimKind::Speed {
                    nominal: q.nominal,
                    min: q.min,
                    max: q.max,
                },
                QuantityKind::Distance => ClaimKind::Distance {
                    nominal: q.nominal,
                    min: q.min,
                    max: q.max,
                },
            };
            push(kind, focus, &mut claims);
        }
    }
    claims.sort_by_key(|c| (c.range.start, c.focus.start));
    // Renumber in text order so ids read naturally.
    for (i, c) in claims.iter_mut().enumerate() {
        c.id = format!("{}#{}", article.id, i + 1);
    }

    if exprs.is_empty() {
        diagnostics.push(
            Diagnostic::new(
                "article_without_time",
                Severity::Info,
                "no time expression found",
            )
            .in_doc(&article.id, None),
        );
    }
    if places.is_empty() {
        diagnostics.push(
            Diagnostic::new("article_without_place", Severity::Info, "no place found")
                .in_doc(&article.id, None),
        );
    }
    ArticleFindings {
        doc: article.id.clone(),
        mentions,
        places,
        claims,
        default_tz,
        dateline,
        diagnostics,
    }
}

fn unresolved_for_missing_publication(expr: &TimeExpr, article: &Article) -> Resolved {
    // Resolve against an arbitrary anchor only to learn the kind; absolute values stay.
    let probe = Anchor {
        reference: DateTime::<Utc>::UNIX_EPOCH,
        tz: chrono_tz::UTC,
        profile: Profile::News,
        related: None,
    };
    let mut r = resolve_time_expr(expr, &probe);
    let other = resolve_time_expr(
        expr,
        &Anchor {
            reference: DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000),
            ..probe
        },
    );
    if r.window != other.window {
        r.window = None;
        r.unresolved = Some(match &article.published_window {
            Some((a, b)) => format!(
                "publication time known only to {} .. {}: give it in case.toml or with --published",
                a.format("%Y-%m-%d"),
                b.format("%Y-%m-%d")
            ),
            None => "no publication time: give it in case.toml or with --published".into(),
        });
    }
    r
}

/// True when any cue of `kind` is in `s` (a slice of the text or of its [`match_view`]).
fn has_cue(s: &str, kind: CueKind) -> bool {
    lexicon::has_cue_of(s, kind)
}

fn refers_to_traveller(before: &str, traveller: &Traveller) -> bool {
    if traveller.names.iter().any(|n| before.contains(n.as_str())) {
        return true;
    }
    let lower = before.to_lowercase();
    GENERIC_REFERENCES.iter().any(|g| {
        lower.match_indices(g).any(|(i, _)| {
            let before_ok = i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric();
            let end = i + g.len();
            let after_ok = end >= lower.len() || !lower.as_bytes()[end].is_ascii_alphanumeric();
            before_ok && after_ok
        })
    })
}

/// The cue profiles of an article's sentences, each read on first use.
struct CueProfiles(Vec<Option<Option<CueProfile>>>);

impl CueProfiles {
    fn new(sentences: usize) -> CueProfiles {
        CueProfiles(vec![None; sentences])
    }

    /// The [`lexicon::cue_profile`] of sentence `si`, whose view is `view`.
    fn of(&mut self, si: usize, view: &str) -> Option<CueProfile> {
        *self.0[si].get_or_insert_with(|| lexicon::cue_profile(view))
    }
}

/// Where the trigger regex matches in a whole [`match_view`], to rule out sentences.
///
/// One search of the whole view (the regex's literal prefilter runs fast where nothing
/// matches) tells which sentences need a search of their own: a slice whose edges stand next to
/// non-word characters can hold a match only where the whole view has one overlapping it (such
/// a match is a match of the whole view too, and the leftmost-first search reports it or one
/// that overlaps it).
struct TriggerHits<'a> {
    view: &'a str,
    /// Matches in order ([`Viewed::triggers`]); they do not overlap, so their ends are sorted
    /// too.
    hits: &'a [std::ops::Range<usize>],
    /// [`scheduled_event_hits`] of the text.
    nouns: Vec<std::ops::Range<usize>>,
}

impl<'a> TriggerHits<'a> {
    fn new(text: &str, view: &'a str, hits: &'a [std::ops::Range<usize>]) -> TriggerHits<'a> {
        TriggerHits {
            nouns: scheduled_event_hits(text),
            view,
            hits,
        }
    }

    /// False when `view[start..end]` surely holds no trigger.
    fn may_match(&self, start: usize, end: usize) -> bool {
        let is_word = |c: Option<char>| c.is_some_and(regex_syntax::is_word_character);
        let (Some(before), Some(after)) = (self.view.get(..start), self.view.get(end..)) else {
            return true;
        };
        if is_word(before.chars().next_back()) || is_word(after.chars().next()) {
            return true;
        }
        overlaps_any(self.hits, start, end)
    }

    /// False when `text[start..end]` surely names no scheduled event.
    fn may_name_event(&self, start: usize, end: usize) -> bool {
        overlaps_any(&self.nouns, start, end)
    }
}

/// Where a scheduled-event noun is written in `text`, in any ASCII case, as leftmost-first
/// matches. The lower case of a sentence (where [`find_triggers`] looks for the nouns) holds a
/// noun only where the sentence holds it in some ASCII case: of the characters whose lower case
/// holds ASCII letters besides the ASCII ones, the Kelvin sign gives a `k` (no noun has one) and
/// `İ` an `i` followed by a combining dot (no noun ends in `i`). So a sentence no match overlaps
/// names no scheduled event.
fn scheduled_event_hits(text: &str) -> Vec<std::ops::Range<usize>> {
    static NOUNS: std::sync::OnceLock<Option<regex::bytes::Regex>> = std::sync::OnceLock::new();
    let nouns = NOUNS.get_or_init(|| {
        let alternation: Vec<String> = SCHEDULED_EVENTS.iter().map(|n| regex::escape(n)).collect();
        regex::bytes::Regex::new(&format!("(?i-u){}", alternation.join("|"))).ok()
    });
    match nouns {
        Some(re) => re.find_iter(text.as_bytes()).map(|m| m.range()).collect(),
        // Cannot happen (the pattern is fixed); every sentence is then searched.
        None => std::iter::once(0..text.len()).collect(),
    }
}

/// True when a range of `hits` (sorted and not overlapping) overlaps `start..end`.
fn overlaps_any(hits: &[std::ops::Range<usize>], start: usize, end: usize) -> bool {
    let first_ending_after = hits.partition_point(|h| h.end <= start);
    hits.get(first_ending_after).is_some_and(|h| h.start < end)
}

/// Triggers in `sentence`; `view` is the same range of the text's [`match_view`]. The trigger
/// search runs only when `may_match`, the search for scheduled events only when
/// `may_name_event` (see [`TriggerHits`]).
fn find_triggers(
    sentence: &str,
    view: &str,
    base: usize,
    may_match: bool,
    may_name_event: bool,
) -> Vec<Trigger> {
    let lex = lexicon();
    let spans = if may_match {
        lexicon::trigger_spans(view)
    } else {
        Vec::new()
    };
    let mut out: Vec<Trigger> = spans
        .into_iter()
        .filter_map(|m| {
            let phrase = sentence.get(m.clone())?.to_lowercase();
            let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
            let event = lex.trigger_events.iter().find(|(t, _)| *t == phrase)?.1;
            Some(Trigger {
                range: TextRange::new(base + m.start, base + m.end),
                event,
                is_noun: phrase.ends_with("ure") || phrase.ends_with("val"),
                what: None,
            })
        })
        .collect();
    if !may_name_event {
        out.sort_by_key(|t| t.range.start);
        return out;
    }
    let lower = sentence.to_lowercase();
    for noun in SCHEDULED_EVENTS {
        for (i, _) in lower.match_indices(noun) {
            let end = i + noun.len();
            let whole = (i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric())
                && (end >= lower.len() || !lower.as_bytes()[end].is_ascii_alphanumeric());
            if whole {
                out.push(Trigger {
                    range: TextRange::new(base + i, base + end),
                    event: EventKind::Attend,
                    is_noun: true,
                    what: Some(noun.to_string()),
                });
            }
        }
    }
    out.sort_by_key(|t| t.range.start);
    out
}

/// The TIMEX3 kind of each time phrase, resolved against a fixed probe anchor on first use.
struct ExprKinds<'a> {
    exprs: &'a [TimeExpr],
    probe: &'a Anchor,
    known: std::cell::RefCell<Vec<Option<TimexType>>>,
}

impl ExprKinds<'_> {
    fn get(&self, i: usize) -> TimexType {
        if let Some(Some(kind)) = self.known.borrow().get(i) {
            return *kind;
        }
        let kind = resolve_time_expr(&self.exprs[i], self.probe).timex3.kind;
        if let Some(slot) = self.known.borrow_mut().get_mut(i) {
            *slot = Some(kind);
        }
        kind
    }
}

/// The time phrase of a trigger: the nearest one after it in its clause, else the nearest
/// before it; never a duration, and never one that belongs to a reporting verb.
fn pick_time(
    text: &str,
    view: &str,
    exprs: &[TimeExpr],
    kinds: &ExprKinds,
    triggers: &[Trigger],
    ti: usize,
    clause: std::ops::Range<usize>,
) -> Option<usize> {
    // From the sentence start to the end of the trigger's clause.
    let (sentence_start, clause_end) = (clause.start, clause.end);
    let trigger = &triggers[ti];
    // A time right before a scheduled-event noun ("Wednesday's military parade") is that
    // event's, whatever trigger comes before it.
    let owned_by_later_noun = |e: &TimeExpr| {
        let possessive =
            text[e.range.end..].starts_with("'s") || text[e.range.end..].starts_with("’s");
        possessive
            && triggers[ti + 1..].iter().any(|t| {
                t.what.is_some()
                    && t.range.start >= e.range.end
                    && t.range.start - e.range.end <= NOUN_REACH
            })
    };
    let usable = |i: usize, e: &TimeExpr| {
        !matches!(kinds.get(i), TimexType::Duration | TimexType::Set)
            && !owned_by_reporting(text, view, e.range)
            && !owned_by_later_noun(e)
    };
    // Nouns ("arrival", "parade") take only a time close after them.
    let after_reach = if trigger.is_noun {
        NOUN_REACH * 2
    } else {
        usize::MAX
    };
    let after = exprs
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            e.range.start >= trigger.range.end
                && e.range.end <= clause_end
                && e.range.start - trigger.range.end <= after_reach
                && usable(*i, e)
        })
        .min_by_key(|(_, e)| e.range.start);
    if let Some((i, _)) = after {
        return Some(i);
    }
    // A time before the trigger is its own only when no earlier trigger could claim it, or,
    // for a noun, when it stands right before it ("Wednesday's parade").
    let before_start = match ti {
        0 => sentence_start,
        _ if trigger.is_noun => trigger.range.start.saturating_sub(NOUN_REACH),
        _ => return None,
    };
    exprs
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            e.range.start >= before_start
                && e.range.end <= trigger.range.start
                && !matches!(kinds.get(*i), TimexType::Duration | TimexType::Set)
                && !owned_by_reporting(text, view, e.range)
        })
        .max_by_key(|(_, e)| e.range.start)
        .map(|(i, _)| i)
}

/// "said early Tuesday", "reported on Monday": a reporting verb right before the phrase.
fn owned_by_reporting(text: &str, view: &str, range: TextRange) -> bool {
    let start = crate::text::floor_char_boundary(text, range.start.saturating_sub(REPORTING_REACH));
    let Some(before) = view.get(start..range.start) else {
        return false;
    };
    // Most phrases have no reporting verb before them at all: one pass rules that out.
    if !has_cue(before, CueKind::Reporting) {
        return false;
    }
    lexicon::any_cue_match(before, CueKind::Reporting, |end| {
        before[end..].split_whitespace().count() <= 1
    })
}

/// How a claim is told: a summary bullet, an expectation (a cue in the first `expected_len`
/// bytes of the sentence: for an event, only before its trigger, so "left, and is expected to
/// arrive" stays reported), reported speech (a cue anywhere in the sentence), or plainly
/// reported. `sentence` is the sentence's [`match_view`], `profile` its cue profile.
fn modality_of(
    section: Section,
    sentence: &str,
    profile: Option<&CueProfile>,
    expected_len: usize,
) -> Modality {
    if section == Section::Bullet {
        Modality::Summary
    } else if prefix_has_cue(sentence, profile, expected_len, CueKind::Expected) {
        Modality::Expected
    } else if prefix_has_cue(sentence, profile, sentence.len(), CueKind::Speech) {
        Modality::ReportedSpeech
    } else {
        Modality::Reported
    }
}

fn is_vague(m: &ResolvedMention) -> bool {
    m.expr.needs_related
        || m.resolved.grain >= Grain::PartOfDay
        || m.resolved.timex3.modifier.is_some()
}

fn scope_of(sentence: &str) -> Scope {
    let lower = sentence.to_lowercase();
    if lower.contains("round trip")
        || lower.contains("round-trip")
        || lower.contains("there and back")
    {
        Scope::RoundTrip
    } else if ["journey", "trip", "ride", "travel"]
        .iter()
        .any(|w| lower.contains(w))
    {
        Scope::OneWay
    } else {
        Scope::Unknown
    }
}

/// "BEIJING (Reuters) —" or "SEOUL, Sept 2 -" in the first lines: the place the report is filed
/// from, whose zone is the article's default.
fn find_dateline(text: &str, gazetteer: &Gazetteer) -> (Option<String>, Option<Tz>) {
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(4) {
        let line = line.trim();
        let head: String = line
            .chars()
            .take_while(|c| c.is_uppercase() || *c == ' ' || *c == '.' || *c == '\'')
            .collect();
        let head = head.trim();
        if head.len() < 3 || !head.chars().any(|c| c.is_alphabetic()) {
            continue;
        }
        let rest = line[head.len()..].trim_start();
        let rest = if rest.starts_with('(') {
            rest.split_once(')')
                .map(|(_, r)| r.trim_start())
                .unwrap_or(rest)
        } else {
            rest
        };
        let rest = rest
            .trim_start_matches(|c: char| c == ',' || c.is_alphanumeric() || c == ' ' || c == '.');
        if !rest.starts_with(['—', '–', '-']) {
            continue;
        }
        let name = head
            .split_whitespace()
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_string() + &c.as_str().to_lowercase())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(place) = gazetteer.lookup(&name).first() {
            let tz = place.tz.split('|').next().and_then(|z| z.parse().ok());
            return (Some(place.name.clone()), tz);
        }
    }
    (None, None)
}

/// The name that most often stands right before a travel trigger ("Kim Jong Un left", "Kim's
/// train crossed"), for cases whose `case.toml` names no traveller. A name is the run of
/// capitalised words closest before the trigger; a shorter run that is the start or end of a
/// longer one counts for the longer ("Kim" for "Kim Jong Un").
pub fn infer_traveller<'a>(
    texts: impl Iterator<Item = &'a str>,
    is_place: impl Fn(&str) -> bool,
) -> Option<String> {
    infer_traveller_viewed(texts.map(|t| (t, None)), is_place)
}

/// [`infer_traveller`] over texts with their [`Viewed`] when the caller has it already.
pub(crate) fn infer_traveller_viewed<'a>(
    texts: impl Iterator<Item = (&'a str, Option<&'a Viewed<'a>>)>,
    is_place: impl Fn(&str) -> bool,
) -> Option<String> {
    const NOT_NAMES: &[&str] = &[
        "The",
        "His",
        "Her",
        "State",
        "North",
        "South",
        "Officials",
        "He",
        "She",
        "It",
        "On",
        "In",
        "After",
        "Before",
        "Kim's",
    ];
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for (text, viewed) in texts {
        let mut own_viewed = None;
        let viewed = viewed.unwrap_or_else(|| own_viewed.insert(Viewed::new(text)));
        // The whole text at once: the regex's literal prefilter beats a word-by-word pass here.
        for m in &viewed.triggers {
            let start = crate::text::floor_char_boundary(text, m.start.saturating_sub(60));
            let before = &text[start..m.start];
            let words: Vec<&str> = before
                .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’' && c != '-')
                .filter(|w| !w.is_empty())
                .collect();
            // The last run of capitalised words, possessive stripped ("Kim Jong Un's train").
            let mut run: Vec<&str> = Vec::new();
            for w in words.iter().rev() {
                // Most words do not end in "s": skip the two searches for them.
                let w = if w.ends_with('s') {
                    w.trim_end_matches("'s").trim_end_matches("’s")
                } else {
                    w
                };
                let capitalised = w.chars().next().is_some_and(char::is_uppercase);
                if capitalised && !NOT_NAMES.contains(&w) {
                    run.push(w);
                } else if !run.is_empty() {
                    break;
                }
            }
            run.reverse();
            if run.is_empty() || run.iter().all(|w| w.len() < 3) {
                continue;
            }
            // "North Korea's leader", "Beijing's": places are not travellers.
            if is_place(&run.join(" ")) {
                continue;
            }
            *counts.entry(run.join(" ")).or_default() += 1;
        }
    }
    // "Kim" counts for "Kim Jong Un" when both occur.
    let names: Vec<String> = counts.keys().cloned().collect();
    for short in &names {
        let Some(long) = names
            .iter()
            .filter(|l| {
                l.len() > short.len()
                    && (l.starts_with(&format!("{short} ")) || l.ends_with(&format!(" {short}")))
            })
            .max_by_key(|l| counts[*l])
        else {
            continue;
        };
        let n = counts[short];
        *counts.entry(long.clone()).or_default() += n;
    }
    counts
        .into_iter()
        .max_by_key(|(n, c)| (*c, n.len(), std::cmp::Reverse(n.clone())))
        .map(|(n, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inferred_traveller_is_the_full_name() {
        let texts = [
            "Kim Jong Un left Pyongyang on Monday. Kim arrived in Beijing on Tuesday.",
            "Officials said Kim Jong Un's train crossed into China.",
        ];
        let is_place = |n: &str| n == "North Korea";
        assert_eq!(
            infer_traveller(texts.into_iter(), is_place).as_deref(),
            Some("Kim Jong Un")
        );
    }

    #[test]
    fn traveller_reference_is_a_whole_word() {
        let t = Traveller {
            names: vec!["Kim".into()],
        };
        assert!(refers_to_traveller("Kim ", &t));
        assert!(refers_to_traveller("Later he ", &Traveller::default()));
        assert!(!refers_to_traveller("The ", &Traveller::default()));
        assert!(!refers_to_traveller("When the ", &Traveller::default()));
    }

    #[test]
    fn reporting_verb_owns_the_next_time() {
        let text = "KCNA reported early Tuesday that Kim left late Monday.";
        let at = text.find("early").unwrap();
        assert!(owned_by_reporting(text, text, TextRange::new(at, at + 13)));
        let at = text.find("late").unwrap();
        assert!(!owned_by_reporting(text, text, TextRange::new(at, at + 11)));
    }
}
