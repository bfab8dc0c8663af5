//! Time expressions: finds dates, periods and relative references in a sentence and
//! resolves them against the publication date (the document creation time) and the
//! last date the narrative stated. Vocabulary (months, weekdays, seasons, number words,
//! units, modifiers, fixed offset phrases) comes from `data/lexicon/time.tsv`; the
//! grammar below is per word order, not per sentence.
//!
//! Rules: never invent precision ("Juni 2024" is a month); a year or day taken from the
//! publication date marks the result `inferred`; weekdays and year-less dates are the
//! most recent such day on or before publication unless a modifier says "next";
//! seasons are meteorological (northern hemisphere); decades are not dates.

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use regex::{Captures, Regex, RegexSet};

/// The lazy DFA cache of each language's gate set (bytes), see [`LangRules`]'s build.
const GATE_DFA_CACHE: usize = 64 << 20;

use crate::domain::{EventDate, Precision};
use crate::knowledge::{Knowledge, TimeWord};
use crate::text::fold;

static YEAR_NEXT: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"^\s*,?\s*\d{4}\b").expect("valid regex"));

static DAY_NEXT: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"^\s*\d{1,2}(?:st|nd|rd|th)?\b").expect("valid regex"));

/// A deadline right before an expression: "by", "until", "through", "to", a bound
/// ("as early as"), and the clock time of a deadline day between ("until 9 a.m.
/// EST Tuesday").
static DEADLINE_BEFORE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?P<by>by|until|till|as\s+early\s+as|as\s+late\s+as)|through|to)\s*(?:(?:\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?\s?m\b\.?|noon|midnight)\s*(?:\(?(?:[ECMP][SD]T|GMT|UTC)\)?\s*)?,?\s*)?$",
    )
    .expect("valid regex")
});

/// "since" and what may stand between it and its time ("since Oct. 23", "since
/// shortly after the Oct. 23 slaying"): the time it opens is past, a point the
/// present perfect counts from, whatever the clause's other words.
static SINCE_BEFORE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"(?i)\bsince\s+(?:(?:shortly|just|soon|long|well|even|immediately)\s+)?(?:(?:before|after)\s+)?(?:(?:the|its|their|his|her|last|early|mid-?|late)\s+)?$")
        .expect("valid regex")
});

/// A determiner right before an expression: "the", "a", "an", "its", "their".
static DETERMINER_BEFORE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|a|an|its|their|his|her|this|that)\s*$").expect("valid regex")
});

/// Words that end in "ed" and are no verb ("a hundred", "indeed", "red").
const ED_NOT_VERB: &[&str] = &[
    "hundred", "indeed", "red", "bed", "shed", "sled", "naked", "wicked", "sacred", "kindred",
    "rugged", "wretched", "beloved",
];

/// A past cue that is none: a participle after "be" ("will be paid", "to be
/// completed"), a word that only ends like one ("succeed", "need", "hundred"), or a
/// capitalised word ending in "ed", a name rather than a verb ("the United States",
/// "Ahmed", "Red Cross").
fn passive_or_eed(window: &str, m: &regex::Match) -> bool {
    let word = m.as_str().to_lowercase();
    if word.ends_with("ed")
        && (ED_NOT_VERB.contains(&word.as_str())
            || m.as_str().starts_with(|c: char| c.is_uppercase()))
    {
        return true;
    }
    let prev = window[..m.start()]
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    word.ends_with("eed") || matches!(prev.as_str(), "be" | "been" | "being" | "is" | "are")
}

/// Whether an English word looks like a plural noun ("flights", "hours"), as a rate's
/// "a week" follows one ("four flights a week"); not a word that only ends in "s"
/// ("as long as a month", "this", "was", "across").
fn plural_noun(w: &str) -> bool {
    let w = w.to_lowercase();
    w.chars().count() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !matches!(
            w.as_str(),
            "was"
                | "has"
                | "does"
                | "its"
                | "his"
                | "hers"
                | "ours"
                | "yours"
                | "theirs"
                | "perhaps"
                | "always"
                | "towards"
                | "afterwards"
                | "unless"
                | "besides"
                | "whereas"
                | "sometimes"
                | "nevertheless"
                | "nearly"
                | "less"
        )
}

/// What may stand between a clock time and the day it is on: a time zone, a comma,
/// "on".
static CLOCK_DAY_GAP: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^\s*(?:\(?(?:[ECMP][SD]T|GMT|UTC)\)?\s*)?,?\s*(?:on\s+)?$").expect("valid regex")
});

/// "to" and the word after it, a verb when it is none of [`NOT_VERB_AFTER_TO`].
static INFINITIVE: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"\bto\s+(?P<w>[a-z]+)\b").expect("valid regex"));

/// Words after "to" that make it a preposition: determiners, pronouns, numbers' words.
const NOT_VERB_AFTER_TO: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these",
    "those", "him", "them", "us", "me", "it", "what", "which", "whom", "some", "any", "all",
    "each", "every", "no", "one", "two", "three", "four", "five", "ten", "about", "around", "more",
    "less", "as", "date", "court", "jail", "prison", "death", "power", "office", "work", "school",
    "war", "life", "mid", "early", "late", "between",
];

/// A future seen from a past time: "was due", "had been expected", "were scheduled".
static FUTURE_IN_PAST: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:was|were|had\s+been)\s+(?:(?:originally|initially|previously|also|still)\s+)?(?:due|expected|scheduled|slated|set|planned|supposed|going)\b")
        .expect("valid regex")
});

/// A month's day at the end of an expression ("April 24", "Sept. 3rd").
static DAY_TEXT_END: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"[A-Za-z.]\s+\d{1,2}(?:st|nd|rd|th)?$").expect("valid regex")
});

/// A second day of the same month after one ("… 24 and 25.", "… 3 or 4,"), before
/// punctuation or the sentence's end, so not a count ("24 and 25 people").
static DAY_AND_NEXT: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^\s*,?\s+(?:and|or)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s*[.,;:)]|\s*$)")
        .expect("valid regex")
});

static DAY_RANGE_NEXT: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-–—/.]|dan\b|s/d|sampai\b|hingga\b)\s*\d").expect("valid regex")
});

/// A resolved time expression; offsets are bytes of the sentence it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeExpr {
    pub start: usize,
    pub end: usize,
    pub value: EventDate,
    /// Part of the value came from the publication date or the narrative.
    pub inferred: bool,
    /// Stated relative to something (weekday, "yesterday", "a day later").
    pub relative: bool,
}

/// What a sentence's expressions are resolved against.
#[derive(Debug, Clone, Default)]
pub struct TimeContext {
    pub published: Option<Date>,
    /// The last day-precise date the narrative stated, for "a day later".
    pub anchor: Option<Date>,
    /// The last quarter the text named (year, 1–4): "the quarter" and "a year
    /// earlier" in a report of quarterly results refer to it.
    pub quarter: Option<(i16, i8)>,
    /// The year of the last date the text named: "that year", "the following year".
    pub year: Option<i16>,
    /// The first day of the last month, or the last day, the text named: "the month
    /// before", "two months later" count from it (TimeML anchors a relative
    /// expression to the last time of its granularity or finer, not to a day only).
    pub month: Option<Date>,
    /// A word follows the expression being resolved: its "before"/"after" may be a
    /// preposition ("two months before the invasion") that anchors it to an event,
    /// not to the narrative's last month.
    pub followed: bool,
    /// The words before the expression being resolved speak of the future ("will",
    /// "akan", "будет"): a weekday or month without a year is the next one.
    pub future: bool,
    /// They speak of the past ("said", "was"): it is the last one.
    pub past: bool,
    /// A deadline opens it ("by", "until 9 a.m."): a past verb before it does not
    /// make it past ("extended the offer to Friday"); with no future word either, a
    /// weekday is the nearest one.
    pub deadline: bool,
}

impl TimeContext {
    /// The context at the start of a document published on `published`.
    pub fn new(published: Option<Date>) -> Self {
        TimeContext {
            published,
            ..Default::default()
        }
    }
}

/// TIMEX3's references to the present, the past and the future ("sekarang",
/// "saat itu", "nanti"; `reference` in `time.tsv`). They name no date, so
/// [`TimeTagger::tag`] leaves them out and no event is ever dated by one; evaluation
/// against TIMEX3 gold asks for them with [`TimeTagger::tag_refs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeRef {
    Present,
    Past,
    Future,
}

impl TimeRef {
    /// The TIMEX3 value: `PRESENT_REF`, `PAST_REF` or `FUTURE_REF`.
    pub fn timex3(self) -> &'static str {
        match self {
            TimeRef::Present => "PRESENT_REF",
            TimeRef::Past => "PAST_REF",
            TimeRef::Future => "FUTURE_REF",
        }
    }
}

/// A reference to the present, past or future; offsets are bytes of the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefExpr {
    pub start: usize,
    pub end: usize,
    pub value: TimeRef,
}

/// TIMEX3's four types: dates ("6 August 2024", "the third quarter"), times ("10:30
/// p.m.", "Friday night"), durations ("the last 20 months") and sets ("every Monday").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

/// A time expression as TIMEX3 annotates it, noted by [`TimeTagger::tag_noted`]:
/// every expression the tagger kept, also one that could not be resolved to a date
/// (no publication date, no narrative anchor), and every reference to the present,
/// past or future. Offsets are bytes of the sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Timex3 {
    pub start: usize,
    pub end: usize,
    pub kind: TimexType,
    /// The normalised TIMEX3 value: `2024-08-06`, `2024-W32`, `2024-SU`, `P2W`,
    /// `PRESENT_REF`; `X` stands for what the text leaves unknown (`XXXX-08-06`).
    pub value: String,
    /// What an event dated by it takes (as [`TimeTagger::tag`] returns it); `None`
    /// when it could not be resolved or names no date.
    pub resolved: Option<TimeExpr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Iso,
    SlashParen,
    DotNumeric,
    DayMonthYear,
    MonthDayYear,
    DayOfMonth,
    MonthYear,
    MonthBare,
    Year,
    Weekday,
    Relative,
    Season,
    UnitMod,
    Recent,
    Ago,
    Offset,
    OffsetPhrase,
    /// "the third quarter (of 1989)", "fourth-quarter".
    Quarter,
    /// "the quarter", "the latest quarter", "this quarter".
    QuarterRef,
    /// "a year earlier", "the year-ago quarter": a year before the quarter in focus.
    YearEarlier,
    /// A four-digit year alone ("1994"): noted, never an event's date.
    YearBare,
    /// "the 1960s": noted, never a date.
    Decade,
    /// "the weekend", "last weekend".
    Weekend,
    /// "this morning", "last night", "tonight".
    PartOfDay,
    /// "10:30 a.m.", "pukul 06.18", "noon".
    Clock,
    /// "three years", "a 10-year", "several weeks": how long, not when.
    Duration,
    /// "every Monday", "daily", "each year".
    Set,
    /// "that year", "the following year": the year in focus.
    ThatYear,
    /// "the end of the year", "year-end": publication's year.
    YearEnd,
    /// "Christmas", "Thanksgiving Day", "Victory Day".
    Holiday,
    /// "January this year", "early October last year", "April 5 next year".
    MonthRelYear,
    /// "the current year", "the current fiscal year": publication's year.
    CurrentYear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
    Hour,
    Minute,
    Decade,
    Century,
    Quarter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mod {
    Last,
    This,
    Next,
    Before,
    After,
}

struct LangRules {
    lang: String,
    rules: Vec<(Rule, Regex)>,
    /// Per rule, the same pattern without its word boundaries: a superset the lazy DFA
    /// can decide on any text. Unicode `\b` makes the regex engine leave the DFA for a
    /// slow one on non-ASCII text, so a rule runs only where its gate matches. The
    /// gates are one set, decided in one pass over a sentence; `gate_of` is each rule's
    /// index in it (`None`: the rule always runs, as every rule does without a set).
    gates: Option<RegexSet>,
    gate_of: Vec<Option<usize>>,
    /// Per rule, the same pattern with ASCII word boundaries (`None`: it has no `\b`,
    /// or that did not compile). Where no character outside ASCII is a word character
    /// (a curly quote, a dash, a non-breaking space in English or Indonesian text),
    /// ASCII and Unicode `\b` hold at the same places, and the lazy DFA can find the
    /// matches of this one, where Unicode `\b` sends the search to a slower engine.
    ascii_boundaries: Vec<Option<Regex>>,
    months: HashMap<String, i8>,
    weekdays: HashMap<String, i8>,
    seasons: HashMap<String, Season>,
    numbers: HashMap<String, i64>,
    /// Ordinal words of days of the month ("eighth": 8), for spoken dates.
    ordinals: HashMap<String, i64>,
    units: HashMap<String, Unit>,
    relative: HashMap<String, i64>,
    mods: HashMap<String, Mod>,
    offsets: HashMap<String, i64>,
    /// Folded prepositions that may open a match but stay outside the span.
    signals: Vec<String>,
    /// PRESENT_REF / PAST_REF / FUTURE_REF words, one group each.
    refs: Option<Regex>,
    /// `refs` without its word boundaries ([`gate`]): where it does not match, `refs`
    /// cannot, and the lazy DFA decides it on any text (Unicode `\b` sends a search
    /// of `refs` over text outside ASCII to the backtracker, the whole sentence).
    refs_gate: Option<Regex>,
    /// `refs` with ASCII word boundaries, for a sentence whose word characters are
    /// all ASCII (as `ascii_boundaries`).
    refs_ascii: Option<Regex>,
    /// Folded words that make the reference word after them something else
    /// ("terlebih dahulu" is "first of all").
    not_ref_after: Vec<String>,
    /// Part-of-day words (folded) and their TIMEX3 codes (`MO`, `AF`, `EV`, `NI`).
    parts_of_day: HashMap<String, String>,
    /// A part of day right after a date ("Friday night", "Senin pagi").
    pod_after: Option<Regex>,
    /// Adverbs of a set ("daily": a day).
    set_adverbs: HashMap<String, Unit>,
    /// The folded words of "early", "mid" and "late" before a month ("awal", "в
    /// конце"), by key.
    eml: HashMap<&'static str, Vec<String>>,
    /// Words that put what follows them in the future ("will", "akan") or in the
    /// past ("said", "was").
    future: Option<Regex>,
    past: Option<Regex>,
    /// `future` and `past` with ASCII word boundaries, for a window where no
    /// character outside ASCII is a word character (as `ascii_boundaries`).
    future_ascii: Option<Regex>,
    past_ascii: Option<Regex>,
    /// A day or month without a year is the occurrence nearest to publication,
    /// unless the words before it give a tense (English news writes upcoming dates
    /// without a year); otherwise the last one on or before publication.
    nearest: bool,
}

/// Tags time expressions in the four supported languages.
pub struct TimeTagger {
    /// The time words of every language (`time.tsv`).
    words: Vec<TimeWord>,
    /// The languages that have time words, each with its rules compiled on first use:
    /// the rules' regexes are most of start-up, and a process often reads one language.
    langs: HashMap<&'static str, std::sync::OnceLock<Option<LangRules>>>,
}

/// A regex alternation of word forms, longest first; `*` ends a prefix form.
fn alt<'a>(forms: impl IntoIterator<Item = &'a String>) -> String {
    let mut v: Vec<&String> = forms.into_iter().collect();
    v.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
    v.dedup();
    v.iter()
        .map(|f| match (f.strip_suffix('*'), f.strip_prefix('*')) {
            (Some(p), _) => format!(r"{}\w*", regex::escape(p)),
            // "*ed": any word with that ending.
            (None, Some(e)) => format!(r"\w+{}", regex::escape(e)),
            (None, None) => regex::escape(f).replace(' ', r"\s+"),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// `pattern` with each `\b` replaced by `with`; none when it has no `\b`.
fn replace_word_boundaries(pattern: &str, with: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut replaced = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') => {
                    out.push_str(with);
                    replaced = true;
                }
                Some(n) => {
                    out.push(c);
                    out.push(n);
                }
                None => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    replaced.then_some(out)
}

/// `pattern` with ASCII word boundaries (`(?-u:\b)`) for its `\b`, when it has one
/// and the result compiles.
fn with_ascii_boundaries(pattern: &str) -> Option<Regex> {
    Regex::new(&replace_word_boundaries(pattern, r"(?-u:\b)")?).ok()
}

/// Whether `s` is not ASCII but holds no word character outside ASCII: where ASCII
/// word boundaries hold exactly where Unicode ones do, and only the ASCII form lets
/// the lazy DFA search it (Unicode `\b` sends a search over text outside ASCII to the
/// backtracker).
fn ascii_words_only(s: &str) -> bool {
    !s.is_ascii() && !has_non_ascii_word_char(s)
}

/// Whether `s` holds a word character (as Unicode `\w` and `\b` have it) outside
/// ASCII.
fn has_non_ascii_word_char(s: &str) -> bool {
    static NON_ASCII_WORD: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"[\w&&[^\x00-\x7F]]").expect("valid regex"));
    !s.is_ascii() && NON_ASCII_WORD.is_match(s)
}

/// `pattern` without its word-boundary assertions: it matches wherever `pattern` does
/// (dropping a zero-width assertion only widens a match), and the regex engine's lazy
/// DFA can run it on non-ASCII text, which it cannot do with Unicode `\b`. `None` when
/// there is nothing to drop. Not compiled here: the caller compiles it (once) and
/// drops a gate that does not compile.
pub(crate) fn gate(pattern: &str) -> Option<String> {
    replace_word_boundaries(pattern, "")
}

impl TimeTagger {
    pub fn new(kb: &Knowledge) -> Self {
        let langs = ["id", "en", "ru", "uk"]
            .into_iter()
            .filter(|&lang| kb.time_words.iter().any(|w| w.lang == lang))
            .map(|lang| (lang, std::sync::OnceLock::new()))
            .collect();
        TimeTagger {
            words: kb.time_words.clone(),
            langs,
        }
    }

    pub fn supports(&self, lang: &str) -> bool {
        self.langs.contains_key(lang)
    }

    /// The rules of `lang`, compiled the first time they are asked for.
    fn rules(&self, lang: &str) -> Option<&LangRules> {
        let (&lang, rules) = self.langs.get_key_value(lang)?;
        rules
            .get_or_init(|| LangRules::build(&self.words, lang))
            .as_ref()
    }

    /// Every time expression in `sentence`, non-overlapping, in text order. Updates
    /// the context's narrative anchor with explicit day-precise dates.
    /// The ISO day of the week (Monday 1) a weekday word of `lang` names ("Kamis": 4).
    pub fn weekday_of(&self, lang: &str, word: &str) -> Option<i8> {
        self.rules(lang)?.weekdays.get(&fold(word)).copied()
    }

    pub fn tag(&self, lang: &str, sentence: &str, ctx: &mut TimeContext) -> Vec<TimeExpr> {
        self.tag_noted(lang, sentence, ctx, None)
    }

    /// [`TimeTagger::tag`], and with `notes` every expression found noted there as
    /// TIMEX3 has it ([`Timex3`]), in text order; without, it costs nothing more.
    ///
    /// Russian and Ukrainian are near enough to be taken for each other: a sentence
    /// in which one finds nothing is read with the other's words too ("Удар по
    /// Харькову 5 марта", detected as Ukrainian, keeps its Russian date).
    pub fn tag_noted(
        &self,
        lang: &str,
        sentence: &str,
        ctx: &mut TimeContext,
        mut notes: Option<&mut Vec<Timex3>>,
    ) -> Vec<TimeExpr> {
        let base = notes.as_ref().map_or(0, |n| n.len());
        let out = self.tag_noted_in(lang, sentence, ctx, notes.as_deref_mut());
        let sibling = match lang {
            "ru" => "uk",
            "uk" => "ru",
            _ => return out,
        };
        if !out.is_empty() || notes.as_ref().is_some_and(|n| n.len() > base) {
            return out;
        }
        self.tag_noted_in(sibling, sentence, ctx, notes)
    }

    fn tag_noted_in(
        &self,
        lang: &str,
        sentence: &str,
        ctx: &mut TimeContext,
        mut notes: Option<&mut Vec<Timex3>>,
    ) -> Vec<TimeExpr> {
        let Some(rules) = self.rules(lang) else {
            return Vec::new();
        };
        // Where this call's notes begin.
        let base = notes.as_ref().map_or(0, |n| n.len());
        let mut found: Vec<(usize, usize, Rule, Captures)> = Vec::new();
        // Which gates match (`Some(None)`: none does, as a quick leftmost scan tells
        // of most sentences without the overlapping scan that finds them all).
        let open = rules
            .gates
            .as_ref()
            .map(|g| g.is_match(sentence).then(|| g.matches(sentence)));
        // Outside ASCII only characters that are not word characters (or none): ASCII
        // word boundaries are the same as Unicode ones here. Asked once, when a rule
        // first runs.
        let mut ascii_words: Option<bool> = None;
        for (((rule, re), gate), ascii_re) in rules
            .rules
            .iter()
            .zip(&rules.gate_of)
            .zip(&rules.ascii_boundaries)
        {
            if let (Some(open), Some(g)) = (&open, gate)
                && !open.as_ref().is_some_and(|o| o.matched(*g))
            {
                continue;
            }
            let re = match ascii_re {
                Some(a)
                    if !sentence.is_ascii()
                        && *ascii_words
                            .get_or_insert_with(|| !has_non_ascii_word_char(sentence)) =>
                {
                    a
                }
                _ => re,
            };
            for c in re.captures_iter(sentence) {
                let m = c.get(0).expect("group 0 always exists");
                if m.start() == m.end() {
                    continue;
                }
                found.push((m.start(), m.end(), *rule, c));
            }
        }
        // Longest first, then leftmost; keep what does not overlap a kept one.
        found.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
        let mut kept: Vec<(usize, usize, Rule, Captures)> = Vec::new();
        for f in found {
            if kept.iter().all(|k| f.1 <= k.0 || f.0 >= k.1) && rules.acceptable(sentence, &f) {
                kept.push(f);
            }
        }
        kept.sort_by_key(|k| k.0);
        let mut out = Vec::new();
        // Clock times noted, to be given the day they fall on once the sentence's
        // dates are known.
        let mut clocks = Vec::new();
        let starts: Vec<usize> = kept
            .iter()
            .map(|k| k.0)
            .skip(1)
            .chain([sentence.len()])
            .collect();
        for ((start, end, rule, caps), next) in kept.into_iter().zip(starts) {
            let start = rules.after_signal(sentence, start, end);
            // A part of day after a day ("Friday night", "Senin pagi") makes it a time.
            let (end, part_of_day) = match rules.part_of_day_after(sentence, rule, end) {
                Some((e, pod)) if e <= next => (e, Some(pod)),
                _ => (end, None),
            };
            (ctx.future, ctx.past, ctx.deadline) = rules.tense_before(sentence, start);
            // "Wednesday's ruling": a day that names a noun's time, as after a
            // determiner; the clause's verb does not tense it, the nearest one.
            if rules.nearest
                && rule == Rule::Weekday
                && sentence[end..]
                    .strip_prefix(['\'', '’'])
                    .and_then(|r| r.strip_prefix('s'))
                    .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
            {
                (ctx.future, ctx.past) = (false, false);
            }
            ctx.followed = sentence
                .get(end..)
                .is_some_and(|r| r.trim_start().starts_with(char::is_alphanumeric));
            let resolved = rules.resolve(rule, &caps, ctx).or_else(|| {
                (rule == Rule::YearBare)
                    .then(|| rules.modifying_year(sentence, start, end, &caps))
                    .flatten()
            });
            // "the summer": a value TIMEX3 gives it, too vague to date an event by.
            let note_only = (rule == Rule::Season
                && caps.name("mod").is_none()
                && caps.name("y").is_none()
                && caps.name("ymod").is_none())
                    || (rule == Rule::CurrentYear && !rules.current_named(sentence, start, end))
                    // A half year, "in the morning": noted, never an event's date.
                    || caps.name("half").is_some()
                    || caps.name("pod3").is_some();
            let mut expr = None;
            if let Some((value, inferred, relative)) = resolved {
                let e = TimeExpr {
                    start,
                    end,
                    value,
                    inferred,
                    relative,
                };
                if !note_only {
                    if value.precision == Precision::Day
                        && !matches!(rule, Rule::Offset | Rule::OffsetPhrase | Rule::Weekend)
                    {
                        ctx.anchor = Some(value.start);
                        ctx.month = Some(value.start);
                    }
                    if value.precision == Precision::Month && !relative {
                        ctx.month = Some(value.start);
                    }
                    if !relative || rule == Rule::ThatYear {
                        ctx.year = Some(value.start.year());
                    }
                    if value.precision == Precision::Quarter
                        && rule != Rule::YearEarlier
                        && ctx.quarter.is_none()
                    {
                        let q = (value.start.month() - 1) / 3 + 1;
                        ctx.quarter = Some((value.start.year(), q));
                    }
                    out.push(e.clone());
                }
                expr = Some(e);
            }
            if let Some(notes) = notes.as_deref_mut() {
                let resolved = expr.clone().filter(|_| !note_only);
                // "через два года после вторжения": the length of an offset anchored
                // to an event by the signal after it.
                let signalled = sentence
                    .get(end..)
                    .and_then(|r| {
                        r.split(|c: char| !c.is_alphanumeric())
                            .find(|w| !w.is_empty())
                    })
                    .is_some_and(|w| matches!(fold(w).as_str(), "после" | "після"));
                if let Some((kind, value)) =
                    rules.timex3(rule, &caps, expr.as_ref(), part_of_day, signalled)
                {
                    if rule == Rule::Clock {
                        clocks.push(notes.len());
                    }
                    // "one year after the attack": the span is the duration alone.
                    let end = match (kind, caps.name("unit")) {
                        (TimexType::Duration, Some(u))
                            if rule == Rule::Offset || caps.name("ended").is_some() =>
                        {
                            u.end()
                        }
                        _ => end,
                    };
                    notes.push(Timex3 {
                        start,
                        end,
                        kind,
                        value,
                        resolved,
                    });
                }
            }
        }
        if let Some(notes) = notes.as_deref_mut() {
            // A clock time falls on the sentence's day nearest to it, else on the
            // narrative's last day, else on the publication day.
            for &i in &clocks {
                let at = notes[i].start;
                let day = out
                    .iter()
                    .filter(|e| e.value.precision == Precision::Day)
                    .min_by_key(|e| e.start.abs_diff(at))
                    .map(|e| e.value.start)
                    .or(ctx.anchor)
                    .or(ctx.published);
                if let Some(day) = day {
                    notes[i].value = notes[i].value.replacen("XXXX-XX-XX", &day.to_string(), 1);
                }
            }
            // A clock time right before its day ("10 p.m. Wednesday", "noon Thursday",
            // "9 a.m. EST Tuesday", "5 p.m., Nov. 6") is one TIME of that day.
            for &i in clocks.iter().rev() {
                let Some(next) = notes.get(i + 1) else {
                    continue;
                };
                let is_day = next.kind == TimexType::Date
                    && next.value.len() == 10
                    && next.value.as_bytes()[4] == b'-'
                    && next.value.as_bytes()[7] == b'-';
                let time = notes[i].value.get(10..).filter(|t| t.starts_with('T'));
                if let Some(time) = time
                    && is_day
                    && CLOCK_DAY_GAP.is_match(&sentence[notes[i].end..next.start])
                {
                    let value = format!("{}{time}", next.value);
                    let (end, resolved) = (next.end, next.resolved.clone());
                    notes[i].value = value;
                    notes[i].end = end;
                    notes[i].resolved = resolved;
                    notes.remove(i + 1);
                }
            }
            // "April 24 and 25": the second day is a date of the same month (TIMEX3
            // tags each day of a coordination).
            if rules.lang == "en" {
                let mut more = Vec::new();
                for n in &notes[base..] {
                    let day_value = n.kind == TimexType::Date
                        && n.value.len() == 10
                        && n.value.as_bytes()[4] == b'-'
                        && n.value.as_bytes()[7] == b'-';
                    if !day_value || !DAY_TEXT_END.is_match(&sentence[n.start..n.end]) {
                        continue;
                    }
                    let Some(c) = DAY_AND_NEXT.captures(&sentence[n.end..]) else {
                        continue;
                    };
                    let (Some(m), Ok(d)) = (c.name("d"), c["d"].parse::<i8>()) else {
                        continue;
                    };
                    let first: Option<i8> = n.value.get(8..10).and_then(|x| x.parse().ok());
                    let Some(date) = n
                        .resolved
                        .as_ref()
                        .and_then(|r| r.value.start.with().day(d).build().ok())
                        .filter(|_| first.is_some_and(|f| f < d))
                    else {
                        continue;
                    };
                    more.push(Timex3 {
                        start: n.end + m.start(),
                        end: n.end + m.end(),
                        kind: TimexType::Date,
                        value: date.to_string(),
                        resolved: None,
                    });
                }
                notes.extend(more);
            }
        }
        if let Some(notes) = notes {
            // References name no date, so no event is dated by one; TIMEX3 counts them
            // where they overlap no date.
            // A reference that holds whole expressions is the longer reading and
            // replaces them ("the last few months" over "few months", "recent
            // weeks and months" over "recent weeks"); one inside a date yields.
            let refs = self.tag_refs(lang, sentence);
            let holds = |r: &RefExpr, n: &Timex3| {
                r.start <= n.start && n.end <= r.end && r.end - r.start > n.end - n.start
            };
            let mut i = base;
            while i < notes.len() {
                if refs.iter().any(|r| holds(r, &notes[i])) {
                    notes.remove(i);
                } else {
                    i += 1;
                }
            }
            let dates: Vec<(usize, usize)> =
                notes[base..].iter().map(|n| (n.start, n.end)).collect();
            notes.extend(
                refs.into_iter()
                    .filter(|r| dates.iter().all(|d| r.end <= d.0 || r.start >= d.1))
                    .map(|r| Timex3 {
                        start: r.start,
                        end: r.end,
                        kind: TimexType::Date,
                        value: r.value.timex3().to_string(),
                        resolved: None,
                    }),
            );
            notes[base..].sort_by_key(|n| n.start);
        }
        out
    }

    /// References to the present, past and future in `sentence`, in text order.
    /// They are not dates: [`TimeTagger::tag`] never returns them.
    pub fn tag_refs(&self, lang: &str, sentence: &str) -> Vec<RefExpr> {
        let Some(rules) = self.rules(lang) else {
            return Vec::new();
        };
        let Some(re) = rules.refs.as_ref() else {
            return Vec::new();
        };
        // Most sentences hold no reference word: the gate, which the DFA decides in one
        // pass, says so; where the sentence's word characters are all ASCII, ASCII word
        // boundaries hold where Unicode ones do.
        if rules
            .refs_gate
            .as_ref()
            .is_some_and(|g| !g.is_match(sentence))
        {
            return Vec::new();
        }
        let re = match &rules.refs_ascii {
            Some(a) if ascii_words_only(sentence) => a,
            _ => re,
        };
        refs_by(rules, re, sentence)
    }
}

/// The references `re` (a form of `rules.refs`) finds in `sentence`, in text order.
fn refs_by(rules: &LangRules, re: &Regex, sentence: &str) -> Vec<RefExpr> {
    re.captures_iter(sentence)
        .filter_map(|c| {
            let m = c.get(0)?;
            let before = sentence[..m.start()].trim_end();
            let word = before
                .rsplit(|ch: char| !ch.is_alphanumeric())
                .next()
                .unwrap_or("");
            if rules.not_ref_after.contains(&fold(word)) {
                return None;
            }
            let value = if c.name("present").is_some() {
                TimeRef::Present
            } else if c.name("past").is_some() {
                TimeRef::Past
            } else {
                TimeRef::Future
            };
            Some(RefExpr {
                start: m.start(),
                end: m.end(),
                value,
            })
        })
        .collect()
}

impl LangRules {
    /// Whether the words just before `start` (the clause's last 80 bytes or so) put
    /// it in the future or in the past: whichever cue comes last; and whether a
    /// deadline opens it. `(future, past, deadline)`.
    fn tense_before(&self, s: &str, start: usize) -> (bool, bool, bool) {
        let mut from = start.saturating_sub(80);
        while !s.is_char_boundary(from) {
            from += 1;
        }
        let window = &s[from..start];
        let ascii = ascii_words_only(window);
        let last = |past: bool| {
            self.tense_regex(past, ascii)?
                .find_iter(window)
                .filter(|m| !past || !passive_or_eed(window, m))
                .last()
                .map(|m| m.end())
        };
        if self.nearest && SINCE_BEFORE.is_match(window) {
            return (false, true, false);
        }
        // A deadline ("by Jan. 14", "until mid-November", "extended to Nov. 20")
        // is not made past by the verb before it; a future word still makes it
        // future ("plans to resume flights by August"), else it reads either way:
        // the nearest occurrence.
        if self.nearest
            && let Some(c) = DEADLINE_BEFORE.captures(window)
        {
            // "from Sept. 14 to Thursday" is a stretch, not a deadline.
            let by = c.name("by").is_some();
            return (last(false).is_some(), false, by);
        }
        // A date after a determiner modifies a noun ("the Aug. 7 blasts", "a Jan. 14
        // deadline", "Tuesday's ruling" aside): the clause's verb does not tense it.
        if self.nearest && DETERMINER_BEFORE.is_match(window) {
            return (false, false, false);
        }
        let (f, p) = (last(false), last(true));
        let (future, past) = match (f, p) {
            (Some(f), Some(p)) => (f >= p, f < p),
            (None, None) => self.tense_after(s, start, Self::fronted(s, start)),
            (f, p) => (f.is_some(), p.is_some()),
        };
        // "ordered him to appear on Feb. 10", "agreed to meet Monday": an infinitive
        // after the past verb is that verb's aim, later than it; the nearest one.
        if past
            && self.nearest
            && let Some(p) = p
            && INFINITIVE
                .captures_iter(&window[p..])
                .any(|c| !NOT_VERB_AFTER_TO.contains(&c["w"].to_ascii_lowercase().as_str()))
        {
            return (false, false, false);
        }
        // The future of a past time ("had been due to expire Friday", "was expected
        // Monday"): ahead of that time, not of publication; the nearest occurrence.
        if future && self.nearest && FUTURE_IN_PAST.is_match(window) {
            return (false, false, false);
        }
        (future, past, false)
    }

    /// `self.past` (`past`) or `self.future`, or its form with ASCII word boundaries
    /// where `ascii_words` (the text searched is not ASCII but has no word character
    /// outside it: there the forms match alike, and only the ASCII one is searched by
    /// the lazy DFA).
    fn tense_regex(&self, past: bool, ascii_words: bool) -> Option<&Regex> {
        let (re, ascii) = if past {
            (&self.past, &self.past_ascii)
        } else {
            (&self.future, &self.future_ascii)
        };
        match ascii {
            Some(a) if ascii_words => Some(a),
            _ => re.as_ref(),
        }
    }

    /// Whether the expression at `start` opens its sentence or clause, alone or
    /// after its preposition ("In January, …", "On Tuesday, the league plans …"):
    /// a fronted time, governed by the verb of the clause that follows it.
    fn fronted(s: &str, start: usize) -> bool {
        let before = s[..start].trim_end();
        let head = before.trim_end_matches(char::is_alphabetic);
        let word = before[head.len()..].to_lowercase();
        let preposition = word.is_empty()
            || matches!(
                word.as_str(),
                "in" | "on" | "at" | "during" | "since" | "by" | "until" | "from" | "through"
            );
        let head = head.trim_end();
        preposition && (head.is_empty() || head.ends_with([';', ':', '"', '“', '`', '\'']))
    }

    /// With no cue before it, the first cue in the next 60 bytes or so after the
    /// expression's start ("In January, the company bought …"); up to 150 when the
    /// time is fronted, as the verb that governs it comes after the time and the
    /// subject ("In January, a week after the anniversary, a bombing killed …";
    /// "On Tuesday, the league plans to …").
    fn tense_after(&self, s: &str, start: usize, fronted: bool) -> (bool, bool) {
        let reach = if fronted { 150 } else { 60 };
        let mut to = (start + reach).min(s.len());
        while !s.is_char_boundary(to) {
            to -= 1;
        }
        let window = &s[start..to];
        let ascii = ascii_words_only(window);
        let first = |past: bool| {
            self.tense_regex(past, ascii)?
                .find_iter(window)
                .find(|m| !past || !passive_or_eed(window, m))
                .map(|m| m.start())
        };
        match (first(false), first(true)) {
            (Some(f), Some(p)) => (f < p, p <= f),
            (f, p) => (f.is_some(), p.is_some()),
        }
    }

    /// Where a part of day right after a match of a day rule ends, and its TIMEX3
    /// code ("Friday| night": `NI`).
    fn part_of_day_after(&self, s: &str, rule: Rule, end: usize) -> Option<(usize, &str)> {
        let day_rule = matches!(
            rule,
            Rule::Iso
                | Rule::SlashParen
                | Rule::DotNumeric
                | Rule::DayMonthYear
                | Rule::MonthDayYear
                | Rule::DayOfMonth
                | Rule::Weekday
                | Rule::Relative
                | Rule::OffsetPhrase
        );
        if !day_rule {
            return None;
        }
        let c = self.pod_after.as_ref()?.captures(&s[end..])?;
        let pod = c.name("pod")?;
        let code = self.parts_of_day.get(&fold(pod.as_str()))?;
        Some((end + pod.end(), code.as_str()))
    }

    /// The start of a match with a leading signal word ("pada", "since") left out:
    /// TIMEX3 spans hold the expression, not the preposition that introduces it.
    fn after_signal(&self, s: &str, start: usize, end: usize) -> usize {
        let text = &s[start..end];
        for sig in &self.signals {
            let mut chars = text.char_indices();
            let same = sig.chars().all(|c| {
                chars
                    .next()
                    .is_some_and(|(_, t)| t.to_lowercase().eq(c.to_lowercase()))
            });
            if !same {
                continue;
            }
            let Some((i, c)) = chars.next() else {
                continue;
            };
            if !c.is_whitespace() {
                continue;
            }
            let rest = &text[i..];
            let skipped = rest.len() - rest.trim_start().len();
            if i + skipped < text.len() {
                return start + i + skipped;
            }
        }
        start
    }

    fn build(time_words: &[TimeWord], lang: &str) -> Option<LangRules> {
        let words: Vec<_> = time_words.iter().filter(|w| w.lang == lang).collect();
        if words.is_empty() {
            return None;
        }
        let forms = |kind: &str, key: Option<&str>| -> Vec<String> {
            words
                .iter()
                .filter(|w| w.kind == kind && key.is_none_or(|k| w.key == k))
                .flat_map(|w| w.forms.iter().cloned())
                .collect()
        };
        let map = |kind: &str| -> Vec<(String, String)> {
            words
                .iter()
                .filter(|w| w.kind == kind)
                .flat_map(|w| {
                    w.forms
                        .iter()
                        .map(|f| (fold(f.trim_end_matches('*')), w.key.clone()))
                })
                .collect()
        };
        let months = map("month")
            .into_iter()
            .filter_map(|(f, k)| Some((f, k.parse().ok()?)))
            .collect();
        let weekdays = map("weekday")
            .into_iter()
            .filter_map(|(f, k)| Some((f, k.parse().ok()?)))
            .collect();
        let numbers = map("number")
            .into_iter()
            .filter_map(|(f, k)| Some((f, k.parse().ok()?)))
            .collect();
        let ordinals = map("ordinal")
            .into_iter()
            .filter_map(|(f, k)| Some((f, k.parse().ok()?)))
            .collect();
        let offsets = map("offset_phrase")
            .into_iter()
            .filter_map(|(f, k)| Some((f, k.parse().ok()?)))
            .collect();
        let seasons = map("season")
            .into_iter()
            .filter_map(|(f, k)| {
                let s = match k.as_str() {
                    "spring" => Season::Spring,
                    "summer" => Season::Summer,
                    "autumn" => Season::Autumn,
                    "winter" => Season::Winter,
                    _ => return None,
                };
                Some((f, s))
            })
            .collect();
        let units = map("unit")
            .into_iter()
            .filter_map(|(f, k)| {
                let u = match k.as_str() {
                    "day" => Unit::Day,
                    "week" => Unit::Week,
                    "month" => Unit::Month,
                    "year" => Unit::Year,
                    "hour" => Unit::Hour,
                    "minute" => Unit::Minute,
                    "decade" => Unit::Decade,
                    "century" => Unit::Century,
                    "quarter" => Unit::Quarter,
                    _ => return None,
                };
                Some((f, u))
            })
            .collect();
        let relative = map("relative")
            .into_iter()
            .filter_map(|(f, k)| {
                let d = match k.as_str() {
                    "yesterday" => -1,
                    "day_before_yesterday" => -2,
                    "today" => 0,
                    "tomorrow" => 1,
                    "day_after_tomorrow" => 2,
                    _ => return None,
                };
                Some((f, d))
            })
            .collect();
        let mut mods = HashMap::new();
        for (key, m) in [
            ("last", Mod::Last),
            ("this", Mod::This),
            ("next", Mod::Next),
            ("before", Mod::Before),
            ("after", Mod::After),
        ] {
            for f in forms("modifier", Some(key)) {
                mods.entry(fold(&f)).or_insert(m);
            }
        }
        let mon = alt(&forms("month", None));
        let wd = alt(&forms("weekday", None));
        let season = alt(&forms("season", None));
        let mut numv = forms("number", None);
        numv.retain(|n| n.chars().count() > 2);
        let numw = alt(&numv);
        let num = format!(r"(?:\d{{1,3}}|(?:{numw})(?:[-\s](?:{numw}))?)");
        let unit = alt(&forms("unit", None));
        let lastthisnext = alt(&[
            forms("modifier", Some("last")),
            forms("modifier", Some("this")),
            forms("modifier", Some("next")),
        ]
        .concat());
        let recent = alt(&forms("modifier", Some("recent")));
        let ago = alt(&forms("modifier", Some("ago")));
        let before_after = alt(&[
            forms("modifier", Some("before")),
            forms("modifier", Some("after")),
        ]
        .concat());
        let eml = alt(&[
            forms("modifier", Some("early")),
            forms("modifier", Some("mid")),
            forms("modifier", Some("late")),
        ]
        .concat());
        let rel = alt(&forms("relative", None));
        let ordw = alt(&forms("ordinal", None));
        let mut signals: Vec<String> = forms("signal", None).iter().map(|f| fold(f)).collect();
        signals.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
        let refs = {
            let group = |key: &str| {
                let f = forms("reference", Some(key));
                (!f.is_empty()).then(|| format!("(?P<{key}>{})", alt(&f)))
            };
            let groups: Vec<String> = ["present", "past", "future"]
                .into_iter()
                .filter_map(group)
                .collect();
            (!groups.is_empty())
                .then(|| Regex::new(&format!(r"(?i)\b(?:{})\b", groups.join("|"))))
                .and_then(|r| {
                    r.map_err(
                        |e| tracing::error!(lang, error = %e, "reference words do not compile"),
                    )
                    .ok()
                })
        };
        // A word after a date that only says it is past ("24 Desember lalu").
        let past = {
            let f = forms("past_marker", None);
            if f.is_empty() {
                String::new()
            } else {
                format!(r"(?:\s+(?:{})\b)?", alt(&f))
            }
        };
        // "tanggal 24 Desember": the word for "date" opens a day.
        let dayword = match lang {
            "id" => r"(?:(?:tanggal|tgl\.?)\s*)?",
            _ => "",
        };
        let offs = alt(&forms("offset_phrase", None));
        let few = alt(&forms("modifier", Some("few")));
        // Month names of more than three letters without a dot, and not "May".
        let full_months = alt(&forms("month", None)
            .into_iter()
            .filter(|m| m.chars().count() > 3 && !m.contains('.') && m != "May")
            .collect::<Vec<_>>());
        let every = alt(&forms("modifier", Some("every")));
        let pod = alt(&forms("part_of_day", None));
        let set_adv = alt(&forms("set", None));
        // A duration's number: digits (a decimal too), number words, "a", or vague.
        let article = if lang == "en" { "|an?" } else { "" };
        let dur_num = if few.is_empty() {
            format!(r"(?:\d{{1,3}}(?:[.,]\d+)?|{num}{article})")
        } else {
            format!(r"(?:\d{{1,3}}(?:[.,]\d+)?|{num}|{few}{article})")
        };
        let yearword = match lang {
            "ru" => r"(?:\s*(?:года|году|год|г\.))?",
            "uk" => r"(?:\s*(?:року|році|рік|р\.))?",
            _ => "",
        };

        let mut t: Vec<(Rule, String)> = vec![
            (
                Rule::Iso,
                r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b".into(),
            ),
            (
                Rule::SlashParen,
                format!(
                    r"(?:\b(?P<wd>{wd})\s*,?\s*)?\((?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{4}}|\d{{2}}))?\){past}"
                ),
            ),
            (
                Rule::DotNumeric,
                format!(r"\b(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}})\b{yearword}"),
            ),
            (
                Rule::DayMonthYear,
                format!(
                    r"\b(?:(?P<wd>{wd}),?\s+)?{dayword}(?P<d>\d{{1,2}})(?:\s*[-–—]\s*\d{{1,2}})?\s+(?P<mon>{mon})(?:,?\s+(?P<y>\d{{4}})\b{yearword})?{past}"
                ),
            ),
            (
                Rule::MonthYear,
                format!(
                    r"\b(?:(?P<eml>{eml})\s+(?:of\s+)?)?(?:bulan\s+)?(?P<mon>{mon}),?\s+(?P<y>\d{{4}})\b{yearword}{past}"
                ),
            ),
            (Rule::Relative, format!(r"\b(?P<rel>{rel})\b")),
            (Rule::OffsetPhrase, format!(r"\b(?P<off>{offs})\b")),
        ];
        match lang {
            "id" => t.extend([
                (
                    Rule::MonthBare,
                    format!(r"\b(?:pada|sejak|hingga|sampai|selama|(?P<eml>awal|akhir|pertengahan)|bulan)\s+(?:bulan\s+)?(?P<mon>{mon})\b{past}"),
                ),
                // "Maret lalu": a month the past marker dates without a preposition.
                (Rule::MonthBare, format!(r"\b(?P<mon>{mon})\s+(?:lalu|kemarin)\b")),
                (Rule::Year, format!(r"\b(?:(?:pada|sejak|hingga|sampai|awal|akhir|pertengahan)\s+)?tahun\s+(?P<y>\d{{4}})\b(?:\s+ini)?{past}")),
                // A bare year after a preposition, or dated past: Indonesian writes
                // quantities with a thousands dot ("2.000 orang"), so "sejak 2014" is a year.
                (Rule::Year, format!(r"\b(?:pada|sejak|hingga|sampai|awal|akhir|pertengahan)\s+(?P<y>\d{{4}})\b{past}")),
                (Rule::Year, r"\b(?P<y>\d{4})\s+(?:lalu|silam)\b".into()),
                (Rule::DayOfMonth, format!(r"\b(?:tanggal|tgl\.?)\s*(?P<d>\d{{1,2}})\b{past}")),
                (
                    Rule::Weekday,
                    format!(r"\b(?:pada\s+)?(?P<hari>hari\s+)?(?P<wd>{wd})(?:\s+(?P<mod>lalu|kemarin|depan|ini)|\s+(?:pekan|minggu)\s+(?P<prevweek>lalu|kemarin))?\b"),
                ),
                (
                    Rule::Season,
                    format!(r"\b(?P<season>{season})(?:\s+(?P<mod>{lastthisnext}))?(?:\s+(?:tahun\s+)?(?P<y>\d{{4}})|\s+tahun\s+(?P<ymod>{lastthisnext}))?\b"),
                ),
                (Rule::UnitMod, format!(r"\b(?P<unit>{unit})\s+(?P<mod>{lastthisnext})\b")),
                (
                    Rule::Recent,
                    format!(r"\b(?:(?:selama|dalam)\s+)?(?P<n>{num})\s+(?P<unit>{unit})\s+(?:{recent})\b"),
                ),
                (Rule::Ago, format!(r"\b(?P<n>{num})\s+(?P<unit>{unit})\s+(?:yang\s+)?(?:{ago}|lalu)\b")),
                (
                    Rule::Offset,
                    format!(r"\b(?:(?P<n>{num})\s+(?P<unit>{unit})|se(?P<unit1>hari|minggu|pekan|bulan|tahun))\s+(?P<dir>{before_after})\b"),
                ),
            ]),
            "en" => t.extend([
                (
                    Rule::MonthDayYear,
                    format!(
                        r"\b(?:(?P<wd>{wd}),?\s+)?(?P<mon>{mon})\s+(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–—]\s*\d{{1,2}}(?:st|nd|rd|th)?)?|(?P<dw>{ordw}))\b(?:,?\s+(?P<y>\d{{4}})\b)?"
                    ),
                ),
                // Spoken: "the eighth of March (1998)".
                (
                    Rule::MonthDayYear,
                    format!(
                        r"\bthe\s+(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)|(?P<dw>{ordw}))\s+of\s+(?P<mon>{mon})\b(?:,?\s+(?P<y>\d{{4}})\b)?"
                    ),
                ),
                (
                    Rule::MonthBare,
                    format!(r"\b(?:in|since|until|by|during|(?P<eml>early|late|mid-|mid|end of|beginning of|start of))\s*(?P<mon>{mon})\b"),
                ),
                (Rule::Year, r"\b(?:in|since|during|by|until|of|early|late|mid-)\s*(?P<y>\d{4})\b".into()),
                (
                    Rule::Weekday,
                    format!(r"\b(?:(?P<mod>this\s+coming|this\s+past|last|next|this|on|early on|late on|early|late)\s+|the\s+(?P<anch>previous|preceding|following)\s+)?(?P<wd>{wd})(?:\s+(?P<prevweek>last\s+week))?\b"),
                ),
                (
                    Rule::Season,
                    format!(r"\b(?:(?P<mod>this\s+past|this\s+coming|{lastthisnext})\s+|(?P<the>the)\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<season>{season})(?:\s+(?:of\s+)?(?P<y>\d{{4}})|\s+of\s+(?P<ymod>last|this|next)\s+year)?\b"),
                ),
                // A month of the year in focus: "January this year", "early October
                // last year", "April 5 next year".
                (
                    Rule::MonthRelYear,
                    format!(r"\b(?:(?:{eml})\s+(?:of\s+)?)?(?P<mon>{mon})(?:\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+(?P<yrel>this|last|next)\s+year\b"),
                ),
                (
                    Rule::CurrentYear,
                    r"\bthe\s+(?:current|present)\s+(?:fiscal\s+|calendar\s+)?year\b".to_string(),
                ),
                // "for the year", "the full year", "earlier in the year": the year of
                // the report (TIMEX3 gives it its value); too vague to date an event.
                (
                    Rule::CurrentYear,
                    r"\b(?:(?:earlier|later)\s+in\s+)?the\s+(?P<focus>full\s+|fiscal\s+|entire\s+|whole\s+|calendar\s+)?year\b".to_string(),
                ),
                // "last May": after a modifier "May" is no verb.
                (
                    Rule::MonthBare,
                    r"\b(?P<mod>last|this|next)\s+(?P<mon>May)\b".to_string(),
                ),
                (Rule::UnitMod, r"\b(?:(?:earlier|later|early|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|mid-)\s*)?(?:the\s+)?(?P<mod>last|this|next|past|coming)\s+(?:fiscal\s+|calendar\s+)?(?P<unit>week|month|year)\b".to_string()),
                (
                    Rule::Recent,
                    format!(r"\b(?:(?:over|in|during|for)\s+)?the\s+(?:{recent})\s+(?P<n>{num})\s+(?P<unit>{unit})\b"),
                ),
                // "the next three quarters", "the next few days": how long, ahead.
                (
                    Rule::Recent,
                    format!(r"\b(?:(?:over|in|during|for|within)\s+)?the\s+(?P<fwd>next|coming)\s+(?P<n>{num}|{few})\s+(?P<unit>{unit})\b"),
                ),
                // "the weeks ahead": as "the next few weeks", how long, ahead.
                (
                    Rule::Recent,
                    r"\b(?:(?:over|in|during|for|within)\s+)?the\s+(?P<unit>days|weeks|months|years)\s+ahead\b".to_string(),
                ),
                // "in recent weeks": a stretch of weeks up to now.
                (
                    Rule::Duration,
                    r"\brecent\s+(?P<unit>days|weeks|months|quarters)\b".to_string(),
                ),
                // "the year ended Sept. 30": a year long, ending then.
                (
                    Rule::Duration,
                    r"\bthe\s+(?:fiscal\s+|full\s+|financial\s+)?(?P<unit>year)\s+(?P<ended>ended|ending|that\s+ended|that\s+ends)\b".to_string(),
                ),
                // "a week or so ago": about a week ago.
                (Rule::Ago, format!(r"\b(?P<n>{num}|an?)\s+(?P<unit>{unit})(?:\s+or\s+so)?\s+(?:{ago})\b")),
                (Rule::Offset, format!(r"\b(?P<n>{num}|an?)\s+(?P<unit>{unit})\s+(?P<dir>{before_after})\b")),
                // "the month before", "the previous week": one unit from the narrative's
                // time (TimeML anchors them to the reference time).
                (
                    Rule::Offset,
                    r"\b(?P<the>the)\s+(?:(?P<dir>previous|preceding|prior|following)\s+(?P<unit>week|month)|(?P<unit1>week|month)\s+(?P<dir2>before|earlier|after|later))\b".to_string(),
                ),
                // A month alone, with or without "last"/"this"/"next" ("May" is left to
                // the rules above: it is also a verb).
                (
                    Rule::MonthBare,
                    format!(r"\b(?:(?:(?P<mod>last|this|next)|(?P<eml>early|late|mid-|mid))\s*)?(?P<mon>{full_months})\b"),
                ),
            ]),
            _ => {
                let (prep, weekday_prep) = if lang == "ru" {
                    // Each case's prepositions: genitive (до, с, после, от, около),
                    // dative (к, по), accusative (на, за, в), instrumental (перед,
                    // между, с), prepositional (в).
                    (r"(?:в|во|с|со|до|к|ко|на|за|по|после|перед|между|от|около|(?:в\s+)?(?P<eml>начале|середине|конце))", r"(?:в|во)")
                } else {
                    (r"(?:у|в|з|із|зі|до|на|за|по|після|перед|між|від|(?:на\s+|у\s+|в\s+)?(?P<eml>початку|середині|наприкінці|кінці))", r"(?:у|в)")
                };
                t.extend([
                    (Rule::MonthBare, format!(r"\b{prep}\s+(?P<mon>{mon})\b")),
                    (Rule::Year, format!(r"\b(?:(?:в|у|с|з|до)\s+)?(?P<y>\d{{4}})\s*{}", yearword.trim_start_matches("(?:").trim_end_matches(")?"))),
                    (
                        Rule::Weekday,
                        format!(r"\b(?:{weekday_prep}\s+)?(?:(?P<mod>{lastthisnext})\s+)?(?P<wd>{wd})\b"),
                    ),
                    (
                        Rule::Season,
                        format!(r"\b(?:(?P<mod>{lastthisnext})\s+)?(?P<season>{season})(?:\s+(?P<y>\d{{4}})\b{yearword}|\s+(?P<ymod>{lastthisnext})\s+(?:года|году|року|рік)\b)?"),
                    ),
                    (Rule::UnitMod, format!(r"\b(?:(?:в|у|на)\s+)?(?P<mod>{lastthisnext})\s+(?P<unit>{unit})\b")),
                    (Rule::Recent, format!(r"\bза\s+(?:{recent})\s+(?P<n>{num})\s+(?P<unit>{unit})\b")),
                    (Rule::Ago, format!(r"\b(?P<n>{num})\s+(?P<unit>{unit})\s+(?:{ago})\b")),
                    (Rule::Offset, format!(r"\b(?P<dir>через|спустя)\s+(?P<n>{num})\s+(?P<unit>{unit})\b")),
                ]);
            }
        }
        if lang == "en" {
            // First, so that it wins over "a year ago" read as any unit ago.
            t.insert(
                0,
                (
                    Rule::YearEarlier,
                    r"\b(?:(?:the\s+)?(?:comparable\s+)?year-(?:ago|earlier)(?:\s+(?:quarter|period))?|a\s+year\s+(?:ago|earlier)|the\s+(?:same|corresponding|comparable)\s+(?:quarter|period)\s+(?:a|last)\s+year|last\s+year's\s+(?:quarter|period))\b".to_string(),
                ),
            );
        }
        // Quarters of a year (TIMEX3 `2024-Q3`) as the other languages write them: an
        // ordinal word, a Roman or Arabic numeral, and the year, stated or relative
        // ("kuartal III 2024", "triwulan pertama tahun ini", "в третьем квартале
        // 2023 года", "у І кварталі минулого року").
        let roman = r"(?:IV|I{1,3}|ІV|І{1,3}|[1-4])";
        match lang {
            "id" => t.push((
                Rule::Quarter,
                format!(r"\b(?:kuartal|triwulan)\s+(?P<q>{roman}|pertama|kedua|ketiga|keempat)\b(?:(?:\s*[/-]\s*|\s+(?:tahun\s+)?)(?:(?P<y>\d{{4}})\b|(?P<qyt>ini)\b|(?P<qyl>lalu|kemarin)\b|(?P<qyn>depan)\b))?"),
            )),
            "ru" => t.push((
                Rule::Quarter,
                format!(r"(?:\b|^)(?P<q>{roman}(?:-?(?:м|й|го|ом))?|перв\w*|втор\w*|трет\w*|четв[её]рт\w*)\s+квартал\w*(?:\s+(?:(?P<y>\d{{4}})(?:\s*(?:г\.|года|году|год)\b)?|(?P<qyt>этого|текущего|нынешнего)\s+года\b|(?P<qyl>прошлого)\s+года\b|(?P<qyn>следующего|будущего)\s+года\b))?"),
            )),
            "uk" => t.push((
                Rule::Quarter,
                format!(r"(?:\b|^)(?P<q>{roman}(?:-?(?:му|й|го|ий))?|перш\w*|друг\w*|трет\w*|четверт\w*)\s+квартал\w*(?:\s+(?:(?P<y>\d{{4}})(?:\s*(?:р\.|року|рік)\b)?|(?P<qyt>цього|поточного|нинішнього)\s+року\b|(?P<qyl>минулого)\s+року\b|(?P<qyn>наступного)\s+року\b))?"),
            )),
            _ => {}
        }
        // TIMEX3 beyond dates, in every language: durations, sets, clock times.
        // "two more weeks", "an additional year": a length added to another; "2 1/2
        // years", "a minute and a half": and half a unit.
        let (more, half, half_after) = if lang == "en" {
            (
                r"(?:\s+(?:more|additional|further|extra))?",
                r"(?P<half>\s+and\s+a\s+half|\s+1/2|\s*½)?",
                r"(?P<half2>\s+and\s+a\s+half)?",
            )
        } else {
            ("", "", "")
        };
        t.push((
            Rule::Duration,
            format!(
                r"\b(?P<n>{dur_num}){half}{more}(?:\s+|-)(?P<unit>{unit}){half_after}(?:-long)?\b"
            ),
        ));
        if !every.is_empty() {
            t.push((
                Rule::Set,
                format!(r"\b(?:{every})\s+(?:(?P<n>{num})\s+)?(?:(?P<unit>{unit})|(?P<wd>{wd}))\b"),
            ));
        }
        if !set_adv.is_empty() {
            t.push((Rule::Set, format!(r"\b(?P<adv>{set_adv})\b")));
        }
        t.push((
            Rule::Clock,
            r"\b(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)\b".to_string(),
        ));
        match lang {
            "en" => t.extend([
                (
                    Rule::Clock,
                    r"\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<min>[0-5]\d))?\s*(?P<ampm>[ap])\.?\s?m\b\.?".to_string(),
                ),
                (Rule::Clock, r"\b(?P<noon>noon|midday|midnight)\b".to_string()),
                (
                    Rule::Clock,
                    r"\b(?P<h>1[0-2]|0?[1-9])(?:\s+o'clock)?\s+(?:in\s+the|at)\s+(?P<podc>morning|afternoon|evening|night)\b".to_string(),
                ),
                (
                    Rule::PartOfDay,
                    format!(r"\b(?:(?:early|late|later|mid)[\s-]*)?(?:(?P<pmod>this|last|tomorrow|yesterday)\s+(?P<pod>{pod})|(?P<pod2>{pod})\s+(?P<pmod2>yesterday|today|tomorrow)|(?P<tonight>tonight|overnight))\b"),
                ),
                // "in the morning", "by mid-afternoon": a part of the narrative's day
                // (TimeML's reference time); "the night" is left out ("the night of
                // May 5", "the night the plane fell").
                (
                    Rule::PartOfDay,
                    r"\b(?:in|by|during|throughout)\s+(?:the\s+(?:(?:early|late|mid)[\s-]*)?|(?:early|late|mid)[\s-]*)(?P<pod3>morning|afternoon|evening)\b".to_string(),
                ),
                (
                    Rule::Weekend,
                    r"\b(?:(?P<mod>this|last|next|past|coming)\s+|the\s+(?:(?P<mod2>past|last|coming|next)\s+)?)?weekend\b".to_string(),
                ),
                (
                    Rule::Quarter,
                    r"\b(?:the\s+)?(?:(?P<qy>this\s+year's|last\s+year's|next\s+year's|year-earlier|year-ago)\s+)?(?:fiscal\s+)?(?:(?P<y0>(?:19|20)\d\d)\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter(?:\s+of\s+(?:fiscal\s+)?(?P<y>\d{4})|,?\s+(?P<y2>\d{4}))?\b".to_string(),
                ),
                // Halves of a year (TIMEX3 `1989-H2`): "the second half of 1989", "the
                // first half of this year", "first-half results"; a half alone ("the
                // second half") is as often a match's.
                (
                    Rule::Quarter,
                    r"\b(?:the\s+)?(?P<half>first|second|last|latter)(?:\s+half\s+of\s+(?:(?:the\s+)?(?:fiscal\s+)?(?P<y>\d{4})|(?P<qy>this|last|next)\s+year|the\s+(?:current\s+)?year)|-half)\b".to_string(),
                ),
                (
                    Rule::QuarterRef,
                    r"\b(?:the\s+(?P<qm>latest|most\s+recent|recent|current|previous|prior|next|same|just-ended|just\s+ended)\s+(?:quarter|period)|the\s+(?:(?P<qy>(?:19|20)\d\d)\s+)?quarter|the\s+(?P<qy2>(?:19|20)\d\d)\s+period|(?P<qm2>this|last|next)\s+quarter)\b".to_string(),
                ),
                (Rule::YearBare, r"\b(?P<y>(?:1[89]|20)\d\d)\b".to_string()),
                (
                    Rule::ThatYear,
                    r"\b(?:(?:later|earlier)\s+(?:in\s+)?(?:that|the\s+same)\s+year|that\s+(?:same\s+)?year|the\s+same\s+year|the\s+(?P<dir>following|next|previous|preceding|prior)\s+year|the\s+year\s+(?P<dir2>before|after))\b".to_string(),
                ),
                (
                    Rule::YearEnd,
                    r"\b(?:(?P<since>since\s+))?(?:the\s+end\s+of\s+the\s+year|year-end|year\s+end|year's\s+end)\b".to_string(),
                ),
                (
                    Rule::Holiday,
                    r"\b(?:(?P<mod>last|this|next)\s+)?(?P<hol>Christmas\s+Eve|Christmas(?:\s+Day)?|New\s+Year's\s+Eve|New\s+Year's(?:\s+Day)?|Thanksgiving(?:\s+Day)?|Election\s+Day|Victory\s+Day)\b".to_string(),
                ),
                // Years as speech writes them: "nineteen ninety-six", "the year two thousand".
                (
                    Rule::YearBare,
                    format!(r"\b(?:(?P<cent>nineteen|eighteen)[\s-]+(?P<n>(?:{numw})(?:[\s-](?:{numw}))?)|the\s+year\s+(?P<two>two\s+thousand))\b"),
                ),
                (
                    Rule::Decade,
                    r"\b(?:(?P<the>the)\s+)?(?:(?:early|mid|late)[\s-]+)?(?:(?P<c>1[89]|20)|')(?P<dec>\d)0'?s\b".to_string(),
                ),
                // "the nineties", "the 20th century" (TIMEX3: `199`, `19`).
                (
                    Rule::Decade,
                    r"\b(?:the\s+(?:(?:early|mid|late)[\s-]+)?(?P<decw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)|(?:the\s+)?(?P<cn>[1-9]|1\d|2[01])(?:st|nd|rd|th)[\s-]+century)\b".to_string(),
                ),
                // Plural units alone after a preposition: "for years".
                (
                    Rule::Duration,
                    r"\b(?:for|over|in)\s+(?P<unit>years|months|weeks|days|decades|hours)\b".to_string(),
                ),
            ]),
            "id" => t.push((
                Rule::Clock,
                r"\b(?:pukul|jam|pk\.?)\s*(?P<h>[01]?\d|2[0-3])(?:[.:](?P<min>[0-5]\d))?(?:\s+(?:WIB|WITA|WIT))?\b".to_string(),
            )),
            _ => {}
        }
        let rules: Vec<(Rule, Regex)> = t
            .into_iter()
            .filter_map(|(rule, pat)| match Regex::new(&format!("(?i){pat}")) {
                Ok(re) => Some((rule, re)),
                Err(e) => {
                    tracing::error!(lang, ?rule, error = %e, "time rule does not compile");
                    None
                }
            })
            .collect();
        let mut gate_patterns = Vec::new();
        let mut gate_of: Vec<Option<usize>> = rules
            .iter()
            .map(|(_, re)| {
                gate(re.as_str()).map(|g| {
                    gate_patterns.push(g);
                    gate_patterns.len() - 1
                })
            })
            .collect();
        // The gates are hundreds of alternations run as one overlapping scan: with the
        // lazy DFA's default 2 MB cache its states are thrown away and rebuilt over and
        // over on ordinary text (most of an extraction's time, measured with perf); a
        // larger cache keeps them. It is per thread and filled only as text needs it.
        let set = |patterns: &[String]| {
            regex::RegexSetBuilder::new(patterns)
                .dfa_size_limit(GATE_DFA_CACHE)
                .build()
        };
        // Every gate compiles, as a rule: the set is compiled once. Where one does
        // not, that rule goes without a gate and the set is made of the others.
        let gates = set(&gate_patterns)
            .or_else(|_| {
                let mut kept = Vec::new();
                for g in gate_of.iter_mut() {
                    *g = g
                        .filter(|&i| Regex::new(&gate_patterns[i]).is_ok())
                        .map(|i| {
                            kept.push(gate_patterns[i].clone());
                            kept.len() - 1
                        });
                }
                set(&kept)
            })
            .map_err(|e| tracing::error!(lang, error = %e, "time rule gates do not compile"))
            .ok();
        if gates.is_none() {
            gate_of.iter_mut().for_each(|g| *g = None);
        }
        let ascii_boundaries = rules
            .iter()
            .map(|(_, re)| with_ascii_boundaries(re.as_str()))
            .collect();
        let future = {
            let f = forms("future", None);
            (!f.is_empty())
                .then(|| Regex::new(&format!(r"(?i)\b(?:{})\b", alt(&f))).ok())
                .flatten()
        };
        let past = {
            let f = forms("past", None);
            (!f.is_empty())
                .then(|| Regex::new(&format!(r"(?i)\b(?:{})\b", alt(&f))).ok())
                .flatten()
        };
        Some(LangRules {
            lang: lang.to_string(),
            rules,
            gates,
            gate_of,
            ascii_boundaries,
            months,
            weekdays,
            seasons,
            numbers,
            ordinals,
            units,
            relative,
            mods,
            offsets,
            signals,
            refs_gate: refs
                .as_ref()
                .and_then(|r| gate(r.as_str()))
                .and_then(|g| Regex::new(&g).ok()),
            refs_ascii: refs
                .as_ref()
                .and_then(|r| with_ascii_boundaries(r.as_str())),
            refs,
            not_ref_after: forms("not_reference_after", None)
                .iter()
                .map(|f| fold(f))
                .collect(),
            parts_of_day: map("part_of_day").into_iter().collect(),
            pod_after: (!pod.is_empty())
                .then(|| {
                    Regex::new(&format!(r"(?i)^\s*,?\s*(?:in\s+the\s+)?(?P<pod>{pod})\b")).ok()
                })
                .flatten(),
            eml: ["early", "mid", "late"]
                .into_iter()
                .map(|k| {
                    (
                        k,
                        forms("modifier", Some(k)).iter().map(|f| fold(f)).collect(),
                    )
                })
                .collect(),
            set_adverbs: map("set")
                .into_iter()
                .filter_map(|(f, k)| {
                    let u = match k.as_str() {
                        "day" => Unit::Day,
                        "week" => Unit::Week,
                        "month" => Unit::Month,
                        "year" => Unit::Year,
                        _ => return None,
                    };
                    Some((f, u))
                })
                .collect(),
            future_ascii: future
                .as_ref()
                .and_then(|re| with_ascii_boundaries(re.as_str())),
            past_ascii: past
                .as_ref()
                .and_then(|re| with_ascii_boundaries(re.as_str())),
            future,
            past,
            nearest: lang == "en",
        })
    }

    /// Checks a regex can't express: capitalised month and day names where the
    /// language capitalises them, decades, bare seasons, Indonesian "Minggu".
    fn acceptable(&self, s: &str, f: &(usize, usize, Rule, Captures)) -> bool {
        let (start, end, rule, caps) = f;
        let capitalised = |g: &str| {
            caps.name(g)
                .is_none_or(|m| m.as_str().chars().next().is_some_and(char::is_uppercase))
        };
        if matches!(self.lang.as_str(), "en" | "id") && (!capitalised("mon") || !capitalised("wd"))
        {
            return false;
        }
        let rest = &s[*end..];
        match rule {
            // "August second-quarter profit": no day.
            Rule::MonthDayYear if caps.name("dw").is_some() && rest.starts_with('-') => false,
            Rule::Year | Rule::MonthYear | Rule::DayMonthYear => {
                // "1950-an", "1950s", "2022-2023" handled elsewhere: not a year here.
                !(rest.starts_with("-an")
                    || rest.starts_with("an ")
                    || rest.starts_with('s')
                    || rest.starts_with("-х")
                    || rest.starts_with("-ті"))
            }
            // A season needs a modifier, a year or "the" ("the summer"); "the fall" is
            // as often a drop or a defeat.
            Rule::Season => {
                caps.name("mod").is_some()
                    || caps.name("y").is_some()
                    || caps.name("ymod").is_some()
                    || (caps.name("the").is_some()
                        && caps
                            .name("season")
                            .is_some_and(|m| fold(m.as_str()) != "fall"))
            }
            Rule::Duration => {
                // An age ("a 6-year-old") is no duration TimeBank tags, nor a rate
                // ("four flights a week", "24 hours a day").
                let age = rest.starts_with("-old") || rest.starts_with(" old");
                // "several years ago": a vague past (`PAST_REF`), not a length.
                let ago = self.lang == "en" && rest.trim_start().starts_with("ago");
                let rate = caps
                    .name("n")
                    .is_some_and(|n| matches!(fold(n.as_str()).as_str(), "a" | "an"))
                    && s[..*start]
                        .trim_end()
                        .rsplit(char::is_whitespace)
                        .next()
                        .is_some_and(|w| {
                            plural_noun(w) || w.ends_with(|c: char| c.is_ascii_digit())
                        });
                // "a quarter of the vote", "three quarters of them": fractions;
                // "several quarters of losses" is a length.
                let fraction = self.unit(caps) == Some(Unit::Quarter)
                    && self.number(caps).is_some()
                    && (rest.trim_start().starts_with("of ")
                        || caps
                            .name("n")
                            .is_some_and(|n| matches!(fold(n.as_str()).as_str(), "a" | "an")));
                // "60 Minutes", "48 Hours": a title, not a length (a unit in capitals
                // after digits).
                let title = caps
                    .name("n")
                    .is_some_and(|n| n.as_str().starts_with(|c: char| c.is_ascii_digit()))
                    && caps
                        .name("unit")
                        .is_some_and(|u| u.as_str().starts_with(char::is_uppercase));
                !age && !rate && !fraction && !ago && !title
            }

            // A year, not an amount ("$1995", "1,995", "1995-96", "2000%"), a decade
            // ("1990s") or part of a longer number.
            Rule::YearBare | Rule::Decade => {
                let before = s[..*start].trim_end_matches(' ');
                let amount_before = before.ends_with(['$', '£', '€', '#', '+', '-'])
                    || before
                        .strip_suffix([',', '.'])
                        .is_some_and(|b| b.ends_with(|c: char| c.is_ascii_digit()));
                let amount_after = rest.starts_with(['%', 's'])
                    || [",", ".", "-", "–", "/"].iter().any(|p| {
                        rest.strip_prefix(p)
                            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
                    });
                *rule == Rule::Decade || !(amount_before || amount_after)
            }
            // "the year": not "the year-earlier", "the year 1999", "the year's".
            Rule::CurrentYear => !(rest.starts_with(['-', '\'', '’']) || YEAR_NEXT.is_match(rest)),
            // "in the morning of May 5": that day's part, left to the day.
            Rule::PartOfDay if caps.name("pod3").is_some() => !rest.trim_start().starts_with("of "),
            // "the quarter-to-quarter comparison": a compound modifier, no quarter.
            Rule::QuarterRef => !rest.starts_with(['-', '–']),
            // "tanggal 1 dan 2 Januari", "tanggal 24/12": part of a range or a numeric date.
            Rule::DayOfMonth => !DAY_RANGE_NEXT.is_match(rest),
            // "pada bulan Juni 2024" is a month of a stated year, not a bare month;
            // "since February 24" is a day (the preposition made the month's match longer),
            // also after an abbreviation's full stop ("since Oct. 2", "in Oct. 1989").
            Rule::MonthBare => {
                let after_dot = match rest.strip_prefix('.') {
                    Some(r) if self.lang == "en" => r,
                    _ => rest,
                };
                !(YEAR_NEXT.is_match(after_dot)
                    || (self.lang == "en" && DAY_NEXT.is_match(after_dot)))
            }
            Rule::Weekday => {
                let sunday_or_week = caps
                    .name("wd")
                    .is_some_and(|m| self.lang == "id" && fold(m.as_str()) == "minggu");
                // "Minggu" is also "week"; "hari Minggu" and "Minggu malam" (a part
                // of day follows only a day) are Sunday. So is a capitalised "Minggu"
                // inside the sentence that ends its clause ("diserang pada Minggu.",
                // "pada Minggu, pasukan…"): the common noun "minggu" is written in
                // lower case and takes a determiner ("Minggu ini" stays ambiguous).
                let ends_clause = caps.name("mod").is_none()
                    && caps.name("prevweek").is_none()
                    && caps.name("wd").is_some_and(|m| m.start() > 0)
                    && rest.trim_start().chars().next().is_none_or(|c| {
                        matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '–' | '—')
                    });
                !sunday_or_week
                    || caps.name("hari").is_some()
                    || ends_clause
                    || self.pod_after.as_ref().is_some_and(|p| p.is_match(rest))
            }
            _ => true,
        }
    }

    /// The number of group `n`: digits, a number word, or number words added up
    /// ("twenty-four"); `None` for a vague one ("several").
    fn number(&self, caps: &Captures) -> Option<i64> {
        let n = caps.name("n")?.as_str();
        if let Ok(v) = n.parse() {
            return Some(v);
        }
        if let Some(v) = self.numbers.get(&fold(n)) {
            return Some(*v);
        }
        // "twenty-four" adds; "two hundred", "two thousand" multiply.
        let (mut total, mut current) = (0i64, 0i64);
        for w in n
            .split(|c: char| c == '-' || c.is_whitespace())
            .filter(|w| !w.is_empty())
        {
            let v = *self.numbers.get(&fold(w))?;
            match v {
                100 => current = current.max(1) * 100,
                1000.. => {
                    total += current.max(1) * v;
                    current = 0;
                }
                _ => current += v,
            }
        }
        Some(total + current)
    }

    /// The day of the month of group `d` (digits) or `dw` (an ordinal word).
    fn day_number(&self, caps: &Captures) -> Option<i64> {
        match caps.name("d") {
            Some(d) => d.as_str().parse().ok(),
            None => self.ordinals.get(&fold(caps.name("dw")?.as_str())).copied(),
        }
    }

    fn unit(&self, caps: &Captures) -> Option<Unit> {
        caps.name("unit")
            .or_else(|| caps.name("unit1"))
            .and_then(|m| self.units.get(&fold(m.as_str())).copied())
    }

    /// A bare year that modifies the noun after it, after a determiner or a possessive
    /// ("the 2003 invasion", "Russia's 2022 invasion"): that noun's time, which dating
    /// gives to that noun alone. A year alone ("1994") stays noted only.
    fn modifying_year(
        &self,
        s: &str,
        start: usize,
        end: usize,
        caps: &Captures,
    ) -> Option<(EventDate, bool, bool)> {
        let y: i16 = caps.name("y")?.as_str().parse().ok()?;
        let before = fold(s[..start].trim_end());
        let word = before
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .next()
            .unwrap_or("");
        let determiner = matches!(word, "the" | "its" | "their" | "his" | "her")
            || word.ends_with("'s")
            || word.ends_with("’s");
        let noun_after = s[end..]
            .strip_prefix(' ')
            .is_some_and(|r| r.starts_with(|c: char| c.is_lowercase()));
        (determiner && noun_after).then(|| EventDate::year(y).map(|d| (d, false, false)))?
    }

    /// Whether a "current year" match names the year as current ("the current year")
    /// rather than as the one in focus ("for the year").
    fn current_named(&self, s: &str, start: usize, end: usize) -> bool {
        let w = fold(&s[start..end]);
        w.contains("current") || w.contains("present")
    }

    /// Whether a folded direction word is "earlier" itself (`sebelumnya`, `ранее`):
    /// the end of its clause, counted from the reference time, not from an event
    /// named after it ("before the vote").
    fn earlier(&self, dir: &str) -> bool {
        matches!(
            dir,
            "earlier" | "sebelumnya" | "раньше" | "ранее" | "раніше"
        )
    }

    /// Which third of a month an "early", "mid-" or "late" before it names (0, 1, 2).
    fn third_of_month(&self, caps: &Captures) -> Option<i8> {
        let w = fold(caps.name("eml")?.as_str());
        let w = w.trim_end_matches('-');
        let first = w.split_whitespace().next().unwrap_or("");
        [("early", 0), ("mid", 1), ("late", 2)]
            .into_iter()
            .find(|(key, _)| {
                self.eml
                    .get(*key)
                    .is_some_and(|f| f.iter().any(|x| x == w || x == first))
            })
            .map(|(_, t)| t)
    }

    fn modifier(&self, caps: &Captures) -> Option<Mod> {
        caps.name("mod")
            .and_then(|m| self.mods.get(&fold(m.as_str())).copied())
    }

    fn resolve(
        &self,
        rule: Rule,
        caps: &Captures,
        ctx: &TimeContext,
    ) -> Option<(EventDate, bool, bool)> {
        let int = |g: &str| caps.name(g).and_then(|m| m.as_str().parse::<i64>().ok());
        let month = || {
            caps.name("mon")
                .and_then(|m| self.months.get(&fold(m.as_str())).copied())
        };
        let pubd = ctx.published;
        match rule {
            Rule::Iso
            | Rule::DotNumeric
            | Rule::SlashParen
            | Rule::DayMonthYear
            | Rule::MonthDayYear => {
                let m = match rule {
                    Rule::DayMonthYear | Rule::MonthDayYear => month()?,
                    _ => int("m")? as i8,
                };
                let d = self.day_number(caps)? as i8;
                match int("y") {
                    Some(y) => {
                        let y = if y < 100 { 2000 + y } else { y };
                        Some((
                            EventDate::day(Date::new(y as i16, m, d).ok()?),
                            false,
                            false,
                        ))
                    }
                    None => {
                        let p = pubd?;
                        let mut c = Date::new(p.year(), m, d).ok()?;
                        if self.nearest && !ctx.future && !ctx.past {
                            // The occurrence nearest to publication.
                            let dist = |c: Date| (c - p).get_days().unsigned_abs();
                            for y in [p.year() - 1, p.year() + 1] {
                                if let Ok(o) = Date::new(y, m, d)
                                    && dist(o) < dist(c)
                                {
                                    c = o;
                                }
                            }
                        } else if ctx.future {
                            if c < p.checked_sub(7.days()).ok()? {
                                c = Date::new(p.year() + 1, m, d).ok()?;
                            }
                        } else if c > p.checked_add(7.days()).ok()? {
                            c = Date::new(p.year() - 1, m, d).ok()?;
                        }
                        Some((EventDate::day(c), true, false))
                    }
                }
            }
            Rule::DayOfMonth => {
                // The most recent such day on or before publication.
                let p = pubd?;
                let d = int("d")? as i8;
                let this = Date::new(p.year(), p.month(), d).ok();
                let day = match this {
                    Some(c) if c <= p => c,
                    _ => {
                        let prev = p.first_of_month().checked_sub(1.days()).ok()?;
                        Date::new(prev.year(), prev.month(), d).ok()?
                    }
                };
                Some((EventDate::day(day), true, false))
            }
            Rule::MonthYear => Some((
                third(
                    EventDate::month(int("y")? as i16, month()?)?,
                    self.third_of_month(caps),
                )?,
                false,
                false,
            )),
            Rule::MonthBare => {
                let p = pubd?;
                let m = month()?;
                let y = match self.modifier(caps) {
                    Some(Mod::Last) if m < p.month() => p.year(),
                    Some(Mod::Last) => p.year() - 1,
                    Some(Mod::Next) if m > p.month() => p.year(),
                    Some(Mod::Next) => p.year() + 1,
                    Some(Mod::This) => p.year(),
                    // The nearest: at most six months away, the earlier on a tie.
                    _ if self.nearest && !ctx.future && !ctx.past => {
                        let ahead = (m - p.month()).rem_euclid(12);
                        if ahead == 0 {
                            p.year()
                        } else if ahead < 6 {
                            if m > p.month() {
                                p.year()
                            } else {
                                p.year() + 1
                            }
                        } else if m < p.month() {
                            p.year()
                        } else {
                            p.year() - 1
                        }
                    }
                    _ if ctx.future && m < p.month() => p.year() + 1,
                    _ if ctx.future || m <= p.month() => p.year(),
                    _ => p.year() - 1,
                };
                Some((
                    third(EventDate::month(y, m)?, self.third_of_month(caps))?,
                    true,
                    false,
                ))
            }
            Rule::Year => {
                let y = int("y")?;
                (1900..=2100)
                    .contains(&y)
                    .then(|| EventDate::year(y as i16))?
                    .map(|d| (d, false, false))
            }
            Rule::Weekday => {
                let p = pubd?;
                let wd = self
                    .weekdays
                    .get(&fold(caps.name("wd")?.as_str()))
                    .copied()?;
                let pwd = p.weekday().to_monday_one_offset();
                let back = i64::from((pwd - wd).rem_euclid(7));
                // "the previous Friday", "the following Monday": the one before or
                // after the narrative's last day (TimeML's reference time), else
                // publication's.
                if let Some(a) = caps.name("anch") {
                    let r = ctx.anchor.unwrap_or(p);
                    let rwd = r.weekday().to_monday_one_offset();
                    let d = if fold(a.as_str()) == "following" {
                        r.checked_add(((wd - rwd - 1).rem_euclid(7) + 1).days())
                    } else {
                        r.checked_sub(((rwd - wd - 1).rem_euclid(7) + 1).days())
                    };
                    return Some((EventDate::day(d.ok()?), true, true));
                }
                let forward = p
                    .checked_add(i64::from((wd - pwd).rem_euclid(7)).days())
                    .ok()?;
                // "this coming Sunday", "this past Sunday".
                let modifier = match caps.name("mod").map(|m| fold(m.as_str())) {
                    Some(w) if w.starts_with("this") && w.ends_with("coming") => Some(Mod::Next),
                    Some(w) if w.starts_with("this") && w.ends_with("past") => Some(Mod::Last),
                    _ => self.modifier(caps),
                };
                let d = match modifier {
                    // "until 9 a.m. Tuesday", "by Friday": a deadline with no future
                    // word is the nearest such day (the last one on a tie).
                    None if ctx.deadline && !ctx.future && self.nearest => {
                        if (forward - p).get_days() < back as i32 {
                            forward
                        } else {
                            p.checked_sub(back.days()).ok()?
                        }
                    }
                    // "Senin pekan lalu": that weekday in the week before publication's.
                    _ if caps.name("prevweek").is_some() => {
                        let monday = EventDate::week_of(p).start.checked_sub(7.days()).ok()?;
                        monday.checked_add(i64::from(wd - 1).days()).ok()?
                    }
                    Some(Mod::Next) => p
                        .checked_add(((wd - pwd - 1).rem_euclid(7) + 1).days())
                        .ok()?,
                    Some(Mod::Last) if back == 0 => p.checked_sub(7.days()).ok()?,
                    // "will meet on Friday": the next Friday (publication's day itself
                    // when it is one).
                    m if ctx.future && m != Some(Mod::Last) => forward,
                    _ => p.checked_sub(back.days()).ok()?,
                };
                Some((EventDate::day(d), true, true))
            }
            Rule::Relative => {
                let off = self
                    .relative
                    .get(&fold(caps.name("rel")?.as_str()))
                    .copied()?;
                Some((
                    EventDate::day(pubd?.checked_add(off.days()).ok()?),
                    true,
                    true,
                ))
            }
            Rule::OffsetPhrase => {
                let off = self
                    .offsets
                    .get(&fold(caps.name("off")?.as_str()))
                    .copied()?;
                Some((
                    EventDate::day(ctx.anchor?.checked_add(off.days()).ok()?),
                    true,
                    true,
                ))
            }
            Rule::Offset => {
                let n = if caps.name("unit1").is_some() || caps.name("the").is_some() {
                    1
                } else {
                    self.number(caps)?
                };
                let dir = caps
                    .name("dir")
                    .or_else(|| caps.name("dir2"))
                    .map(|m| fold(m.as_str()))?;
                let back = matches!(self.mods.get(&dir), Some(Mod::Before | Mod::Last))
                    || matches!(dir.as_str(), "preceding" | "prior");
                // Counted back from the narrative's last day; with none yet, from the
                // publication day, the reference time of news ("three weeks earlier",
                // "the month before"). "Two weeks before the vote" counts from the vote
                // and "later" from a time the text has named: those need the anchor.
                let named_month = ctx
                    .month
                    .filter(|_| self.unit(caps) == Some(Unit::Month) && !ctx.followed);
                let anchor = match named_month.or(ctx.anchor) {
                    Some(a) => a,
                    None if back && (caps.name("the").is_some() || self.earlier(&dir)) => pubd?,
                    None => return None,
                };
                let sign = if back { -1 } else { 1 };
                let d = shift(anchor, self.unit(caps)?, sign * n)?;
                Some((at_unit(d, self.unit(caps)?)?, true, true))
            }
            Rule::Ago => {
                let u = self.unit(caps)?;
                let d = shift(pubd?, u, -self.number(caps)?)?;
                Some((at_unit(d, u)?, true, true))
            }
            Rule::UnitMod => {
                let u = self.unit(caps)?;
                let n = match self.modifier(caps) {
                    Some(Mod::Last) => -1,
                    Some(Mod::Next) => 1,
                    _ => 0,
                };
                let d = shift(pubd?, u, n)?;
                Some((at_unit(d, u)?, true, true))
            }
            // Ahead of publication: a length, no date.
            Rule::Recent if caps.name("fwd").is_some() => None,
            Rule::Recent => {
                let p = pubd?;
                let u = self.unit(caps)?;
                let n = self.number(caps)?;
                let from = shift(p, u, -n)?;
                let v = match u {
                    Unit::Day | Unit::Week | Unit::Hour | Unit::Minute => EventDate {
                        start: from,
                        end: p,
                        precision: Precision::Day,
                    },
                    Unit::Month | Unit::Quarter => EventDate::months(
                        (from.year(), from.month()),
                        (p.year(), p.month()),
                        Precision::Month,
                    )?,
                    Unit::Year | Unit::Decade | Unit::Century => EventDate {
                        start: Date::new(from.year(), 1, 1).ok()?,
                        end: Date::new(p.year(), 12, 31).ok()?,
                        precision: Precision::Year,
                    },
                };
                Some((v, true, true))
            }
            Rule::Quarter if caps.name("half").is_some() => {
                let h = match fold(caps.name("half")?.as_str()).as_str() {
                    "first" => 1,
                    _ => 2,
                };
                let y = match (int("y"), caps.name("qy").map(|m| fold(m.as_str()))) {
                    (Some(y), _) => i16::try_from(y).ok()?,
                    (None, Some(w)) if w == "last" => pubd?.year() - 1,
                    (None, Some(w)) if w == "next" => pubd?.year() + 1,
                    // A half not yet begun is last year's, unless the sentence
                    // speaks of the future.
                    (None, None)
                        if !ctx.future && Date::new(pubd?.year(), 6 * h - 5, 1).ok()? > pubd? =>
                    {
                        pubd?.year() - 1
                    }
                    _ => pubd?.year(),
                };
                let v = EventDate::months((y, 6 * h - 5), (y, 6 * h), Precision::Quarter)?;
                Some((v, int("y").is_none(), int("y").is_none()))
            }
            Rule::Quarter => {
                let q = quarter_number(caps.name("q")?.as_str())?;
                if let Some(y) = int("y").or_else(|| int("y2")).or_else(|| int("y0")) {
                    return Some((quarter(y as i16, q)?, false, false));
                }
                let p = pubd?;
                let y = match caps.name("qy").map(|m| fold(m.as_str())) {
                    _ if caps.name("qyl").is_some() => p.year() - 1,
                    _ if caps.name("qyt").is_some() => p.year(),
                    _ if caps.name("qyn").is_some() => p.year() + 1,
                    Some(w) if w.starts_with("last") || w.starts_with("year") => p.year() - 1,
                    Some(w) if w.starts_with("next") => p.year() + 1,
                    Some(_) => p.year(),
                    // A quarter not yet begun is last year's, unless the sentence
                    // speaks of the future.
                    None if !ctx.future && Date::new(p.year(), 3 * q - 2, 1).ok()? > p => {
                        p.year() - 1
                    }
                    None => p.year(),
                };
                Some((quarter(y, q)?, true, true))
            }
            Rule::QuarterRef => {
                let p = pubd?;
                let current = (p.year(), (p.month() - 1) / 3 + 1);
                let m = caps
                    .name("qm")
                    .or_else(|| caps.name("qm2"))
                    .map(|m| fold(m.as_str()));
                let (y, q) = match m.as_deref() {
                    Some("current" | "this") => current,
                    Some("next") => add_quarters(current, 1),
                    Some("previous" | "prior" | "last") => add_quarters(current, -1),
                    // "the quarter", "the latest quarter": the one the text is about,
                    // else the last one reported (the one before publication's).
                    _ => ctx.quarter.unwrap_or_else(|| add_quarters(current, -1)),
                };
                // "the 1988 quarter": the quarter in focus, of that year.
                let y = int("qy").or_else(|| int("qy2")).map_or(y, |y| y as i16);
                Some((quarter(y, q)?, true, true))
            }
            Rule::YearEarlier => {
                let v = match ctx.quarter {
                    Some((y, q)) => quarter(y - 1, q)?,
                    None => EventDate::year(pubd?.year() - 1)?,
                };
                Some((v, true, true))
            }
            Rule::Weekend => {
                let p = pubd?;
                let saturday = EventDate::week_of(p).start.checked_add(5.days()).ok()?;
                let m = caps
                    .name("mod")
                    .or_else(|| caps.name("mod2"))
                    .map(|m| fold(m.as_str()));
                let sat = match m.as_deref() {
                    Some("next") => saturday.checked_add(7.days()).ok()?,
                    Some("last" | "past") => saturday.checked_sub(7.days()).ok()?,
                    Some(_) => saturday,
                    None if p >= saturday || ctx.future => saturday,
                    None => saturday.checked_sub(7.days()).ok()?,
                };
                Some((
                    EventDate {
                        start: sat,
                        end: sat.checked_add(1.days()).ok()?,
                        precision: Precision::Day,
                    },
                    true,
                    true,
                ))
            }
            Rule::PartOfDay => {
                let p = pubd?;
                let pmod = caps.name("pmod").or_else(|| caps.name("pmod2"));
                let off = match pmod.map(|m| fold(m.as_str())).as_deref() {
                    Some("last" | "yesterday") => -1,
                    Some("tomorrow") => 1,
                    _ => 0,
                };
                // "overnight": the night before the narrative's day (TimeML's
                // reference time) when that day is of the week before publication,
                // else the night before publication.
                if caps
                    .name("tonight")
                    .is_some_and(|m| fold(m.as_str()) == "overnight")
                {
                    // The night runs into that day: an event of it may be dated either.
                    let week = p.checked_sub(7.days()).ok()?;
                    let r = ctx.anchor.filter(|a| (week..=p).contains(a)).unwrap_or(p);
                    let night = EventDate {
                        start: r.checked_sub(1.days()).ok()?,
                        end: r,
                        precision: Precision::Day,
                    };
                    return Some((night, true, true));
                }
                if caps.name("pod3").is_some() {
                    return Some((EventDate::day(ctx.anchor.unwrap_or(p)), true, true));
                }
                Some((EventDate::day(p.checked_add(off.days()).ok()?), true, true))
            }
            Rule::ThatYear => {
                let y = ctx.year?;
                let dir = caps.name("dir").or_else(|| caps.name("dir2"));
                let y = match dir.map(|m| fold(m.as_str())).as_deref() {
                    Some("following" | "next" | "after") => y + 1,
                    Some(_) => y - 1,
                    None => y,
                };
                Some((EventDate::year(y)?, true, true))
            }
            // "since year-end", "year-end results were": the last year's end.
            Rule::YearEnd if caps.name("since").is_some() || ctx.past => {
                Some((EventDate::year(pubd?.year() - 1)?, true, true))
            }
            Rule::YearEnd | Rule::CurrentYear => Some((EventDate::year(pubd?.year())?, true, true)),
            Rule::MonthRelYear => {
                let p = pubd?;
                let y = p.year()
                    + match caps.name("yrel").map(|m| fold(m.as_str())).as_deref() {
                        Some("last") => -1,
                        Some("next") => 1,
                        _ => 0,
                    };
                let m = month()?;
                let v = match int("d") {
                    Some(d) => EventDate::day(Date::new(y, m, i8::try_from(d).ok()?).ok()?),
                    None => EventDate::month(y, m)?,
                };
                Some((v, true, true))
            }
            Rule::Holiday => {
                let p = pubd?;
                let name = fold(caps.name("hol")?.as_str());
                let on = |y: i16| holiday(&name, y);
                let candidates = [p.year() - 1, p.year(), p.year() + 1].map(on);
                let before = candidates.iter().flatten().rfind(|c| **c <= p);
                let after = candidates.iter().flatten().find(|c| **c > p);
                let d = match self.modifier(caps) {
                    Some(Mod::Last) => before,
                    Some(Mod::Next) => after,
                    Some(Mod::This) => candidates[1].as_ref(),
                    _ if ctx.future => after,
                    _ if ctx.past || !self.nearest => before,
                    _ => match (before, after) {
                        (Some(b), Some(a)) => Some(if (*a - p).get_days() < (p - *b).get_days() {
                            a
                        } else {
                            b
                        }),
                        (b, a) => b.or(a),
                    },
                }?;
                Some((EventDate::day(*d), true, true))
            }
            // Noted only: a year alone, a decade, a clock time, a duration, a set.
            Rule::YearBare | Rule::Decade | Rule::Clock | Rule::Duration | Rule::Set => None,
            Rule::Season => {
                let s = self
                    .seasons
                    .get(&fold(caps.name("season")?.as_str()))
                    .copied()?;
                if let Some(y) = int("y") {
                    return Some((season(s, y as i16)?, false, false));
                }
                let p = pubd?;
                // "летом прошлого года", "musim dingin tahun ini", "the winter of
                // last year": the season of that year.
                if let Some(ymod) = caps.name("ymod") {
                    let y = match self.mods.get(&fold(ymod.as_str()))? {
                        Mod::Last => p.year() - 1,
                        Mod::Next => p.year() + 1,
                        _ => p.year(),
                    };
                    return Some((season(s, y)?, true, true));
                }
                // The season's instances around publication, newest last.
                let candidates: Vec<EventDate> = (p.year() - 2..=p.year() + 1)
                    .filter_map(|y| season(s, y))
                    .collect();
                let m = match caps.name("mod").map(|m| fold(m.as_str())) {
                    Some(w) if w.starts_with("this") && w.ends_with("past") => Mod::Last,
                    Some(w) if w.starts_with("this") && w.ends_with("coming") => Mod::Next,
                    Some(_) => self.modifier(caps)?,
                    // "the summer": this year's.
                    None => Mod::This,
                };
                let v = match m {
                    Mod::Last => candidates.iter().rev().find(|c| c.end < p)?,
                    Mod::Next => candidates.iter().find(|c| c.start > p)?,
                    _ => candidates
                        .iter()
                        .find(|c| c.start <= p && p <= c.end)
                        .or_else(|| candidates.iter().find(|c| c.start.year() == p.year()))?,
                };
                Some((*v, true, true))
            }
        }
    }
}

impl LangRules {
    /// The TIMEX3 type and value of a kept match: the value of its resolved date
    /// ([`timex3_value`]), a duration's length ("the last 20 months": `P20M`) whether
    /// or not a publication date anchors it, and what the words alone say of a date
    /// that could not be resolved (`XXXX-08-06`, `XXXX-WXX-2`, `XXXX-SU`). `None`
    /// for words that are no date after all (an impossible day, a year out of range).
    fn timex3(
        &self,
        rule: Rule,
        caps: &Captures,
        resolved: Option<&TimeExpr>,
        part_of_day: Option<&str>,
        signalled: bool,
    ) -> Option<(TimexType, String)> {
        let wd = || self.weekdays.get(&fold(caps.name("wd")?.as_str())).copied();
        match rule {
            Rule::Recent => {
                return Some((
                    TimexType::Duration,
                    self.unit(caps)?.duration(self.number(caps)),
                ));
            }
            // "two weeks after the attack": TimeML marks the length, "after" is a
            // signal; "two weeks later" stays a date. Russian and Ukrainian say it
            // "через две недели после нападения": the same length, "после" the signal.
            Rule::Offset
                if caps.name("the").is_none()
                    && caps.name("dir").is_some_and(|d| {
                        let d = fold(d.as_str());
                        matches!(d.as_str(), "after" | "before")
                            || (signalled && matches!(d.as_str(), "через" | "спустя"))
                    }) =>
            {
                let n = if caps.name("unit1").is_some() {
                    Some(1)
                } else {
                    self.number(caps)
                };
                return Some((TimexType::Duration, self.unit(caps)?.duration(n)));
            }
            Rule::Duration => {
                // A vague number ("several") or none ("for years"): `PXY`; "the year
                // ended": one.
                let n = if caps.name("ended").is_some() {
                    Some(1)
                } else {
                    self.number(caps)
                };
                let u = self.unit(caps)?;
                let v = match n {
                    Some(n) if caps.name("half").is_some() || caps.name("half2").is_some() => {
                        u.and_a_half(n)
                    }
                    _ => u.duration(n),
                };
                return Some((TimexType::Duration, v));
            }
            Rule::Set => {
                let v = if let Some(a) = caps.name("adv") {
                    self.set_adverbs.get(&fold(a.as_str()))?.duration(Some(1))
                } else if let Some(w) = wd() {
                    format!("XXXX-WXX-{w}")
                } else {
                    self.unit(caps)?
                        .duration(Some(self.number(caps).unwrap_or(1)))
                };
                return Some((TimexType::Set, v));
            }
            Rule::Clock => {
                let (h, m) = if let Some(n) = caps.name("noon") {
                    (
                        if fold(n.as_str()) == "midnight" {
                            24
                        } else {
                            12
                        },
                        0,
                    )
                } else {
                    let mut h: i64 = caps.name("h")?.as_str().parse().ok()?;
                    let m: i64 = caps
                        .name("min")
                        .map_or(Some(0), |m| m.as_str().parse().ok())?;
                    // "4 in the morning", "10 at night".
                    let ampm = caps.name("ampm").map(|a| fold(a.as_str())).or_else(|| {
                        let p = fold(caps.name("podc")?.as_str());
                        Some(
                            match p.as_str() {
                                "morning" => "a",
                                "night" if !(6..12).contains(&h) => "a",
                                _ => "p",
                            }
                            .to_string(),
                        )
                    });
                    match ampm.as_deref() {
                        Some("p") if h < 12 => h += 12,
                        Some("a") if h == 12 => h = 0,
                        _ => {}
                    }
                    (h, m)
                };
                return Some((TimexType::Time, format!("XXXX-XX-XXT{h:02}:{m:02}")));
            }
            Rule::YearBare => {
                let y: i64 = if let Some(c) = caps.name("cent") {
                    let n = self.number(caps).filter(|n| (10..100).contains(n))?;
                    n + if fold(c.as_str()) == "nineteen" {
                        1900
                    } else {
                        1800
                    }
                } else if caps.name("two").is_some() {
                    2000
                } else {
                    caps.name("y")?.as_str().parse().ok()?
                };
                return Some((TimexType::Date, format!("{y:04}")));
            }
            // TIMEX3 writes a decade with its first three digits ("the 1990s":
            // `199`) and a century with its first two ("the 20th century": `19`);
            // a decade without "the" keeps an `X` for the unknown year (`199X`), as
            // TimeBank writes it.
            Rule::Decade => {
                if let Some(n) = caps.name("cn") {
                    let n: i64 = n.as_str().parse().ok()?;
                    return Some((TimexType::Date, format!("{:02}", n - 1)));
                }
                if let Some(w) = caps.name("decw") {
                    let d = match fold(w.as_str()).as_str() {
                        "twenties" => 2,
                        "thirties" => 3,
                        "forties" => 4,
                        "fifties" => 5,
                        "sixties" => 6,
                        "seventies" => 7,
                        "eighties" => 8,
                        _ => 9,
                    };
                    return Some((TimexType::Date, format!("19{d}")));
                }
                let c = caps.name("c").map_or("19", |c| c.as_str());
                let x = if caps.name("the").is_some() { "" } else { "X" };
                return Some((
                    TimexType::Date,
                    format!("{c}{}{x}", caps.name("dec")?.as_str()),
                ));
            }
            _ => {}
        }
        if let Some(t) = resolved {
            let day = t.value.start;
            if rule == Rule::Weekend {
                let w = day.iso_week_date();
                return Some((
                    TimexType::Date,
                    format!("{:04}-W{:02}-WE", w.year(), w.week()),
                ));
            }
            let pod = part_of_day.or_else(|| {
                if rule != Rule::PartOfDay {
                    return None;
                }
                match caps
                    .name("pod")
                    .or_else(|| caps.name("pod2"))
                    .or_else(|| caps.name("pod3"))
                {
                    Some(p) => self.parts_of_day.get(&fold(p.as_str())).map(String::as_str),
                    None => Some("NI"),
                }
            });
            if let Some(pod) = pod.filter(|_| t.value.precision == Precision::Day) {
                return Some((TimexType::Time, format!("{day}T{pod}")));
            }
            // "early March": TIMEX3 gives the month (with a `mod`), the event the third.
            if matches!(rule, Rule::MonthBare | Rule::MonthYear) && caps.name("eml").is_some() {
                return Some((
                    TimexType::Date,
                    format!("{:04}-{:02}", day.year(), day.month()),
                ));
            }
            return Some((TimexType::Date, timex3_value(&t.value)));
        }
        let int = |g: &str| caps.name(g).and_then(|m| m.as_str().parse::<i8>().ok());
        let month = || {
            caps.name("mon")
                .and_then(|m| self.months.get(&fold(m.as_str())).copied())
        };
        // A month and day that some year has (2000 is a leap year).
        let day_of = |m: i8, d: i8| {
            Date::new(2000, m, d)
                .ok()
                .map(|_| format!("XXXX-{m:02}-{d:02}"))
        };
        let by_unit = |u: Unit| match u {
            Unit::Day => "XXXX-XX-XX",
            Unit::Week => "XXXX-WXX",
            Unit::Month => "XXXX-XX",
            Unit::Year => "XXXX",
            Unit::Hour | Unit::Minute => "XXXX-XX-XXTXX:XX",
            Unit::Decade => "XXX",
            Unit::Century => "XX",
            Unit::Quarter => "XXXX-QX",
        };
        let value = match rule {
            Rule::Iso | Rule::DotNumeric | Rule::SlashParen => day_of(int("m")?, int("d")?)?,
            Rule::DayMonthYear | Rule::MonthDayYear => {
                day_of(month()?, i8::try_from(self.day_number(caps)?).ok()?)?
            }
            Rule::DayOfMonth => {
                let d = int("d")?;
                (1..=31).contains(&d).then(|| format!("XXXX-XX-{d:02}"))?
            }
            Rule::MonthBare => format!("XXXX-{:02}", month()?),
            Rule::Weekday => {
                let wd = self.weekdays.get(&fold(caps.name("wd")?.as_str()))?;
                format!("XXXX-WXX-{wd}")
            }
            Rule::Season => {
                let code = match self.seasons.get(&fold(caps.name("season")?.as_str()))? {
                    Season::Spring => "SP",
                    Season::Summer => "SU",
                    Season::Autumn => "FA",
                    Season::Winter => "WI",
                };
                format!("XXXX-{code}")
            }
            Rule::Relative | Rule::OffsetPhrase | Rule::PartOfDay => "XXXX-XX-XX".to_string(),
            Rule::Weekend => "XXXX-WXX-WE".to_string(),
            Rule::ThatYear | Rule::YearEnd | Rule::CurrentYear => "XXXX".to_string(),
            Rule::MonthRelYear => match int("d") {
                Some(d) => day_of(month()?, d)?,
                None => format!("XXXX-{:02}", month()?),
            },
            // A year the range of event dates leaves out ("in 1898").
            Rule::Year => {
                let y: i64 = caps.name("y")?.as_str().parse().ok()?;
                (1000..=2999).contains(&y).then(|| format!("{y:04}"))?
            }
            Rule::Holiday => "XXXX-XX-XX".to_string(),
            Rule::Quarter | Rule::QuarterRef | Rule::YearEarlier => "XXXX-QX".to_string(),
            Rule::Offset | Rule::Ago | Rule::UnitMod => by_unit(self.unit(caps)?).to_string(),
            // These resolve whenever their words are a date, or were noted above.
            Rule::MonthYear
            | Rule::Recent
            | Rule::YearBare
            | Rule::Decade
            | Rule::Clock
            | Rule::Duration
            | Rule::Set => return None,
        };
        Some((TimexType::Date, value))
    }
}

impl Unit {
    /// `n` and a half of this unit as TIMEX3 writes it, the half in the next smaller
    /// unit ("2 1/2 years": `P2Y6M`, "a minute and a half": `PT1M30S`); a decimal
    /// where there is no such unit (`P2.5W`).
    fn and_a_half(self, n: i64) -> String {
        match self {
            Unit::Year => format!("P{n}Y6M"),
            Unit::Day => format!("P{n}DT12H"),
            Unit::Hour => format!("PT{n}H30M"),
            Unit::Minute => format!("PT{n}M30S"),
            Unit::Decade => format!("P{}Y", n * 10 + 5),
            Unit::Century => format!("P{}Y", n * 100 + 50),
            Unit::Week => format!("P{n}.5W"),
            Unit::Month => format!("P{n}.5M"),
            Unit::Quarter => format!("P{n}.5Q"),
        }
    }

    /// `n` of this unit as a TIMEX3 duration (ISO 8601: `P3D`, `PT2H`; a decade is ten
    /// years); `X` for an unstated number ("several years": `PXY`).
    fn duration(self, n: Option<i64>) -> String {
        let num = |k: i64| n.map_or("X".to_string(), |n| (n.saturating_mul(k)).to_string());
        match self {
            Unit::Day => format!("P{}D", num(1)),
            Unit::Week => format!("P{}W", num(1)),
            Unit::Month => format!("P{}M", num(1)),
            Unit::Year => format!("P{}Y", num(1)),
            Unit::Decade => format!("P{}Y", num(10)),
            Unit::Century => format!("P{}Y", num(100)),
            Unit::Quarter => format!("P{}Q", num(1)),
            Unit::Hour => format!("PT{}H", num(1)),
            Unit::Minute => format!("PT{}M", num(1)),
        }
    }
}

/// An [`EventDate`] as a TIMEX3 value: `2014-12-28`, `2014-W52`, `2014-12`,
/// `2014-WI`, `2014-Q4`, `2014`; a period spanning several units has no single TIMEX3
/// value and prints as `start/end`.
pub fn timex3_value(d: &EventDate) -> String {
    let single = d.end_date_string().is_none();
    match d.precision {
        Precision::Week if single => {
            let w = d.start.iso_week_date();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
        Precision::Season => {
            let three = d.start.day() == 1
                && d.start.checked_add(3.months()).ok() == d.end.checked_add(1.days()).ok();
            let code = match d.start.month() {
                3 => "SP",
                6 => "SU",
                9 => "FA",
                12 => "WI",
                _ => "",
            };
            if three && !code.is_empty() {
                format!("{:04}-{code}", d.start.year())
            } else {
                d.to_string()
            }
        }
        Precision::Quarter
            if d.start.day() == 1
                && matches!(d.start.month(), 1 | 7)
                && d.start.checked_add(6.months()).ok() == d.end.checked_add(1.days()).ok() =>
        {
            format!("{:04}-H{}", d.start.year(), d.start.month() / 6 + 1)
        }
        Precision::Quarter => {
            let three = d.start.day() == 1
                && (d.start.month() - 1) % 3 == 0
                && d.start.checked_add(3.months()).ok() == d.end.checked_add(1.days()).ok();
            if three {
                format!("{:04}-Q{}", d.start.year(), (d.start.month() - 1) / 3 + 1)
            } else {
                d.to_string()
            }
        }
        _ => d.to_string(),
    }
}

/// The first, middle or last third of a month (days 1–10, 11–20, 21 to its end) that
/// "early", "mid-" and "late" name; a month without one stays whole.
fn third(month: EventDate, third: Option<i8>) -> Option<EventDate> {
    let Some(t) = third.filter(|_| month.precision == Precision::Month) else {
        return Some(month);
    };
    let start = month
        .start
        .checked_add(jiff::Span::new().days(10 * i64::from(t)))
        .ok()?;
    let end = if t == 2 {
        month.end
    } else {
        start.checked_add(9.days()).ok()?
    };
    Some(EventDate {
        start,
        end,
        precision: Precision::Day,
    })
}

fn shift(d: Date, u: Unit, n: i64) -> Option<Date> {
    match u {
        Unit::Day => d.checked_add(n.days()).ok(),
        Unit::Week => d.checked_add((7 * n).days()).ok(),
        Unit::Month => d.checked_add(n.months()).ok(),
        Unit::Year => d.checked_add(n.years()).ok(),
        Unit::Decade => d.checked_add(n.checked_mul(10)?.years()).ok(),
        Unit::Century => d.checked_add(n.checked_mul(100)?.years()).ok(),
        Unit::Quarter => d.checked_add(n.checked_mul(3)?.months()).ok(),
        // A date is a day: hours and minutes move it by whole days.
        Unit::Hour => d.checked_add((n / 24).days()).ok(),
        Unit::Minute => d.checked_add((n / 1440).days()).ok(),
    }
}

fn at_unit(d: Date, u: Unit) -> Option<EventDate> {
    match u {
        Unit::Day => Some(EventDate::day(d)),
        Unit::Week => Some(EventDate::week_of(d)),
        Unit::Month => EventDate::month(d.year(), d.month()),
        Unit::Year => EventDate::year(d.year()),
        Unit::Hour | Unit::Minute => Some(EventDate::day(d)),
        // "Two decades ago" names no year.
        Unit::Decade | Unit::Century => None,
        Unit::Quarter => quarter(d.year(), (d.month() - 1) / 3 + 1),
    }
}

/// The day of a holiday (folded name) in year `y`: fixed days, and the US ones
/// defined by weekday (Thanksgiving: the fourth Thursday of November; Election Day:
/// the Tuesday after the first Monday of November).
fn holiday(name: &str, y: i16) -> Option<Date> {
    let nth_weekday = |m: i8, wd: i8, n: i64| {
        let first = Date::new(y, m, 1).ok()?;
        let to = i64::from((wd - first.weekday().to_monday_one_offset()).rem_euclid(7));
        first.checked_add((to + 7 * (n - 1)).days()).ok()
    };
    let name: String = name.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.as_str() {
        "christmas eve" => Date::new(y, 12, 24).ok(),
        "christmas" | "christmas day" => Date::new(y, 12, 25).ok(),
        "new year's eve" => Date::new(y, 12, 31).ok(),
        "new year's" | "new year's day" => Date::new(y, 1, 1).ok(),
        "victory day" => Date::new(y, 5, 9).ok(),
        "thanksgiving" | "thanksgiving day" => nth_weekday(11, 4, 4),
        "election day" => nth_weekday(11, 1, 1)?.checked_add(1.days()).ok(),
        _ => None,
    }
}

/// Quarter `q` (1–4) of year `y`.
/// Which quarter an ordinal names: "third", "3rd", "ketiga", "третьем", "третьому",
/// a Roman ("III", Cyrillic "ІІІ") or Arabic numeral ("3-м").
fn quarter_number(word: &str) -> Option<i8> {
    let w = fold(word);
    let numeral: String = w
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, 'i' | 'v' | 'і'))
        .collect();
    Some(match (numeral.as_str(), w.as_str()) {
        ("1" | "i" | "і", _) | (_, "first" | "pertama") => 1,
        ("2" | "ii" | "іі", _) | (_, "second" | "kedua") => 2,
        ("3" | "iii" | "ііі", _) | (_, "third" | "ketiga") => 3,
        ("4" | "iv" | "іv", _) | (_, "fourth" | "keempat") => 4,
        ("", w) if w.starts_with("перв") || w.starts_with("перш") => 1,
        ("", w) if w.starts_with("втор") || w.starts_with("друг") => 2,
        ("", w) if w.starts_with("трет") => 3,
        ("", w) if w.starts_with("четв") => 4,
        _ => return None,
    })
}

fn quarter(y: i16, q: i8) -> Option<EventDate> {
    (1..=4)
        .contains(&q)
        .then(|| EventDate::months((y, 3 * q - 2), (y, 3 * q), Precision::Quarter))?
}

/// The quarter `n` quarters from `(y, q)`.
fn add_quarters((y, q): (i16, i8), n: i8) -> (i16, i8) {
    let i = i32::from(y) * 4 + i32::from(q - 1) + i32::from(n);
    ((i.div_euclid(4)) as i16, (i.rem_euclid(4) + 1) as i8)
}

/// Meteorological seasons; winter `y` runs from December `y` to February `y + 1`.
fn season(s: Season, y: i16) -> Option<EventDate> {
    let (a, b) = match s {
        Season::Spring => ((y, 3), (y, 5)),
        Season::Summer => ((y, 6), (y, 8)),
        Season::Autumn => ((y, 9), (y, 11)),
        Season::Winter => ((y, 12), (y + 1, 2)),
    };
    EventDate::months(a, b, Precision::Season)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// The references found through the gate and, where the words are ASCII, with ASCII
    /// word boundaries are those the plain regex finds on the whole sentence: on
    /// sentences in four languages with reference words (and their near misses: a
    /// reference word inside another word, after curly quotes and dashes, accents) at
    /// every cut.
    #[test]
    fn gated_references_are_the_plain_regex_s() {
        let t = TimeTagger::new(&Knowledge::embedded());
        let texts = [
            (
                "en",
                "“Now,” he said — currently the formerly known past; recently, in the future, and nowadays it is now — “soon” unknown snowing présent.",
            ),
            (
                "en",
                "The past few months, and the present day: now the past is the future, recently and at present.",
            ),
            (
                "id",
                "Saat ini, “sekarang” dan dulu — kini pada masa depan, belakangan ini, terlebih dahulu, masa lalu.",
            ),
            (
                "ru",
                "Сейчас — «теперь» и в прошлом, в настоящее время, в будущем, недавно, ранее, прежде.",
            ),
            (
                "uk",
                "Зараз — «тепер» і в минулому, нині, в майбутньому, нещодавно, раніше, наразі.",
            ),
        ];
        let (mut checked, mut found) = (0, 0);
        for (lang, text) in texts {
            let rules = t.rules(lang).expect("rules");
            let plain = rules.refs.as_ref().expect("reference words");
            for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
                for s in [&text[..i], &text[i..]] {
                    let fast = t.tag_refs(lang, s);
                    let slow = refs_by(rules, plain, s);
                    let key = |v: &[RefExpr]| {
                        v.iter()
                            .map(|r| (r.start, r.end, r.value.timex3()))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(key(&fast), key(&slow), "{lang}: {s:?}");
                    checked += 1;
                    found += fast.len();
                }
            }
        }
        assert!(
            checked > 500 && found > 500,
            "{checked} texts, {found} references"
        );
    }

    fn tag(lang: &str, s: &str, published: Option<Date>) -> Vec<(String, String, bool)> {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let mut ctx = TimeContext::new(published);
        t.tag(lang, s, &mut ctx)
            .into_iter()
            .map(|e| {
                (
                    s[e.start..e.end].to_string(),
                    e.value.to_string(),
                    e.inferred,
                )
            })
            .collect()
    }

    fn values(lang: &str, s: &str, p: Date) -> Vec<String> {
        tag(lang, s, Some(p)).into_iter().map(|x| x.1).collect()
    }

    /// Every TIMEX3 `tag_noted` notes in `s`: (text, type, value).
    fn noted(lang: &str, s: &str, p: Date) -> Vec<(String, TimexType, String)> {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let mut ctx = TimeContext::new(Some(p));
        let mut notes = Vec::new();
        t.tag_noted(lang, s, &mut ctx, Some(&mut notes));
        notes
            .into_iter()
            .map(|n| (s[n.start..n.end].to_string(), n.kind, n.value))
            .collect()
    }

    fn values_noted(lang: &str, s: &str, p: Date) -> Vec<String> {
        noted(lang, s, p).into_iter().map(|n| n.2).collect()
    }

    /// The TIMEX3 values of a document's sentences, read in order with one context.
    fn values_of_document(lang: &str, sentences: &[&str], p: Date) -> Vec<String> {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let mut ctx = TimeContext::new(Some(p));
        let mut notes = Vec::new();
        for s in sentences {
            t.tag_noted(lang, s, &mut ctx, Some(&mut notes));
        }
        notes.into_iter().map(|n| n.value).collect()
    }

    #[test]
    fn session_16_names_ending_in_ed_since_and_the_reported_quarter() {
        // Publication: Wednesday 15 March 2000.
        let p = date(2000, 3, 15);
        // A capitalised word ending in "ed" is a name, no past verb: "would" keeps
        // Friday ahead.
        assert_eq!(
            values_noted(
                "en",
                "She said the envoy would fly to the United Kingdom Friday.",
                p
            ),
            ["2000-03-17"]
        );
        assert_eq!(
            values_noted(
                "en",
                "The convoy will carry aid for the Red Cross Friday.",
                p
            ),
            ["2000-03-17"]
        );
        // "a hundred", "indeed" are no verbs either.
        assert_eq!(
            values_noted("en", "A hundred delegates will arrive Friday.", p),
            ["2000-03-17"]
        );
        // A lower-case "-ed" verb still puts it in the past.
        assert_eq!(
            values_noted("en", "The envoy arrived in the capital Friday.", p),
            ["2000-03-10"]
        );
        // "since": the day it opens is past, also before a noun it dates.
        assert_eq!(
            values_noted("en", "Police have been looking for him since Oct. 2.", p),
            ["1999-10-02"]
        );
        assert_eq!(
            values_noted(
                "en",
                "Police have been looking for him since shortly after the Oct. 2 raid.",
                p
            ),
            ["1999-10-02"]
        );
        // An abbreviated month after a preposition keeps its day or year.
        assert_eq!(
            values_noted(
                "en",
                "The plant was closed in Oct. 1998 and again on Feb. 3.",
                p
            ),
            ["1998-10", "2000-02-03"]
        );
        // Without "since", a date before a noun is the nearest one.
        assert_eq!(
            values_noted("en", "Police are preparing for the Apr. 2 march.", p),
            ["2000-04-02"]
        );
        // The quarter a report is about is the first one it names: a quarter named
        // later for comparison ("after a weak second quarter") does not move "a year
        // ago" or "the 1999 period" off it.
        assert_eq!(
            values_of_document(
                "en",
                &[
                    "The miller said fourth-quarter profit rose 8%.",
                    "After a weak third quarter, it credited lower grain costs.",
                    "In the 1999 period, sales were also higher than a year ago.",
                ],
                date(2000, 1, 20)
            ),
            ["1999-Q4", "1999-Q3", "1999-Q4", "1998-Q4"]
        );
    }

    #[test]
    fn seasons_of_a_relative_year_in_all_four_languages() {
        // Publication: 10 March 2024.
        let p = date(2024, 3, 10);
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "en",
                "The plant closed in the winter of last year.",
                &["2023-WI"],
            ),
            (
                "en",
                "Talks resume in the summer of next year.",
                &["2025-SU"],
            ),
            (
                "id",
                "Musim dingin tahun lalu tentara mundur.",
                &["2023-WI"],
            ),
            (
                "id",
                "Pada musim semi tahun depan pabrik dibuka.",
                &["2025-SP"],
            ),
            ("ru", "Летом прошлого года шли бои.", &["2023-SU"]),
            ("ru", "Этим летом город обстреляли.", &["2024-SU"]),
            ("ru", "Весной следующего года начнут.", &["2025-SP"]),
            ("uk", "Взимку минулого року був удар.", &["2023-WI"]),
            ("uk", "Цим літом місто обстріляли.", &["2024-SU"]),
            ("uk", "Навесні наступного року почнуть.", &["2025-SP"]),
        ];
        for (lang, s, want) in cases {
            assert_eq!(&values_noted(lang, s, p), want, "{lang}: {s}");
        }
        // Number words multiply as well as add: "two thousand years" is 2000 of them.
        let lengths: Vec<String> = noted("en", "Its walls stood for two thousand years.", p)
            .into_iter()
            .map(|n| n.2)
            .collect();
        assert_eq!(lengths, ["P2000Y"]);
        assert_eq!(
            values_noted("en", "It lasted three hundred days.", p),
            ["P300D"]
        );
        // Each dates an event as a season of that year, not only a note.
        assert_eq!(
            values("ru", "Летом прошлого года шли бои.", p),
            ["2023-06/2023-08"]
        );
    }

    #[test]
    fn quarters_in_indonesian_russian_and_ukrainian() {
        // Publication: 20 January 2024.
        let p = date(2024, 1, 20);
        let cases: &[(&str, &str, &[&str])] = &[
            ("id", "Ekspor naik pada kuartal III 2023.", &["2023-Q3"]),
            ("id", "Penjualan turun pada kuartal I/2023.", &["2023-Q1"]),
            ("id", "Harga ditahan hingga triwulan II-2023.", &["2023-Q2"]),
            (
                "id",
                "Laba triwulan pertama tahun lalu turun.",
                &["2023-Q1"],
            ),
            ("id", "Target kuartal kedua tahun ini naik.", &["2024-Q2"]),
            // A quarter not yet begun, with no future word: last year's.
            ("id", "Ekspor kuartal keempat turun.", &["2023-Q4"]),
            (
                "ru",
                "Экспорт вырос в третьем квартале 2023 года.",
                &["2023-Q3"],
            ),
            (
                "ru",
                "Во II квартале прошлого года цены упали.",
                &["2023-Q2"],
            ),
            (
                "ru",
                "В первом квартале этого года добыча выросла.",
                &["2024-Q1"],
            ),
            ("ru", "За 4-й квартал выручка упала.", &["2023-Q4"]),
            (
                "uk",
                "Експорт зріс у третьому кварталі 2023 року.",
                &["2023-Q3"],
            ),
            ("uk", "У І кварталі минулого року ціни впали.", &["2023-Q1"]),
            (
                "uk",
                "У другому кварталі наступного року завод відкриють.",
                &["2025-Q2"],
            ),
        ];
        for (lang, s, want) in cases {
            assert_eq!(&values_noted(lang, s, p), want, "{lang}: {s}");
        }
        // A quarter is no count of anything else: "чверть" and "seperempat" are
        // fractions, not named here.
        assert!(values_noted("id", "Seperempat warga mengungsi.", p).is_empty());
        assert!(values_noted("uk", "Чверть мешканців виїхала.", p).is_empty());
    }

    #[test]
    fn session_14_classes_halves_coordinated_days_titles_and_parts_of_day() {
        // Publication: Tuesday 14 November 1989.
        let p = date(1989, 11, 14);
        // Halves of a year: TIMEX3 `H1` / `H2`; noted only, no event's date.
        assert_eq!(
            noted("en", "Sales should recover in the second half of 1990.", p),
            [(
                "the second half of 1990".into(),
                TimexType::Date,
                "1990-H2".into()
            )]
        );
        assert_eq!(
            values_noted(
                "en",
                "It reported first-half profit and expects a rise in the first half of next year.",
                p
            ),
            ["1989-H1", "1990-H1"]
        );
        assert!(
            tag(
                "en",
                "Sales should recover in the second half of 1990.",
                Some(p)
            )
            .is_empty()
        );
        // A half alone may be a match's.
        assert!(noted("en", "He scored in the second half.", p).is_empty());
        // "May 3 and 4.": two days; "May 3 and 4 people": one day and a count.
        assert_eq!(
            noted("en", "The summit meets on May 3 and 4.", p),
            [
                ("May 3".into(), TimexType::Date, "1990-05-03".into()),
                ("4".into(), TimexType::Date, "1990-05-04".into()),
            ]
        );
        assert_eq!(
            values_noted("en", "On May 3 and 4 people were hurt.", p),
            ["1989-05-03"]
        );
        // A capitalised unit after digits is a title, not a length.
        assert!(noted("en", "He told CBS's 48 Hours about it.", p).is_empty());
        assert_eq!(values_noted("en", "It lasted 48 hours.", p), ["PT48H"]);
        // A part of the narrative's day after a preposition: a TIME, noted only.
        assert_eq!(
            noted("en", "Traders bought heavily in the morning.", p),
            [(
                "the morning".into(),
                TimexType::Time,
                "1989-11-14TMO".into()
            )]
        );
        assert_eq!(
            values_noted("en", "By mid-afternoon the market fell.", p),
            ["1989-11-14TAF"]
        );
        assert!(tag("en", "Traders bought heavily in the morning.", Some(p)).is_empty());
        assert!(noted("en", "They met in the morning of that day.", p).is_empty());
        // "the weeks ahead" as "the next few weeks"; "a week or so ago".
        assert_eq!(
            values_noted("en", "Prices may fall in the weeks ahead.", p),
            ["PXW"]
        );
        assert_eq!(
            values_noted("en", "He resigned a week or so ago.", p),
            ["1989-W45"]
        );
    }

    #[test]
    fn session_14_tense_future_of_a_past_time_possessive_days_and_infinitives() {
        // Publication: Tuesday 14 November 1989.
        let p = date(1989, 11, 14);
        // "had been due to expire Friday": the future of a past time, the nearest
        // Friday (10 November), not the next one (17 November).
        assert_eq!(
            values_noted("en", "The offer had been due to expire Friday.", p),
            ["1989-11-10"]
        );
        assert_eq!(
            values_noted("en", "The offer is due to expire Friday.", p),
            ["1989-11-17"]
        );
        // "Friday's vote": the nearest Friday, whatever the clause's tense.
        assert_eq!(
            values_noted("en", "They will try to overturn Friday's vote.", p),
            ["1989-11-10"]
        );
        assert_eq!(
            values_noted("en", "They will try to overturn Friday’s vote.", p),
            ["1989-11-10"]
        );
        // An infinitive after the past verb is later than it: the nearest one.
        assert_eq!(
            values_noted("en", "The court ordered him to testify on Jan. 9.", p),
            ["1990-01-09"]
        );
        // Without one, the past verb keeps its day in the past.
        assert_eq!(
            values_noted("en", "The court ruled on Jan. 9.", p),
            ["1989-01-09"]
        );
        // "to" before a noun is a preposition: the past verb still tenses the day.
        assert_eq!(
            values_noted("en", "He was sent to the front on Jan. 9.", p),
            ["1989-01-09"]
        );
    }

    #[test]
    fn durations_sets_and_clock_times_are_typed_as_timex3_has_them() {
        let p = date(1998, 2, 13);
        assert_eq!(
            noted(
                "en",
                "Talks lasted three days and 24 hours; prices hit a five-year low.",
                p
            ),
            [
                ("three days".into(), TimexType::Duration, "P3D".into()),
                ("24 hours".into(), TimexType::Duration, "PT24H".into()),
                ("five-year".into(), TimexType::Duration, "P5Y".into()),
            ]
        );
        assert_eq!(
            values_noted(
                "en",
                "for several years, for a decade, for twenty-four hours",
                p
            ),
            ["PXY", "P10Y", "PT24H"]
        );
        // "after" is a signal: the length is the expression.
        assert_eq!(
            noted("en", "He spoke one year after the attack.", p),
            [("one year".into(), TimexType::Duration, "P1Y".into())]
        );
        // Ages and rates are not durations.
        assert!(noted("en", "a 6-year-old boy; four flights a week", p).is_empty());
        assert_eq!(
            noted("en", "Patrols go out every Monday and report daily.", p),
            [
                ("every Monday".into(), TimexType::Set, "XXXX-WXX-1".into()),
                ("daily".into(), TimexType::Set, "P1D".into()),
            ]
        );
        assert_eq!(
            noted("en", "The blast came at 10:30 p.m. Friday.", p),
            [(
                "10:30 p.m. Friday".into(),
                TimexType::Time,
                "1998-02-13T22:30".into()
            )]
        );
        assert_eq!(
            noted("en", "Shelling resumed Friday night and this morning.", p),
            [
                (
                    "Friday night".into(),
                    TimexType::Time,
                    "1998-02-13TNI".into()
                ),
                (
                    "this morning".into(),
                    TimexType::Time,
                    "1998-02-13TMO".into()
                ),
            ]
        );
        assert_eq!(
            values_noted(
                "id",
                "Senin (9/2/1998) pagi, pukul 06.18 WIB, selama tiga hari",
                p
            ),
            ["1998-02-09TMO", "1998-02-09T06:18", "P3D"]
        );
    }

    #[test]
    fn quarters_years_decades_and_weekends() {
        let p = date(1989, 10, 26);
        assert_eq!(
            values_noted(
                "en",
                "Net rose in the third quarter from a year earlier; the quarter was weak.",
                p
            ),
            ["1989-Q3", "1988-Q3", "1989-Q3"]
        );
        assert_eq!(values_noted("en", "fourth-quarter sales", p), ["1989-Q4"]);
        assert_eq!(
            values_noted(
                "en",
                "He came in 1994, not in the 1960s; $1995 and 1995-96.",
                p
            ),
            ["1994", "196"]
        );
        assert_eq!(
            values_noted(
                "en",
                "Prices rose in the nineties, in 1970s Europe and in the 20th century.",
                p
            ),
            ["199", "197X", "19"]
        );
        assert_eq!(
            values_noted(
                "en",
                "It began in January this year, grew in early October last year, and this past spring.",
                p
            ),
            ["1989-01", "1988-10", "1989-SP"]
        );
        assert_eq!(
            values_noted(
                "en",
                "Sales for the current fiscal year rose over the summer, not in the fall; he left last May.",
                p
            ),
            ["1989", "1989-SU", "1989-05"]
        );
        assert_eq!(
            values_noted(
                "en",
                "Talks broke off at noon Thursday; he leaves at 4 in the morning, at 9 a.m. EST Tuesday, and mid-afternoon yesterday.",
                p
            ),
            [
                "1989-10-26T12:00",
                "1989-10-26T04:00",
                "1989-10-24T09:00",
                "1989-10-25TAF"
            ]
        );
        assert_eq!(values_noted("en", "It was founded in 1898.", p), ["1898"]);
        assert_eq!(
            noted(
                "en",
                "Net for the year ended Sept. 30 fell after losses in the past two quarters; a quarter of the staff left.",
                p
            ),
            [
                ("the year".into(), TimexType::Duration, "P1Y".into()),
                ("Sept. 30".into(), TimexType::Date, "1989-09-30".into()),
                (
                    "the past two quarters".into(),
                    TimexType::Duration,
                    "P2Q".into()
                ),
            ]
        );
        assert_eq!(
            values_noted(
                "en",
                "Interest is paid every quarter; a deal may come in the next few days.",
                p
            ),
            ["P1Q", "PXD"]
        );
        // Summer gets its value, but no event is dated by it.
        let t = TimeTagger::new(&Knowledge::embedded());
        assert!(
            t.tag(
                "en",
                "Fighting grew over the summer.",
                &mut TimeContext::new(Some(p))
            )
            .is_empty()
        );
        assert_eq!(
            values_noted("en", "In nineteen ninety-six it ended.", p),
            ["1996"]
        );
        assert_eq!(
            values_noted("en", "Protests over the weekend and next weekend.", p),
            ["1989-W42-WE", "1989-W44-WE"]
        );
    }

    #[test]
    fn the_words_before_a_date_without_a_year_give_its_tense() {
        let p = date(1989, 11, 2);
        // After a determiner the date modifies a noun: the clause's tense is not its.
        assert_eq!(
            values("en", "Officials said the Nov. 20 deadline stands", p),
            ["1989-11-20"]
        );
        // Said: the last Friday; will: the next one.
        assert_eq!(values("en", "Officials said Friday", p), ["1989-10-27"]);
        assert_eq!(
            values("en", "The king will meet Bush on Friday", p),
            ["1989-11-03"]
        );
        // No tense: the nearest occurrence ("payable Jan. 2" is next year's).
        assert_eq!(
            values("en", "The dividend is payable Jan. 2", p),
            ["1990-01-02"]
        );
        assert_eq!(
            values("en", "The company was sold in September", p),
            ["1989-09"]
        );
        assert_eq!(
            values("en", "a closing expected in December", p),
            ["1989-12"]
        );
    }

    #[test]
    fn a_russian_date_in_a_sentence_taken_for_ukrainian_keeps_its_date() {
        let p = date(2024, 3, 7);
        assert_eq!(values("uk", "Удар по Харькову 5 марта.", p), ["2024-03-05"]);
        assert_eq!(
            values("ru", "Удар по Харкову 5 березня.", p),
            ["2024-03-05"]
        );
        assert_eq!(
            values("uk", "Удар по Харкову 5 березня.", p),
            ["2024-03-05"]
        );
    }

    /// (start, end) of each date `tag` finds, as ISO days.
    fn spans(lang: &str, s: &str, p: Date) -> Vec<(String, String)> {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let mut ctx = TimeContext::new(Some(p));
        t.tag(lang, s, &mut ctx)
            .into_iter()
            .map(|e| (e.value.start.to_string(), e.value.end.to_string()))
            .collect()
    }

    #[test]
    fn offsets_back_without_a_named_day_count_from_publication() {
        let p = date(2022, 4, 14);
        // No day named before: the reference time is the publication day (TimeML).
        for (s, want) in [
            ("The party was banned three weeks earlier.", "2022-W12"),
            ("Its offices were raided a month earlier.", "2022-03"),
            ("The month before, the party was banned.", "2022-03"),
            ("The previous week, troops withdrew.", "2022-W14"),
            ("Partai itu dilarang tiga minggu sebelumnya.", "2022-W12"),
        ] {
            let lang = if s.starts_with("Partai") { "id" } else { "en" };
            assert_eq!(values_noted(lang, s, p), [want], "{s}");
            assert_eq!(spans(lang, s, p).len(), 1, "{s}: an event's date too");
        }
        // Forward offsets and "before <an event>" count from a time the text names.
        for s in [
            "Two days later the town fell.",
            "The month after, the town fell.",
            "Troops massed two weeks before the vote.",
        ] {
            assert!(spans("en", s, p).is_empty(), "{s}");
        }
        // With a day named, from that day.
        assert_eq!(
            values(
                "en",
                "The town fell on March 1, 2022; the month before, it was shelled.",
                p
            ),
            ["2022-03-01", "2022-02"]
        );
    }

    #[test]
    fn early_mid_and_late_months_are_thirds_of_the_month() {
        let p = date(2022, 9, 16);
        for (lang, s, want) in [
            (
                "en",
                "The counteroffensive began at the end of August.",
                ("2022-08-21", "2022-08-31"),
            ),
            (
                "en",
                "He warned in late January 2022.",
                ("2022-01-21", "2022-01-31"),
            ),
            (
                "en",
                "Talks resumed in mid-July.",
                ("2022-07-11", "2022-07-20"),
            ),
            (
                "en",
                "Talks resumed in early July.",
                ("2022-07-01", "2022-07-10"),
            ),
            (
                "id",
                "Serangan balik dimulai akhir Agustus.",
                ("2022-08-21", "2022-08-31"),
            ),
            (
                "ru",
                "Контрнаступление началось в конце августа.",
                ("2022-08-21", "2022-08-31"),
            ),
            (
                "uk",
                "Контрнаступ почався наприкінці серпня.",
                ("2022-08-21", "2022-08-31"),
            ),
            (
                "uk",
                "Контрнаступ почався на початку серпня.",
                ("2022-08-01", "2022-08-10"),
            ),
        ] {
            let want = vec![(want.0.to_string(), want.1.to_string())];
            assert_eq!(spans(lang, s, p), want, "{s}");
        }
        // TIMEX3 keeps the month as its value (the third is its `mod`).
        assert_eq!(
            values_noted("en", "The counteroffensive began at the end of August.", p),
            ["2022-08"]
        );
        // A month without one stays whole.
        assert_eq!(
            spans("en", "The counteroffensive began in August.", p),
            [("2022-08-01".to_string(), "2022-08-31".to_string())]
        );
    }

    #[test]
    fn a_month_and_its_day_after_a_preposition_are_a_day() {
        let p = date(2022, 7, 11);
        for (s, want) in [
            ("Since February 24, Russia has waged war.", "2022-02-24"),
            ("The curfew lasted until March 3.", "2022-03-03"),
            ("By May 9, 2022 the town had fallen.", "2022-05-09"),
        ] {
            assert_eq!(values("en", s, p), [want], "{s}");
        }
        // A month alone after one is still a month.
        assert_eq!(
            values("en", "Since February, Russia has waged war.", p),
            ["2022-02"]
        );
    }

    #[test]
    fn verbs_of_expectation_and_be_to_put_a_date_ahead() {
        // Published Monday 1989-10-30: "said" before is past, but what one expects or
        // is to do lies ahead.
        let p = date(1989, 10, 30);
        for (s, want) in [
            (
                "The company said it expects to release results in mid-November.",
                "1989-11",
            ),
            (
                "The stock was halted and is to resume trading Tuesday.",
                "1989-10-31",
            ),
            ("He said the vote is due Friday.", "1989-11-03"),
        ] {
            assert_eq!(values_noted("en", s, p), [want], "{s}");
        }
        // Past without such a verb stays past.
        assert_eq!(
            values_noted(
                "en",
                "The company said it released results in mid-November.",
                p
            ),
            ["1988-11"]
        );
    }

    #[test]
    fn a_year_after_a_determiner_or_possessive_before_a_noun_is_that_nouns_time() {
        let p = date(2024, 5, 7);
        for (s, want) in [
            ("Following the 2022 invasion, sanctions followed.", "2022"),
            (
                "Russia's 2014 invasion of Ukraine was sparked by it.",
                "2014",
            ),
            ("Soviet forces withdrew after their 1979 invasion.", "1979"),
        ] {
            assert_eq!(values("en", s, p), [want], "{s}");
        }
        // A year alone, or one that modifies nothing, is noted only.
        for s in [
            "It was 1994.",
            "The index closed at 1994 points.",
            "Its 1994 Sales rose.",
        ] {
            assert!(values("en", s, p).is_empty(), "{s}");
            assert!(!values_noted("en", s, p).is_empty(), "{s}");
        }
    }

    #[test]
    fn indonesian_minggu_is_sunday_beside_a_part_of_day_or_ending_its_clause() {
        let p = date(2024, 5, 13);
        assert_eq!(
            values("id", "Dua drone ditembak jatuh pada Minggu malam.", p),
            ["2024-05-12"]
        );
        assert_eq!(
            values_noted("id", "Dua drone ditembak jatuh pada Minggu malam.", p),
            ["2024-05-12TNI"]
        );
        // Without one, "Minggu" is as likely the week: no Sunday.
        assert!(
            !values("id", "Harga naik pada Minggu ini.", p).contains(&"2024-05-12".to_string())
        );
        // A capitalised "Minggu" that ends its clause is the day.
        assert_eq!(
            values("id", "Kota itu diserang pada Minggu.", p),
            ["2024-05-12"]
        );
        assert_eq!(
            values("id", "Pada Minggu, dua drone ditembak jatuh.", p),
            ["2024-05-12"]
        );
        // The week, in lower case or with its determiner, is no day.
        assert!(
            values("id", "Harga naik minggu lalu.", p)
                .iter()
                .all(|v| v != "2024-05-12")
        );
    }

    #[test]
    fn the_year_of_a_report_is_noted_but_dates_nothing() {
        let p = date(1989, 11, 1);
        for s in [
            "Sales for the full year rose 13%.",
            "Profit for the year fell.",
            "Use was delayed earlier in the year by rain.",
        ] {
            let n = noted("en", s, p);
            assert_eq!(n.len(), 1, "{s}: {n:?}");
            assert_eq!((n[0].1, n[0].2.as_str()), (TimexType::Date, "1989"), "{s}");
            assert!(spans("en", s, p).is_empty(), "{s}");
        }
        // Not the year of "the year-earlier quarter" nor "the year ended".
        assert_ne!(
            values_noted("en", "Net rose from the year-earlier quarter.", p),
            ["1989"]
        );
        assert_eq!(
            noted("en", "Net rose in the year ended Sept. 30.", p)[0].1,
            TimexType::Duration
        );
    }

    #[test]
    fn deadlines_fronted_times_and_anchored_weekdays_take_the_tense_timeml_gives() {
        // A deadline with no future word: the nearest such day; "as early as" speaks
        // of the future; "from … to Thursday" is a stretch, read by its past verb.
        let monday = date(2000, 4, 3);
        assert_eq!(
            values_noted(
                "en",
                "The INS gave them until 9 a.m. EST Tuesday to sign",
                monday
            ),
            ["2000-04-04T09:00"]
        );
        assert_eq!(
            values("en", "The father could come as early as Tuesday", monday),
            ["2000-04-04"]
        );
        assert_eq!(
            values(
                "en",
                "It bought shares from Sept. 14 to Thursday",
                date(1989, 11, 1)
            ),
            ["1989-09-14", "1989-10-26"]
        );
        // A past verb does not make a deadline past; a future word makes it future.
        assert_eq!(
            values(
                "en",
                "The airline plans to resume flights by August",
                date(1998, 2, 13)
            ),
            ["1998-08"]
        );
        // A fronted time takes the tense of the verb of its clause, even far after it;
        // one at a clause's end does not take a verb of the next clause.
        assert_eq!(
            values(
                "en",
                "In January, a week after the anniversary of the court's decision, a bomb at a clinic killed a guard",
                date(1998, 10, 25)
            ),
            ["1998-01"]
        );
        assert_eq!(
            values(
                "en",
                "The case goes to a hearing in March, and the father, a quiet man who works as a mechanic, remained at home",
                date(2000, 2, 24)
            ),
            ["2000-03"]
        );
        // "the previous Friday": the one before the narrative's day, not publication's.
        assert_eq!(
            values(
                "en",
                "Shares closed lower Friday, down 4.5% from the previous Friday",
                date(1989, 10, 30)
            ),
            ["1989-10-27", "1989-10-20"]
        );
        // "overnight": the night before the narrative's (recent) day, else before
        // publication's.
        assert_eq!(
            values_noted(
                "en",
                "Shares fell Friday after overnight losses",
                date(1989, 10, 30)
            ),
            ["1989-10-27", "1989-10-26TNI"]
        );
        assert_eq!(
            values_noted(
                "en",
                "Missiles struck the city overnight",
                date(1989, 10, 30)
            ),
            ["1989-10-29TNI"]
        );
        // An event of the night may be dated by either day it runs over.
        let night = EventDate {
            start: date(1989, 10, 29),
            end: date(1989, 10, 30),
            precision: Precision::Day,
        };
        assert_eq!(
            values(
                "en",
                "Missiles struck the city overnight",
                date(1989, 10, 30)
            ),
            [night.to_string()]
        );
        // "as early as" is a bound, no future word: "began as early as February 27"
        // is the last one.
        assert_eq!(
            values(
                "en",
                "The aggression began as early as February 27",
                date(2023, 3, 1)
            ),
            ["2023-02-27"]
        );
        // "since year-end": the last one; "by year-end": this year's.
        let p = date(1989, 10, 30);
        assert_eq!(
            values_noted("en", "The index is up since year-end", p),
            ["1988"]
        );
        assert_eq!(
            values_noted("en", "The deal should close by year-end", p),
            ["1989"]
        );
    }

    #[test]
    fn spoken_days_this_coming_weekdays_and_halves() {
        let p = date(1998, 3, 5);
        // Spoken dates: an ordinal word for the day.
        assert_eq!(values("en", "It is on March eighth", p), ["1998-03-08"]);
        assert_eq!(
            values("en", "It ended on the twenty-first of February, 1998", p),
            ["1998-02-21"]
        );
        // No tense: the nearest one.
        assert_eq!(values("en", "on the 4th of July", p), ["1998-07-04"]);
        // A range of days in a month is dated by its first day, in its stated year.
        assert_eq!(
            values("en", "On August 6-8, 2016, a group raided the base", p),
            ["2016-08-06"]
        );
        // "second-quarter" after a month is no day.
        assert!(
            !values("en", "Sales in August second-quarter rose", p)
                .contains(&"1997-08-02".to_string())
        );
        // "this coming Sunday" is the next one, "this past Sunday" the last.
        assert_eq!(
            values("en", "The rally is this coming Sunday", p),
            ["1998-03-08"]
        );
        assert_eq!(
            values("en", "The rally was this past Sunday", p),
            ["1998-03-01"]
        );
        // Halves in the next smaller unit.
        for (s, v) in [
            ("They lived there for 2 1/2 years", "P2Y6M"),
            ("They waited for two and a half years", "P2Y6M"),
            ("A minute and a half later it fell", "PT1M30S"),
            ("The talks lasted 5 1/2 hours", "PT5H30M"),
        ] {
            assert_eq!(values_noted("en", s, p), [v], "{s}");
        }
    }

    #[test]
    fn lengths_added_to_another_and_vague_quarters_are_durations() {
        let p = date(1989, 10, 30);
        assert_eq!(
            noted("en", "They stay for two more weeks", p),
            [(
                "two more weeks".to_string(),
                TimexType::Duration,
                "P2W".to_string()
            )]
        );
        assert_eq!(
            values_noted("en", "It may be extended for an additional year", p),
            ["P1Y"]
        );
        assert_eq!(
            values_noted(
                "en",
                "It turned a profit after several quarters of losses",
                p
            ),
            ["PXQ"]
        );
        // "a couple of" is two; "as long as a month" is no rate, "four flights a
        // week" is.
        assert_eq!(
            values_noted("en", "It won't change for a couple of years", p),
            ["P2Y"]
        );
        assert_eq!(
            values_noted("en", "over the next couple of years", p),
            ["P2Y"]
        );
        assert_eq!(
            values_noted("en", "An appeal could take as long as a month", p),
            ["P1M"]
        );
        assert!(values_noted("en", "It runs four flights a week", p).is_empty());
        // Fractions stay none; "quarter-to-quarter" names no quarter.
        assert!(values_noted("en", "It won a quarter of the vote", p).is_empty());
        assert!(values_noted("en", "The quarter-to-quarter comparison improved", p).is_empty());
    }

    #[test]
    fn an_offset_anchored_to_an_event_is_its_length_in_russian_and_ukrainian_too() {
        let p = date(2022, 8, 17);
        for (lang, s, want) in [
            ("ru", "Это случилось через два года после вторжения.", "P2Y"),
            ("uk", "Це сталося через два роки після вторгнення.", "P2Y"),
            ("ru", "Спустя две недели после удара войска отошли.", "P2W"),
        ] {
            let got = noted(lang, s, p);
            assert!(
                got.iter()
                    .any(|(_, k, v)| *k == TimexType::Duration && v == want),
                "{s}: {got:?}"
            );
        }
        // Without the signal it is a date, as TimeML has "two weeks later".
        let got = noted("ru", "Через две недели войска отошли.", p);
        assert!(
            got.iter().all(|(_, k, _)| *k != TimexType::Duration),
            "{got:?}"
        );
    }

    #[test]
    fn russian_and_ukrainian_months_in_every_case() {
        let p = date(2022, 11, 14);
        for (lang, s, v) in [
            ("ru", "10 мая 2022 года", "2022-05-10"),
            ("ru", "в мае 2022 года", "2022-05"),
            ("ru", "к маю 2022 года", "2022-05"),
            ("ru", "перед маем 2022 года", "2022-05"),
            ("ru", "с сентябрём 2022 года", "2022-09"),
            ("uk", "6 червня 2022 року", "2022-06-06"),
            ("uk", "у червні 2022 року", "2022-06"),
            ("uk", "перед червнем 2022 року", "2022-06"),
            ("uk", "до листопаду 2022 року", "2022-11"),
        ] {
            assert_eq!(values(lang, s, p), [v], "{lang} {s}");
        }
    }

    /// A month alone after a preposition of each case: "после мая", "к маю", "на
    /// май", "перед маем", "в мае"; "після травня", "по травень", "на травень",
    /// "перед травнем", "у травні".
    #[test]
    fn russian_and_ukrainian_months_alone_after_each_cases_preposition() {
        let p = date(2022, 11, 14);
        for (lang, s) in [
            ("ru", "Переговоры отложили до мая"),
            ("ru", "После мая цены выросли"),
            ("ru", "К маю войска отошли"),
            ("ru", "Выборы перенесли на май"),
            ("ru", "Отчёт за май опубликован"),
            ("ru", "Это было перед маем"),
            ("ru", "Это было в мае"),
            ("uk", "Після травня ціни зросли"),
            ("uk", "До травня війська відійшли"),
            ("uk", "Вибори перенесли на травень"),
            ("uk", "Звіт за травень оприлюднено"),
            ("uk", "Це було перед травнем"),
            ("uk", "Це було у травні"),
        ] {
            assert_eq!(values(lang, s, p), ["2022-05"], "{lang} {s}");
        }
    }

    /// Every month in all six cases (nominative, genitive, dative, accusative,
    /// instrumental, prepositional/locative; Ukrainian's second dative in -ові/-еві
    /// too), as the grammars decline them, each before a year.
    #[test]
    fn russian_and_ukrainian_months_in_all_six_cases() {
        let p = date(2022, 11, 14);
        let ru: [&[&str]; 12] = [
            &["январь", "января", "январю", "январём", "январем", "январе"],
            &["февраль", "февраля", "февралю", "февралём", "феврале"],
            &["март", "марта", "марту", "мартом", "марте"],
            &["апрель", "апреля", "апрелю", "апрелем", "апреле"],
            &["май", "мая", "маю", "маем", "мае"],
            &["июнь", "июня", "июню", "июнем", "июне"],
            &["июль", "июля", "июлю", "июлем", "июле"],
            &["август", "августа", "августу", "августом", "августе"],
            &["сентябрь", "сентября", "сентябрю", "сентябрём", "сентябре"],
            &["октябрь", "октября", "октябрю", "октябрём", "октябре"],
            &["ноябрь", "ноября", "ноябрю", "ноябрём", "ноябре"],
            &["декабрь", "декабря", "декабрю", "декабрём", "декабре"],
        ];
        let uk: [&[&str]; 12] = [
            &["січень", "січня", "січню", "січневі", "січнем", "січні"],
            &["лютий", "лютого", "лютому", "лютим", "лютім"],
            &[
                "березень",
                "березня",
                "березню",
                "березневі",
                "березнем",
                "березні",
            ],
            &[
                "квітень",
                "квітня",
                "квітню",
                "квітневі",
                "квітнем",
                "квітні",
            ],
            &[
                "травень",
                "травня",
                "травню",
                "травневі",
                "травнем",
                "травні",
            ],
            &[
                "червень",
                "червня",
                "червню",
                "червневі",
                "червнем",
                "червні",
            ],
            &["липень", "липня", "липню", "липневі", "липнем", "липні"],
            &[
                "серпень",
                "серпня",
                "серпню",
                "серпневі",
                "серпнем",
                "серпні",
            ],
            &[
                "вересень",
                "вересня",
                "вересню",
                "вересневі",
                "вереснем",
                "вересні",
            ],
            &[
                "жовтень",
                "жовтня",
                "жовтню",
                "жовтневі",
                "жовтнем",
                "жовтні",
            ],
            &[
                "листопад",
                "листопада",
                "листопаду",
                "листопадові",
                "листопадом",
                "листопаді",
            ],
            &[
                "грудень",
                "грудня",
                "грудню",
                "грудневі",
                "груднем",
                "грудні",
            ],
        ];
        for (lang, table, year) in [("ru", ru, "2022 года"), ("uk", uk, "2022 року")] {
            for (m, forms) in table.iter().enumerate() {
                let want = format!("2022-{:02}", m + 1);
                for form in *forms {
                    let s = format!("{form} {year}");
                    assert_eq!(values(lang, &s, p), [want.as_str()], "{lang} {s}");
                    // Capitalised, as at a sentence's start.
                    let mut c = form.chars();
                    let cap: String = c
                        .next()
                        .into_iter()
                        .flat_map(char::to_uppercase)
                        .chain(c)
                        .collect();
                    let s = format!("{cap} {year}");
                    assert_eq!(values(lang, &s, p), [want.as_str()], "{lang} {s}");
                }
                // The genitive after a day number is that day (the last one before
                // publication, as it has no year).
                let s = format!("5 {}", forms[1]);
                assert_eq!(
                    values(lang, &s, date(2022, 12, 31)),
                    [format!("2022-{:02}-05", m + 1).as_str()],
                    "{lang} {s}"
                );
            }
        }
    }

    #[test]
    fn ascii_word_boundaries_match_as_unicode_ones_where_no_word_character_is_outside_ascii() {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let samples = [
            "Senin (28/4/2025) pagi – dua hari sebelumnya, pada 6 Agustus 2024 dan musim gugur lalu.",
            "On Friday\u{A0}Nov. 11, 2022 — a day after the strike; “last autumn”; between March and May 2023.",
            "It’s been 3 days since Monday’s attack, the past week’s «talks» and next month…",
            "«Kemarin» — 10 hari lalu, pekan depan, tahun lalu; 2024-08-06 • 12 Juni 2023 ‘pagi’.",
            "Über Nacht: 10 мая 2024 года, в прошлую пятницу, два дня назад, Jumat lalu.",
            "café 3 days ago, ½ a year ago, 5 days after ² Monday.",
        ];
        for (lang, rules) in ["id", "en", "ru", "uk"].map(|l| (l, t.rules(l).expect(l))) {
            for ((rule, re), ascii) in rules.rules.iter().zip(&rules.ascii_boundaries) {
                if re.as_str().contains(r"\b") {
                    assert!(ascii.is_some(), "{lang} {rule:?} has no ASCII form");
                }
                let Some(ascii) = ascii else { continue };
                for s in samples {
                    if has_non_ascii_word_char(s) {
                        continue;
                    }
                    let spans = |r: &Regex| -> Vec<Vec<Option<(usize, usize)>>> {
                        r.captures_iter(s)
                            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                            .collect()
                    };
                    assert_eq!(spans(re), spans(ascii), "{lang} {rule:?} {s:?}");
                }
            }
        }
        assert!(has_non_ascii_word_char("café"));
        assert!(has_non_ascii_word_char("в"));
        assert!(!has_non_ascii_word_char("it’s “x” — ½ ² \u{A0}"));
    }

    #[test]
    fn every_rule_with_a_word_boundary_has_a_gate_that_admits_its_matches() {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let samples = [
            "Senin (28/4/2025) pagi, dua hari sebelumnya, pada 6 Agustus 2024 dan musim gugur lalu.",
            "On Friday, Nov. 11, 2022, a day after the strike; last autumn; between March and May 2023.",
            "10 мая 2024 года, в прошлую пятницу, два дня назад, прошлой осенью, в начале сентября.",
            "6 червня 2023 року, у п’ятницю, три дні тому, минулої осені, на початку вересня.",
            "Über Nacht – «в субботу» – “yesterday” — kemarin, вчера, учора; 2024-08-06.",
        ];
        for (lang, rules) in ["id", "en", "ru", "uk"].map(|l| (l, t.rules(l).expect(l))) {
            let gates = rules.gates.as_ref().expect("the gates compile");
            for ((rule, re), gate) in rules.rules.iter().zip(&rules.gate_of) {
                if re.as_str().contains(r"\b") {
                    assert!(gate.is_some(), "{lang} {rule:?} has no gate");
                }
                for s in samples {
                    if re.is_match(s) {
                        assert!(
                            gate.is_none_or(|g| gates.matches(s).matched(g)),
                            "{lang} {rule:?}: the gate refuses {s:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn indonesian_dates_of_every_style() {
        let p = date(2025, 4, 29);
        assert_eq!(
            values("id", "Putin pada tanggal 28 April mengucapkan", p),
            ["2025-04-28"]
        );
        assert_eq!(
            values("id", "Pada tanggal 6 Agustus 2024, militer", p),
            ["2024-08-06"]
        );
        assert_eq!(
            values("id", "yang ditandatangani pada bulan Juni 2024.", p),
            ["2024-06"]
        );
        assert_eq!(
            values("id", "perang pada Maret 2022, pasukan", p),
            ["2022-03"]
        );
        assert_eq!(
            values("id", "menyatakan pada hari Senin bahwa", p),
            ["2025-04-28"]
        );
        assert_eq!(
            values("id", "Jakarta, Senin (28/4/2025) dan (27/4)", p),
            ["2025-04-28", "2025-04-27"]
        );
        assert_eq!(
            values("id", "tentara ke Rusia musim gugur lalu, dengan", p),
            ["2024-09/2024-11"]
        );
        assert_eq!(values("id", "tiba tahun ini.", p), ["2025"]);
        assert_eq!(
            values("id", "selama 20 bulan terakhir untuk", p),
            ["2023-08/2025-04"]
        );
        assert_eq!(
            values("id", "kemarin, dan Sabtu lalu", p),
            ["2025-04-28", "2025-04-26"]
        );
        assert_eq!(
            values("id", "sejak Perang Korea pada tahun 1950-an.", p),
            Vec::<String>::new()
        );
        // TIMEX3 gives the month; an event takes its first third.
        assert_eq!(values_noted("id", "awal September 2024", p), ["2024-09"]);
        assert_eq!(
            spans("id", "awal September 2024", p),
            [("2024-09-01".to_string(), "2024-09-10".to_string())]
        );
        assert_eq!(values("id", "dua minggu lalu", p), ["2025-04-14"]);
        assert_eq!(
            values("id", "Senin pekan lalu, Syrskyi", date(2024, 8, 20)),
            ["2024-08-12"]
        );
    }

    #[test]
    fn indonesian_past_markers_day_of_month_and_bare_years() {
        let p = date(2014, 12, 29);
        let spans = |s: &str| -> Vec<(String, String)> {
            tag("id", s, Some(p))
                .into_iter()
                .map(|(t, v, _)| (t, v))
                .collect()
        };
        // "kemarin" after a date marks it past; it is not a second date ("yesterday").
        assert_eq!(
            spans("pada Minggu (28/12/2014) kemarin, pesawat"),
            [("Minggu (28/12/2014) kemarin".into(), "2014-12-28".into())]
        );
        assert_eq!(
            spans("tanggal 24 Desember 2014 lalu"),
            [("tanggal 24 Desember 2014 lalu".into(), "2014-12-24".into())]
        );
        // A day of the month alone: the most recent such day on or before publication.
        assert_eq!(values("id", "Tanggal 24 kemarin", p), ["2014-12-24"]);
        assert_eq!(values("id", "pada tanggal 30 lalu", p), ["2014-11-30"]);
        assert_eq!(
            values("id", "tanggal 1 dan 2 Januari", date(2015, 1, 5)),
            ["2015-01-02"]
        );
        assert_eq!(values("id", "sejak Maret lalu", p), ["2014-03"]);
        assert_eq!(values("id", "pada Mei lalu", p), ["2014-05"]);
        assert_eq!(
            spans("sejak 2012 dan pada 1988 lalu, hingga 2.000 orang"),
            [
                ("2012".into(), "2012".into()),
                ("1988 lalu".into(), "1988".into())
            ]
        );
        assert_eq!(
            spans("tahun 2014 ini"),
            [("tahun 2014 ini".into(), "2014".into())]
        );
        assert_eq!(
            values("id", "esok hari dan lusa", p),
            ["2014-12-30", "2014-12-31"]
        );
    }

    #[test]
    fn signal_words_stay_outside_the_span() {
        let p = date(2022, 11, 14);
        let texts = |lang: &str, s: &str| -> Vec<String> {
            tag(lang, s, Some(p)).into_iter().map(|x| x.0).collect()
        };
        assert_eq!(
            texts(
                "id",
                "sejak tahun 2005 dan pada bulan Juni, hingga awal 2015"
            ),
            ["tahun 2005", "bulan Juni", "awal 2015"]
        );
        assert_eq!(
            texts("en", "since 2014, on Friday and early on Saturday"),
            ["2014", "Friday", "early on Saturday"]
        );
        assert_eq!(texts("ru", "в начале мая"), ["начале мая"]);
    }

    #[test]
    fn the_same_day_is_the_narratives_last_day() {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let mut ctx = TimeContext::new(Some(date(2014, 12, 29)));
        let mut v = |lang: &str, s: &str| -> Vec<String> {
            t.tag(lang, s, &mut ctx)
                .iter()
                .map(|e| e.value.to_string())
                .collect()
        };
        assert_eq!(
            v("id", "Pesawat hilang pada hari itu."),
            Vec::<String>::new()
        );
        assert_eq!(
            v("id", "Pesawat hilang pada 28 Desember 2014."),
            ["2014-12-28"]
        );
        assert_eq!(v("id", "Pencarian dimulai hari itu juga."), ["2014-12-28"]);
        assert_eq!(v("en", "Searches began the same day."), ["2014-12-28"]);
    }

    #[test]
    fn references_to_present_past_and_future_are_not_dates() {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let s = "Saat ini tim bekerja; saat itu cuaca buruk, nanti dievaluasi terlebih dahulu.";
        let refs: Vec<(&str, &str)> = t
            .tag_refs("id", s)
            .iter()
            .map(|r| (&s[r.start..r.end], r.value.timex3()))
            .collect();
        assert_eq!(
            refs,
            [
                ("Saat ini", "PRESENT_REF"),
                ("saat itu", "PAST_REF"),
                ("nanti", "FUTURE_REF")
            ]
        );
        let mut ctx = TimeContext::new(Some(date(2014, 12, 29)));
        assert!(t.tag("id", s, &mut ctx).is_empty());
        let en = "Troops are now in the city; in the past they held it.";
        let refs: Vec<&str> = t
            .tag_refs("en", en)
            .iter()
            .map(|r| r.value.timex3())
            .collect();
        assert_eq!(refs, ["PRESENT_REF", "PAST_REF"]);
    }

    #[test]
    fn a_vague_stretch_up_to_now_is_a_past_reference() {
        // "the last few months", "the past several quarters": no length is given,
        // only that it reaches back from now (PAST_REF, the whole phrase); a
        // reference that holds a shorter expression replaces it.
        let p = date(2024, 3, 1);
        let s = "Shelling has grown in the last few months and over the past several \
                 quarters, in recent weeks and months, but fell in the past two weeks.";
        let n = noted("en", s, p);
        let got: Vec<(&str, &str)> = n.iter().map(|x| (x.0.as_str(), x.2.as_str())).collect();
        assert_eq!(
            got,
            [
                ("the last few months", "PAST_REF"),
                ("the past several quarters", "PAST_REF"),
                ("recent weeks and months", "PAST_REF"),
                ("the past two weeks", "P2W"),
            ]
        );
        // Ahead, a vague stretch stays a length; a past reference inside a longer
        // expression still yields to it.
        assert_eq!(
            values_noted("en", "Talks may resume in the next few days.", p),
            ["PXD"]
        );
        assert_eq!(
            values_noted("en", "Losses in the past two quarters were large.", p),
            ["P2Q"]
        );
        // A date is never lost to a reference.
        let mut ctx = TimeContext::new(Some(p));
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        assert!(
            t.tag("en", "Attacks rose over the past several weeks.", &mut ctx)
                .is_empty()
        );
    }

    #[test]
    fn anchored_offsets_follow_the_narrative() {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let mut ctx = TimeContext::new(Some(date(2024, 8, 20)));
        let s = "Serangan dimulai 6 Agustus 2024; sehari sebelumnya pasukan bersiaga, dan dua hari kemudian kota jatuh.";
        let v: Vec<String> = t
            .tag("id", s, &mut ctx)
            .iter()
            .map(|e| e.value.to_string())
            .collect();
        assert_eq!(v, ["2024-08-06", "2024-08-05", "2024-08-08"]);
    }

    #[test]
    fn a_month_offset_counts_from_the_last_month_named() {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        for (lang, s, want) in [
            (
                "en",
                "On 3 March 2020 talks began. In October 2022 the strike ended. The month before, it had started.",
                ["2020-03-03", "2022-10", "2022-09"],
            ),
            (
                "en",
                "On 3 March 2020 talks began. In October 2022 the strike ended. Two months later, it resumed.",
                ["2020-03-03", "2022-10", "2022-12"],
            ),
            (
                "id",
                "Pada 3 Maret 2020 perundingan dimulai. Pada Oktober 2022 pemogokan berakhir. Dua bulan kemudian, pemogokan kembali terjadi.",
                ["2020-03-03", "2022-10", "2022-12"],
            ),
        ] {
            let mut ctx = TimeContext::new(Some(date(2024, 5, 7)));
            let v: Vec<String> = t
                .tag(lang, s, &mut ctx)
                .iter()
                .map(|e| e.value.to_string())
                .collect();
            assert_eq!(v, want, "{lang}: {s}");
        }
        // "Two months before the invasion" counts from the invasion, not from the
        // month named before it: without a day to count from it stays unresolved.
        let mut ctx = TimeContext::new(Some(date(2024, 5, 7)));
        let v: Vec<String> = t
            .tag(
                "en",
                "They asked in December 2021, two months before the invasion.",
                &mut ctx,
            )
            .iter()
            .map(|e| e.value.to_string())
            .collect();
        assert_eq!(v, ["2021-12"]);
    }

    #[test]
    fn english_russian_ukrainian() {
        let p = date(2022, 11, 14);
        assert_eq!(
            values("en", "struck on Nov. 11, 2022, and on Friday", p),
            ["2022-11-11", "2022-11-11"]
        );
        assert_eq!(
            values("en", "early on Saturday troops withdrew last week", p),
            ["2022-11-12", "2022-11-07"]
        );
        assert_eq!(
            values("en", "in March 2022 and last autumn, and May 9", p),
            ["2022-03", "2021-09/2021-11", "2022-05-09"]
        );
        assert_eq!(values("en", "they may come", p), Vec::<String>::new());
        assert_eq!(
            values("ru", "10 мая войска вчера и 6 августа 2024 года", p),
            ["2022-05-10", "2022-11-13", "2024-08-06"]
        );
        assert_eq!(
            values("ru", "в прошлом году и прошлой осенью", p),
            ["2021", "2021-09/2021-11"]
        );
        assert_eq!(
            values("uk", "6 червня та у неділю, минулого тижня", p),
            ["2022-06-06", "2022-11-13", "2022-11-07"]
        );
        assert_eq!(values("uk", "за останні 3 місяці", p), ["2022-08/2022-11"]);
    }

    #[test]
    fn nothing_relative_resolves_without_a_publication_date() {
        let got = tag(
            "id",
            "pada hari Senin dan pada 6 Agustus 2024, serta 28 April",
            None,
        );
        assert_eq!(
            got,
            [(
                "6 Agustus 2024".to_string(),
                "2024-08-06".to_string(),
                false
            )]
        );
    }

    #[test]
    fn inferred_only_when_something_was_borrowed() {
        let got = tag(
            "id",
            "pada tanggal 28 April dan 6 Agustus 2024",
            Some(date(2025, 4, 29)),
        );
        assert_eq!(got.iter().map(|x| x.2).collect::<Vec<_>>(), [true, false]);
    }
}
