//! Dating: which time expression of a sentence dates which candidate. Each event takes
//! the time of its own clause: a time that dates a report ("…, Kan reported on
//! Wednesday") or opens a period ("held since 2016") dates no act while the sentence
//! states another; a bare year that modifies a noun ("the 2001 attacks") dates only
//! that noun. Each remaining time goes with its nearest candidate in its own clause
//! (fewest commas and semicolons between them, then fewest bytes), the closest pairs
//! first, and a candidate takes one time. A lede that states no date reports the news
//! of its day; narrative anchors ("the next day", "two days later") count from the
//! last dated event of the article ([`Narrative`], which reads an article's times
//! sentence by sentence, keeps it in the time context), and
//! an act told without a time right after a sentence that dated one of its type keeps
//! that time. An act told "two months ago" lies around the day that counts back to.

use jiff::civil::Date;

use super::annotate::Trace;
use super::bounds;
use super::detect::Candidate;
use super::sentences;
use super::timex::{TimeContext, TimeExpr, TimeTagger, Timex3, TimexType};
use crate::domain::{Event, EventDate, Precision};
use crate::knowledge::Knowledge;
use crate::text::fold;

/// What a time expression is to the acts of its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The time of an act.
    Act,
    /// The time of the report of it.
    Report,
    /// The start of a period.
    Since,
    /// A year that modifies the noun after it.
    Modifier,
    /// The day of the source a report is taken from ("Dilansir Reuters, Senin
    /// (26/12/2022), …"), wherever it stands.
    Source,
}

/// The words dating reads, for one language (`grammar.tsv`).
pub struct DatingWords<'a> {
    report: &'a [String],
    since: &'a [String],
    year_det: &'a [String],
    background: &'a [String],
    anaphor: &'a [String],
    anaphor_after: &'a [String],
    nominal: &'a [String],
    light_verb: &'a [String],
    aspectual: &'a [String],
    relative_pronoun: &'a [String],
    relative: &'a [String],
    source: &'a [String],
    anchor_signal: &'a [String],
    ago: &'a [String],
    ago_more: &'a [String],
    ago_less: &'a [String],
    recent: &'a [String],
    present: &'a [String],
    sequel: &'a [String],
    concessive: &'a [String],
    lasting: &'a [String],
    habitual: &'a [String],
    force: &'a [String],
    /// How many words before an act [`current_news`] reads: the farthest its
    /// background, anaphor and aspectual phrases reach, and a word more.
    news_reach: usize,
    /// How many words before a time [`role`] reads: its "since" and report phrases,
    /// one word further past an "on", and one more for safety.
    role_reach: usize,
}

impl<'a> DatingWords<'a> {
    pub fn of(kb: &'a Knowledge, language: &str) -> Self {
        let mut w = DatingWords {
            report: kb.grammar(language, "report"),
            since: kb.grammar(language, "since"),
            year_det: kb.grammar(language, "year_det"),
            background: kb.grammar(language, "background"),
            anaphor: kb.grammar(language, "anaphor"),
            anaphor_after: kb.grammar(language, "anaphor_after"),
            nominal: kb.grammar(language, "nominal"),
            light_verb: kb.grammar(language, "light_verb"),
            aspectual: kb.grammar(language, "aspectual"),
            relative_pronoun: kb.grammar(language, "relative_pronoun"),
            relative: kb.grammar(language, "relative"),
            source: kb.grammar(language, "source"),
            anchor_signal: kb.grammar(language, "anchor_signal"),
            ago: kb.grammar(language, "ago"),
            ago_more: kb.grammar(language, "ago_more"),
            ago_less: kb.grammar(language, "ago_less"),
            recent: kb.grammar(language, "recent"),
            present: kb.grammar(language, "present"),
            sequel: kb.grammar(language, "sequel"),
            concessive: kb.grammar(language, "concessive"),
            lasting: kb.grammar(language, "lasting"),
            habitual: kb.grammar(language, "habitual"),
            force: kb.grammar(language, "force"),
            news_reach: 0,
            role_reach: 0,
        };
        // The longest phrase, in words, of some of the lists.
        let longest = |lists: &[&[String]]| {
            lists
                .iter()
                .flat_map(|l| l.iter())
                .map(|p| p.split(' ').count())
                .max()
                .unwrap_or(0)
        };
        w.news_reach = news_reach(longest(&[w.background, w.anaphor, w.aspectual]));
        w.role_reach = longest(&[w.since, w.report]) + 2;
        w
    }
}

/// How many words before an act [`current_news`] reads, for phrases of at most
/// `longest` words: a phrase may end as far back as the farthest reach (the
/// background's), one word further past an "on" ([`ends_with_phrase`]), and
/// [`aspectual`] reads the word before the phrase ("to"); one more for safety.
fn news_reach(longest: usize) -> usize {
    BACKGROUND_REACH.max(ANAPHOR_REACH).max(ASPECTUAL_REACH) + longest + 3
}

/// The last `n` of [`words_back`]`(s)` (all when it has fewer), folding only the end
/// of `s`: it is cut at a white space with at least `n` words after it (a white space
/// folds to a word break, and the rest of the fold is character by character, so
/// the words after the cut are the whole fold's last words), else read whole.
fn last_words_back(s: &str, n: usize) -> Vec<String> {
    // Chunks between white space that hold a letter or digit: each folds to at least
    // one word, as a rule; where one does not, the whole is read.
    let mut chunks = 0;
    let mut alnum = false;
    let mut cut = None;
    for (i, c) in s.char_indices().rev() {
        if c.is_whitespace() {
            chunks += usize::from(alnum);
            alnum = false;
            if chunks >= n {
                cut = Some(i);
                break;
            }
        } else if !alnum && c.is_alphanumeric() {
            alnum = true;
        }
    }
    let mut back = match cut {
        Some(i) => {
            let back = words_back(&s[i..]);
            if back.len() < n { words_back(s) } else { back }
        }
        None => words_back(s),
    };
    back.truncate(n);
    back
}

/// The folded words of `s`, last first.
fn words_back(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .rev()
        .map(String::from)
        .collect()
}

/// Whether one of `phrases` (folded) ends the word list `back` (last word first),
/// or ends it but for an "on"/"pada"/"в" between them.
fn ends_with_phrase(back: &[String], phrases: &[String]) -> bool {
    const PREPOSITIONS: &[&str] = &["on", "pada", "в", "во", "у"];
    let skip = usize::from(
        back.first()
            .is_some_and(|w| PREPOSITIONS.contains(&w.as_str())),
    );
    // A phrase's words from its last, against the list from `k` on, stopping at the
    // first that differs. The last word is compared in place first (the words of
    // `back` hold no space), so most phrases are passed over without splitting them.
    let ends_at = |p: &str, k: usize| {
        let Some(last) = back.get(k) else {
            return false;
        };
        let cut = p.len().wrapping_sub(last.len());
        p.ends_with(last.as_str())
            && (cut == 0 || p.as_bytes().get(cut.wrapping_sub(1)) == Some(&b' '))
            && p.rsplit(' ')
                .enumerate()
                .all(|(i, w)| back.get(k + i).is_some_and(|a| a == w))
    };
    phrases
        .iter()
        .any(|p| ends_at(p, 0) || (skip == 1 && ends_at(p, 1)))
}

fn role(sentence: &str, t: &TimeExpr, w: &DatingWords) -> Role {
    // Only the last words are read (`role_reach`).
    let back = last_words_back(&sentence[..t.start.min(sentence.len())], w.role_reach);
    let text = &sentence[t.start.min(sentence.len())..t.end.min(sentence.len())];
    let bare_year = t.value.precision == Precision::Year
        && text.trim().len() == 4
        && text.trim().bytes().all(|b| b.is_ascii_digit());
    if bare_year
        && back
            .first()
            .is_some_and(|b| w.year_det.contains(b) || b.ends_with("'s") || b.ends_with("’s"))
        && sentence[t.end.min(sentence.len())..]
            .trim_start()
            .starts_with(|c: char| c.is_lowercase())
    {
        return Role::Modifier;
    }
    // A time in the Saxon genitive ("this year's report", "Sunday's strike") is a
    // determiner of the noun phrase after it: it dates that noun, not the clause.
    if possessive(&sentence[t.end.min(sentence.len())..]) {
        return Role::Modifier;
    }
    if cites_source(sentence, t, w) {
        return Role::Source;
    }
    if ends_with_phrase(&back, w.since) {
        return Role::Since;
    }
    if ends_with_phrase(&back, w.report) {
        return Role::Report;
    }
    Role::Act
}

/// How many words may stand between an anchoring signal ("after", "setelah", "после")
/// and the act it names ("two days after the start of the Russian invasion").
const ANCHORED_REACH: usize = 6;

/// An offset told in apposition to a day of the same sentence ("At the latest on
/// February 26, two days after the start of the invasion"): TimeML anchors "two days
/// after" to the act the signal (`grammar.tsv` `anchor_signal`) names, and the
/// apposition says the two times are one day; so that act lies the offset before (or,
/// for "before", after) the stated day. The tagger resolves the offset from the
/// narrative's last day, which here is the apposed day itself, so the act's day is
/// that day mirrored: `2·day − offset`. Returns the candidate the signal names (the
/// first within a few words after it, in its clause) and its date.
fn apposed_anchor(
    sentence: &str,
    times: &[TimeExpr],
    a: &TimeExpr,
    candidates: &[Candidate],
    w: &DatingWords,
) -> Option<(usize, TimeExpr)> {
    let one_day =
        |t: &TimeExpr| t.value.precision == Precision::Day && t.value.start == t.value.end;
    if w.anchor_signal.is_empty() || !a.relative || !one_day(a) || a.start == a.end {
        return None;
    }
    // The signal is the expression's last word or the word right after it.
    let own = fold(sentence.get(a.start..a.end)?);
    let last = own.split_whitespace().next_back().unwrap_or("");
    let after = sentence.get(a.end..)?;
    let next = after
        .split(|c: char| !c.is_alphanumeric())
        .find(|x| !x.is_empty())
        .map(fold)
        .unwrap_or_default();
    let signal_at = if w.anchor_signal.iter().any(|x| x == last) {
        a.end
    } else if w.anchor_signal.contains(&next)
        && after
            .trim_start()
            .starts_with(|c: char| c.is_alphanumeric())
    {
        a.end + after.find(|c: char| c.is_alphanumeric())? + next.len()
    } else {
        return None;
    };
    let day = times.iter().find(|t| {
        t.end <= a.start
            && one_day(t)
            && sentence
                .get(t.end..a.start)
                .is_some_and(|b| matches!(b.trim(), "," | "—" | "–"))
    })?;
    let k = candidates.iter().position(|c| {
        c.hit.start >= signal_at
            && sentence.get(signal_at..c.hit.start).is_some_and(|b| {
                !b.contains(CLAUSE_BREAKS) && b.split_whitespace().count() <= ANCHORED_REACH
            })
    })?;
    let offset = (a.value.start - day.value.start).get_days();
    let date = day
        .value
        .start
        .checked_sub(jiff::Span::new().days(i64::from(offset)))
        .ok()?;
    Some((
        k,
        TimeExpr {
            value: EventDate {
                start: date,
                end: date,
                precision: Precision::Day,
            },
            inferred: true,
            relative: true,
            ..a.clone()
        },
    ))
}

/// How many words a source's name may take between a verb of citing and the day
/// of the source's report ("Dilansir Reuters dan The Star, Senin (26/12/2022)").
const SOURCE_NAME_WORDS: usize = 5;

/// Whether time `t` is the day of a cited source's report: set off by a comma right
/// after a verb of citing and the source's name (`grammar.tsv` `source`: "dilansir",
/// "dikutip", "mengutip"), the Indonesian news convention that gives the day the
/// agency reported, not the day of what it reports.
fn cites_source(sentence: &str, t: &TimeExpr, w: &DatingWords) -> bool {
    if w.source.is_empty() {
        return false;
    }
    let Some(before) = sentence
        .get(..t.start)
        .map(str::trim_end)
        .and_then(|b| b.strip_suffix(','))
    else {
        return false;
    };
    let back = words_back(before);
    (1..=SOURCE_NAME_WORDS.min(back.len().saturating_sub(1)))
        .any(|k| ends_with_phrase(&back[k..], w.source))
}

/// Whether the text right after a time is the genitive ending "'s" (or "’s"): the
/// time is then a determiner ("last year's invasion").
fn possessive(after: &str) -> bool {
    let rest = after
        .strip_prefix("'s")
        .or_else(|| after.strip_prefix("’s"));
    rest.is_some_and(|r| r.is_empty() || r.starts_with(|c: char| !c.is_alphanumeric()))
}

/// Prefixes that make a time an adjective of the noun after it (English "pre-",
/// "post-"; Indonesian "pra-", "pasca-"): the English and Indonesian word-formation
/// rule, TimeML's modifier that is no TIMEX3 of the clause.
const TIME_PREFIXES: [&str; 4] = ["pre-", "post-", "pra-", "pasca-"];

/// Whether time `t` of `sentence` is made an adjective by a prefix ("the
/// pre-February 24 situation", "garis pra-2022"): it names a state before or after
/// that time, dates no act, and leaves the sentence as if it told no time.
pub fn adjectival(sentence: &str, t: &TimeExpr) -> bool {
    t.start < t.end && sentence.get(..t.start).is_some_and(prefixed)
}

/// Whether the text right before a time ends in a prefix of [`TIME_PREFIXES`] that
/// starts a word ("pre-February 24", not "Xpre-").
fn prefixed(before: &str) -> bool {
    let b = before.as_bytes();
    TIME_PREFIXES.iter().any(|p| {
        let p = p.as_bytes();
        b.len() >= p.len()
            && b[b.len() - p.len()..].eq_ignore_ascii_case(p)
            && !b[..b.len() - p.len()]
                .last()
                .is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// How many words (adjectives) may stand between a time in the genitive and the noun
/// of an act it determines ("Sunday's deadly missile strike").
const POSSESSIVE_REACH: usize = 3;

/// Whether candidate `c` heads the noun phrase that the modifying time `m` determines:
/// right after a bare year ("the 2001 attacks"), or within a few words after a time
/// in the genitive ("Sunday's deadly attack"), with no punctuation between.
fn modifies(sentence: &str, m: &TimeExpr, c: &Candidate) -> bool {
    let Some(between) = sentence.get(m.end..c.hit.start) else {
        return false;
    };
    if between.trim().is_empty() {
        return true;
    }
    let Some(rest) = between
        .strip_prefix("'s")
        .or_else(|| between.strip_prefix("’s"))
    else {
        return false;
    };
    !rest.contains(|ch: char| ch.is_ascii_punctuation() && ch != '-')
        && rest.split_whitespace().count() <= POSSESSIVE_REACH
}

/// Punctuation that ends a clause: a relative clause runs to the next one.
const CLAUSE_BREAKS: [char; 8] = [',', ';', ':', '—', '–', '(', ')', '"'];

/// How many words a relative pronoun may stand before the act whose clause it opens
/// ("who fought", "which had been shelled by Russian troops").
const RELATIVE_REACH: usize = 6;

/// The byte span of the relative clause candidate `c` is told in, if it is told in
/// one: from a relative pronoun (`grammar.tsv` `relative_pronoun`) a few words before
/// it with no clause break between, to the next clause break or the sentence's end.
/// TimeML anchors such an act by its own clause: a time of the main clause ("In 2022,
/// Putin approved … for soldiers who fought in Ukraine") is not its time.
fn relative_clause(sentence: &str, c: &Candidate, w: &DatingWords) -> Option<(usize, usize)> {
    if w.relative_pronoun.is_empty() {
        return None;
    }
    let before = sentence.get(..c.hit.start)?;
    let from = before.rfind(CLAUSE_BREAKS).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let segment = &before[from..];
    // The segment's words with their byte offsets, last first.
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, ch) in segment.char_indices() {
        let inside = ch.is_alphanumeric() || ch == '-' || ch == '\'' || ch == '’';
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                words.push((a, &segment[a..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        words.push((a, &segment[a..]));
    }
    // English "that" right after a noun of forces or people opens a relative clause
    // too ("the armies that liberated us"); after a verb it opens a complement.
    let relative_that =
        |k: usize| k > 0 && fold(words[k].1) == "that" && w.force.contains(&fold(words[k - 1].1));
    let (at, _) = (0..words.len())
        .rev()
        .take(RELATIVE_REACH)
        .find(|&k| w.relative_pronoun.contains(&fold(words[k].1)) || relative_that(k))
        .map(|k| words[k])?;
    let after = sentence.get(c.hit.end..)?;
    let end = after
        .find(CLAUSE_BREAKS)
        .map_or(sentence.len(), |i| c.hit.end + i);
    Some((from + at, end))
}

/// How many words a concessive preposition may stand before the act's noun it
/// governs ("despite Russia's harsh crackdown", "несмотря на массированные удары").
const CONCESSIVE_REACH: usize = 5;

/// The byte span of the concessive phrase candidate `c` is named in, if it is named in
/// one: a concessive preposition (`grammar.tsv` `concessive`: despite, in spite of,
/// meskipun, несмотря на, попри) a few words before it with no clause break between,
/// to the next clause break. The act is the background the clause's news is set
/// against ("Despite Russia's crackdown, protests have erupted on Tuesday"): TimeML
/// anchors it by its own phrase, so it takes only a time inside that span, never the
/// clause's, the lede's or the news's.
fn concessive(sentence: &str, c: &Candidate, w: &DatingWords) -> Option<(usize, usize)> {
    if w.concessive.is_empty() {
        return None;
    }
    let before = sentence.get(..c.hit.start)?;
    let from = before.rfind(CLAUSE_BREAKS).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let back = words_back(&before[from..]);
    (0..back.len().min(CONCESSIVE_REACH + 1))
        .any(|k| ends_with_phrase(&back[k..], w.concessive))
        .then_some(())?;
    let after = sentence.get(c.hit.end..)?;
    let end = after
        .find(CLAUSE_BREAKS)
        .map_or(sentence.len(), |i| c.hit.end + i);
    Some((from, end))
}

/// The folded words of `s` from its first, each with the byte offset (in `s`) where
/// it ends, up to the first clause break.
fn words_ahead(s: &str) -> Vec<(usize, String)> {
    let cut = s.find(CLAUSE_BREAKS).unwrap_or(s.len());
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in s[..cut].char_indices().chain(std::iter::once((cut, ' '))) {
        let inside = ch.is_alphanumeric() || ch == '-' || ch == '\'' || ch == '’';
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push((i, fold(&s[a..i])));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// How many words may stand between an act's noun and a verb of lasting after it
/// ("serangan balasan Kyiv yang telah berlangsung", "the war in the east has lasted").
const LASTING_REACH: usize = 4;

/// How many words may stand between a verb of lasting and its duration ("has gone on
/// for more than four months", "длится уже более четырёх месяцев").
const DURATION_REACH: usize = 3;

/// What a sentence holds that makes its durations worth reading: a verb of lasting
/// (`grammar.tsv` `lasting`) and an anchoring signal (`anchor_signal`). One
/// lower-casing of the sentence, only for sentences with an act.
pub struct DurationCues {
    pub lasting: bool,
    pub signalled: bool,
}

pub fn duration_cues(sentence: &str, w: &DatingWords) -> DurationCues {
    let low = sentence.to_lowercase();
    let split = |c: char| !(c.is_alphanumeric() || c == '\'' || c == '-');
    // A phrase's letters somewhere in the sentence first (a fast scan), its words in
    // order only then.
    let lasting = w.lasting.iter().any(|p| low.contains(p.as_str())) && {
        let words: Vec<&str> = low.split(split).filter(|x| !x.is_empty()).collect();
        (0..words.len()).any(|i| {
            w.lasting.iter().any(|p| {
                p.split(' ')
                    .enumerate()
                    .all(|(j, x)| words.get(i + j).is_some_and(|y| *y == x))
            })
        })
    };
    let signalled = w.anchor_signal.iter().any(|a| low.contains(a.as_str()))
        && low
            .split(split)
            .any(|x| !x.is_empty() && w.anchor_signal.iter().any(|a| a == x));
    DurationCues { lasting, signalled }
}

/// The onset of an act the sentence says has gone on for a stated time ("Kyiv's
/// counteroffensive, yang telah berlangsung lebih dari empat bulan"; "the war has
/// lasted four months"): TimeML's DURATION anchored to the report's day ends there,
/// so the act began that long before it — its launch, an event of its own (the
/// labelling guide's "an invasion or offensive launched"), beside the act itself as
/// news. The duration is a TIMEX3 DURATION right after a verb of lasting
/// (`grammar.tsv` `lasting`) within a few words after the act's noun. The day is
/// counted back as [`ago_window`] counts "N months ago": half a unit either side,
/// the unit before it after "more than" (`ago_more`), the unit after it after
/// "nearly" (`ago_less`); never past the report's day.
pub fn onset(
    sentence: &str,
    c: &Candidate,
    durations: &[Timex3],
    reference: Option<Date>,
    w: &DatingWords,
) -> Option<TimeExpr> {
    let p = reference?;
    if w.lasting.is_empty() || !MATERIAL.contains(&c.plover) {
        return None;
    }
    let after = sentence.get(c.hit.end..)?;
    let ahead = words_ahead(after);
    // The end (in `sentence`) of the first verb of lasting a few words on.
    let verb_end = (0..ahead.len().min(LASTING_REACH + 1)).find_map(|i| {
        w.lasting
            .iter()
            .filter_map(|p| {
                let n = p.split(' ').count();
                p.split(' ')
                    .enumerate()
                    .all(|(j, x)| ahead.get(i + j).is_some_and(|(_, y)| y == x))
                    .then(|| (n, ahead[i + n - 1].0))
            })
            .max()
            .map(|(_, end)| c.hit.end + end)
    })?;
    let d = durations.iter().find(|d| {
        d.kind == TimexType::Duration
            && d.start >= verb_end
            && sentence.get(verb_end..d.start).is_some_and(|b| {
                !b.contains(CLAUSE_BREAKS) && b.split_whitespace().count() <= DURATION_REACH
            })
    })?;
    let (n, unit) = d
        .value
        .strip_prefix('P')
        .filter(|v| !v.starts_with('T'))
        .and_then(|v| v.split_at_checked(v.len().checked_sub(1)?))
        .and_then(|(n, u)| Some((n.parse::<i64>().ok()?, u)))?;
    let (back, one, half) = match unit {
        "Y" => (
            jiff::Span::new().try_years(n).ok()?,
            jiff::Span::new().years(1),
            jiff::Span::new().days(182),
        ),
        "M" => (
            jiff::Span::new().try_months(n).ok()?,
            jiff::Span::new().months(1),
            jiff::Span::new().days(15),
        ),
        "W" => (
            jiff::Span::new().try_weeks(n).ok()?,
            jiff::Span::new().weeks(1),
            jiff::Span::new().days(3),
        ),
        "D" => (
            jiff::Span::new().try_days(n).ok()?,
            jiff::Span::new().days(1),
            jiff::Span::new().days(0),
        ),
        _ => return None,
    };
    if n <= 0 {
        return None;
    }
    let day = p.checked_sub(back).ok()?;
    // The quantifier: between the verb and the duration, or the duration's own words.
    let lead = words_back(sentence.get(verb_end..d.end)?);
    let says = |phrases: &[String]| {
        let before = words_back(sentence.get(verb_end..d.start).unwrap_or(""));
        ends_with_phrase(&before, phrases)
            || (1..=lead.len()).any(|k| ends_with_phrase(&lead[k..], phrases))
    };
    let (start, end) = if says(w.ago_more) {
        (day.checked_sub(one).ok()?, day)
    } else if says(w.ago_less) {
        (day, day.checked_add(one).ok()?)
    } else {
        (day.checked_sub(half).ok()?, day.checked_add(half).ok()?)
    };
    Some(TimeExpr {
        start: d.start,
        end: d.end,
        value: EventDate {
            start,
            end: end.min(p),
            precision: Precision::Day,
        },
        inferred: true,
        relative: true,
    })
}

/// Whether `c` names a war, an invasion or an annexation as a whole by a noun
/// (`grammar.tsv` `nominal`: "invasion", "вторжение", "aneksasi").
/// A bare attack noun after a Saxon genitive, or after a preposition and a possessive
/// determiner ("Russia's attack", "Moscow's assault", "for her assault") names the
/// war the same way (English: other languages put the possessor after the noun).
fn nominal(sentence: &str, c: &Candidate, w: &DatingWords) -> bool {
    if w.nominal.is_empty() {
        return false;
    }
    if w.nominal.contains(&fold(&c.trigger.phrase)) {
        return true;
    }
    c.plover == "assault"
        && c.trigger.weight < super::detect::VAGUE
        && sentence
            .get(..c.hit.start)
            .map(str::trim_end)
            .is_some_and(|b| b.ends_with("'s") || b.ends_with("’s") || possessed_in_adjunct(b))
}

/// English possessive determiners, which determine an attack noun as a Saxon genitive
/// does ("for her assault to Ukraine").
const POSSESSIVES: &[&str] = &["his", "her", "its", "their", "our"];

/// Prepositions of an adjunct: a possessed noun after one is a noun phrase of
/// background ("for her assault"), while one after a verb is its object, the act
/// the clause tells ("Russia escalates its military campaign").
const ADJUNCT_PREPOSITIONS: &[&str] = &[
    "for", "of", "by", "since", "after", "before", "during", "despite", "over", "against",
];

/// Whether `before` (the text up to an attack noun) ends in a preposition and a
/// possessive determiner.
fn possessed_in_adjunct(before: &str) -> bool {
    let mut last = before.rsplit(char::is_whitespace).map(str::to_lowercase);
    matches!(
        (last.next(), last.next()),
        (Some(d), Some(p)) if POSSESSIVES.contains(&d.as_str()) && ADJUNCT_PREPOSITIONS.contains(&p.as_str())
    )
}

/// How many words may stand between a noun of a war and a time before it in its own
/// noun phrase ("Russia's February invasion", "last year's invasion").
const NOMINAL_BEFORE: usize = 3;

/// How many words may stand between a noun of a war and a time after it in its
/// phrase or the relative clause on it ("the invasion of Ukraine in February 2022",
/// "the war that has gone on since February 24").
const NOMINAL_AFTER: usize = 7;

/// Whether time `t` is the time of the nominal `c` itself: inside its noun phrase or
/// a clause on it, or the time of the clause whose verb of beginning or waging takes
/// it as object ("On February 24, Russia launched a full-scale invasion"). A noun
/// phrase of a war without a time of its own ("since Russia's invasion", "the
/// annexation of Crimea") is the background of the news, not a report of it (the
/// devset's labelling guide, TimeML's rule that an event nominal is anchored by its
/// own modifiers), and takes no time of the sentence, the lede or the news.
fn attached(sentence: &str, t: &TimeExpr, c: &Candidate, w: &DatingWords) -> bool {
    if t.start == t.end {
        return false;
    }
    let (a, b) = (c.hit.start, c.hit.end);
    let words = |s: &str| {
        s.split(|ch: char| !(ch.is_alphanumeric() || ch == '\'' || ch == '’' || ch == '-'))
            .filter(|x| !x.is_empty())
            .count()
    };
    const BREAKS: [char; 6] = [',', ';', ':', '—', '–', '('];
    if t.end <= a {
        let Some(between) = sentence.get(t.end..a) else {
            return false;
        };
        if words(between) <= NOMINAL_BEFORE && !between.contains(BREAKS) {
            return true;
        }
        // A verb of beginning or waging between the time and the noun.
        let folded = fold(between);
        return folded
            .split(|ch: char| !(ch.is_alphanumeric() || ch == '-' || ch == '\''))
            .any(|x| w.light_verb.iter().any(|v| v == x));
    }
    if b <= t.start {
        let Some(between) = sentence.get(b..t.start) else {
            return false;
        };
        // A time in brackets after the phrase is its apposition ("the invasion (in
        // February)").
        let between = between.trim_end().trim_end_matches('(');
        if words(between) > NOMINAL_AFTER {
            return false;
        }
        return !between.contains(BREAKS) || onset_apposed(between, w);
    }
    false
}

/// Whether the words between a noun of a war and a time after it end in a reduced
/// relative on the noun set off by a comma, whose verb is one of beginning ("the
/// aggression against Ukraine, begun on 24 February 2022"; "invasi Rusia, yang dimulai
/// pada 24 Februari"; "агрессия, начатая 24 февраля"): the time is the onset's, the
/// noun's own, as in the clause without the comma. Only the last stretch after a break
/// is read, and it must open with the verb (or a relative word and the verb), so that
/// "the invasion, said officials on Monday" stays apart.
fn onset_apposed(between: &str, w: &DatingWords) -> bool {
    let Some(last) = between.rsplit(BREAKS_OF_APPOSITION).next() else {
        return false;
    };
    let folded = fold(last);
    let mut ws = folded
        .split(|ch: char| !(ch.is_alphanumeric() || ch == '-' || ch == '\'' || ch == '’'))
        .filter(|x| !x.is_empty());
    let Some(first) = ws.next() else {
        return false;
    };
    let verb = |x: &str| w.light_verb.iter().any(|v| v == x);
    let relative =
        |x: &str| w.relative_pronoun.iter().any(|r| r == x) || w.relative.iter().any(|r| r == x);
    verb(first) || (relative(first) && ws.next().is_some_and(verb))
}

/// The breaks that set off an apposition to a noun ([`onset_apposed`]).
const BREAKS_OF_APPOSITION: [char; 4] = [',', '—', '–', '('];

/// A length of time ("P2Y", "P1W") as a count and a unit letter (Y, M, W, D); `None`
/// for a vague count ("PXW": "a few weeks") or a clock length.
fn count_of(value: &str) -> Option<(i64, char)> {
    let v = value.strip_prefix('P').filter(|v| !v.starts_with('T'))?;
    let unit = v.chars().next_back()?;
    let n = v.get(..v.len() - unit.len_utf8())?.parse::<i64>().ok()?;
    (n > 0 && matches!(unit, 'Y' | 'M' | 'W' | 'D')).then_some((n, unit))
}

/// A span of `n` units of `unit` (see [`count_of`]).
fn units(n: i64, unit: char) -> Option<jiff::Span> {
    match unit {
        'Y' => jiff::Span::new().try_years(n).ok(),
        'M' => jiff::Span::new().try_months(n).ok(),
        'W' => jiff::Span::new().try_weeks(n).ok(),
        'D' => jiff::Span::new().try_days(n).ok(),
        _ => None,
    }
}

/// An offset anchored to an act the sentence names: a TIMEX3 DURATION, a signal
/// right after it (`grammar.tsv` `anchor_signal`: after, before, setelah, после) and
/// the act the signal names a few words on ("a week after at least one person was
/// killed", "two years after Russian forces invaded", "2 months before the
/// invasion").
struct Anchored {
    /// Where the duration starts (the tagger's own reading of the offset starts there)
    /// and ends.
    start: usize,
    end: usize,
    /// The candidate the signal names.
    k: usize,
    n: i64,
    unit: char,
    /// "after": the act lies before the main clause's time.
    after: bool,
    /// The act is named by a definite or demonstrative noun phrase ("the strike",
    /// "this attack"): an act the narrative has told already.
    definite: bool,
}

/// Determiners that make the act after an anchoring signal one already told ("two
/// days after the strike"): English and Indonesian ones; Russian and Ukrainian have
/// no articles, and their demonstratives are the `anaphor` rows.
const DEFINITE: [&str; 7] = ["the", "this", "that", "these", "those", "its", "ini"];

fn anchored_offsets(
    sentence: &str,
    durations: &[Timex3],
    candidates: &[Candidate],
    w: &DatingWords,
) -> Vec<Anchored> {
    if w.anchor_signal.is_empty() {
        return Vec::new();
    }
    durations
        .iter()
        .filter(|d| d.kind == TimexType::Duration)
        .filter_map(|d| {
            let (n, unit) = count_of(&d.value)?;
            let after = sentence.get(d.end..)?;
            let ahead = words_ahead(after);
            let (signal_end, signal) = ahead.first()?;
            if !w.anchor_signal.contains(signal)
                || !after.trim_start().starts_with(char::is_alphanumeric)
            {
                return None;
            }
            let signal_at = d.end + signal_end;
            let k = candidates.iter().position(|c| {
                c.hit.start >= signal_at
                    && sentence.get(signal_at..c.hit.start).is_some_and(|b| {
                        !b.contains(CLAUSE_BREAKS) && b.split_whitespace().count() <= ANCHORED_REACH
                    })
            })?;
            let first = ahead.get(1).map(|(_, x)| x.as_str()).unwrap_or("");
            let definite = DEFINITE.contains(&first) || w.anaphor.iter().any(|a| a == first);
            Some(Anchored {
                start: d.start,
                end: d.end,
                k,
                n,
                unit,
                after: AFTER.contains(&signal.as_str()),
                definite,
            })
        })
        .collect()
}

/// The anchoring signals that put the act before the main clause's time (the others
/// of `anchor_signal`, "before", "sebelum", "до", put it after).
const AFTER: [&str; 6] = ["after", "into", "setelah", "sesudah", "после", "після"];

/// An act of a later coordinated clause with no time of its own is told at the time
/// of the clause before it ("…on Friday, and Israel struck southern Lebanon"): adds
/// to `dated` (times paired with acts) each act whose clause (`clauses`, by act) holds
/// no dated act, with the time of the nearest earlier clause's.
pub fn carry_to_later_clauses(dated: &mut Vec<(TimeExpr, usize)>, clauses: &[(usize, usize)]) {
    let carried: Vec<(TimeExpr, usize)> = (0..clauses.len())
        .filter(|&k| !dated.iter().any(|(_, j)| clauses[*j] == clauses[k]))
        .filter_map(|k| {
            dated
                .iter()
                .filter(|(_, j)| clauses[*j].1 <= clauses[k].0)
                .max_by_key(|(_, j)| clauses[*j].0)
                .map(|(t, _)| (t.clone(), k))
        })
        .collect();
    dated.extend(carried);
}

/// The date of an act anchored by an offset to `base`, the main clause's time: the
/// base moved by the offset, in the base's calendar unit when the offset counts in it
/// or a coarser one ("in 2016, two years after" → 2014; "in December 2021, 2 months
/// before" → February 2022), else the days moved with half a unit either side (the
/// count is a round one, as in [`ago_window`]); never past `reference`.
fn anchored_date(a: &Anchored, base: &EventDate, reference: Option<Date>) -> Option<EventDate> {
    let span = units(a.n, a.unit)?;
    let moved = |d: Date| {
        if a.after {
            d.checked_sub(span).ok()
        } else {
            d.checked_add(span).ok()
        }
    };
    let calendar = match base.precision {
        Precision::Year => a.unit == 'Y',
        Precision::Month => matches!(a.unit, 'Y' | 'M'),
        _ => false,
    };
    let date = if calendar {
        let start = moved(base.start)?;
        match base.precision {
            Precision::Year => EventDate::year(start.year())?,
            _ => EventDate::month(start.year(), start.month())?,
        }
    } else {
        let half = match a.unit {
            'Y' => jiff::Span::new().days(182),
            'M' => jiff::Span::new().days(15),
            'W' => jiff::Span::new().days(3),
            _ => jiff::Span::new(),
        };
        EventDate {
            start: moved(base.start)?.checked_sub(half).ok()?,
            end: moved(base.end)?.checked_add(half).ok()?,
            precision: Precision::Day,
        }
    };
    match reference {
        Some(p) if date.start > p => None,
        Some(p) if date.end > p => Some(EventDate {
            end: p,
            precision: Precision::Day,
            ..date
        }),
        _ => Some(date),
    }
}

fn distance(a: (usize, usize), b: (usize, usize)) -> usize {
    if a.1 <= b.0 {
        b.0 - a.1
    } else {
        a.0.saturating_sub(b.1)
    }
}

/// The times of `sentence` paired with the candidates they date: (time, index into
/// `candidates`), in the order of the candidates. A report's time, when it is the only
/// one, dates its acts as "on that day or the day before", inferred.
pub fn pair(
    sentence: &str,
    times: &[TimeExpr],
    durations: &[Timex3],
    candidates: &[Candidate],
    reference: Option<Date>,
    w: &DatingWords,
) -> Vec<(TimeExpr, usize)> {
    let anchored = anchored_offsets(sentence, durations, candidates, w);
    if candidates.is_empty() || (times.is_empty() && anchored.is_empty()) {
        return Vec::new();
    }
    // A report's time trails the act it reports ("…, Kan reported on Wednesday"); one
    // before the act ("said on Thursday that its forces had taken…") is the act's.
    let first_act = candidates.iter().map(|c| c.hit.end).min().unwrap_or(0);
    let roles: Vec<Role> = times
        .iter()
        .map(|t| match role(sentence, t, w) {
            Role::Report if t.start < first_act => Role::Act,
            r => r,
        })
        .collect();
    // "On March 3, two days after the start of the offensive": the offset restates
    // the day before it, and dates the act it is anchored to, counted back.
    let appositions: Vec<Option<(usize, TimeExpr)>> = times
        .iter()
        .map(|a| apposed_anchor(sentence, times, a, candidates, w))
        .collect();
    let mut usable: Vec<TimeExpr> = Vec::new();
    let mut modifiers: Vec<TimeExpr> = Vec::new();
    // The tagger's readings of anchored offsets, counted from the narrative's last
    // day: the main clause's time at best ("Two days after the strike, shelling hit
    // Kharkiv"), never the anchored act's, and no time at all past the report's day.
    let narrated = |t: &TimeExpr| anchored.iter().any(|a| a.start == t.start);
    for ((t, r), apposed) in times.iter().zip(&roles).zip(&appositions) {
        if apposed.is_some() {
            continue;
        }
        if narrated(t) && reference.is_some_and(|p| t.value.end > p) {
            continue;
        }
        match r {
            Role::Act => usable.push(t.clone()),
            Role::Modifier => modifiers.push(t.clone()),
            _ => {}
        }
    }
    if usable.is_empty() {
        if let Some(t) = times
            .iter()
            .zip(&roles)
            .find(|(_, r)| matches!(**r, Role::Report | Role::Source))
        {
            usable.extend(reported_by(t.0));
        } else {
            usable.extend(
                times
                    .iter()
                    .zip(&roles)
                    .filter(|(_, r)| **r == Role::Since)
                    .map(|(t, _)| t.clone()),
            );
        }
    }
    let mut out: Vec<(TimeExpr, usize)> = Vec::new();
    let mut taken = vec![false; candidates.len()];
    for (k, t) in appositions.into_iter().flatten() {
        if !taken[k] {
            taken[k] = true;
            out.push((t, k));
        }
    }
    // An act an offset is anchored to lies that offset from the main clause's time:
    // the nearest other time of its clause (no semicolon between), the lede's day or
    // the news's, else (an act not told before) the news's last two weeks, which then
    // are the main clause's too ("The blasts come a week after at least one person
    // was killed": the labelling guide's current news).
    let news = current_window(reference);
    let mut told_now = false;
    for a in &anchored {
        if taken[a.k] {
            continue;
        }
        let stated = usable
            .iter()
            .filter(|t| !narrated(t))
            .filter(|t| {
                t.start == t.end || {
                    let (x, y) = if t.end <= a.start {
                        (t.end, a.start)
                    } else {
                        (a.end, t.start)
                    };
                    sentence.get(x..y).is_some_and(|b| !b.contains([';', ':']))
                }
            })
            .min_by_key(|t| distance((t.start, t.end), (a.start, a.end)))
            .map(|t| t.value);
        let base = match stated {
            Some(b) => b,
            None if !a.definite => match news {
                Some(b) => {
                    told_now = true;
                    b
                }
                None => continue,
            },
            None => continue,
        };
        if let Some(value) = anchored_date(a, &base, reference) {
            taken[a.k] = true;
            out.push((
                TimeExpr {
                    start: a.start,
                    end: a.end,
                    value,
                    inferred: true,
                    relative: true,
                },
                a.k,
            ));
        }
    }
    if told_now {
        usable.retain(|t| !narrated(t));
        usable.extend(current_news_time(reference));
    }
    let anchored_to = |t: &TimeExpr, k: usize| narrated(t) && anchored.iter().any(|a| a.k == k);
    // A modifying year dates the noun right after it, and nothing else.
    for m in modifiers {
        if let Some(k) = candidates
            .iter()
            .position(|c| c.hit.start >= m.end && modifies(sentence, &m, c))
            && !taken[k]
        {
            taken[k] = true;
            out.push((m, k));
        }
    }
    // Each time with its nearest candidate in its own clause (fewest clause breaks
    // between them, then fewest bytes); the closest pairs decide first.
    let clauses: Vec<Option<(usize, usize)>> = candidates
        .iter()
        .map(|c| relative_clause(sentence, c, w))
        .collect();
    // A concessive word somewhere in the sentence first (one lower-casing), each
    // candidate's phrase only then.
    let conceding = !w.concessive.is_empty() && {
        let low = sentence.to_lowercase();
        w.concessive.iter().any(|p| low.contains(p.as_str()))
    };
    let concessives: Vec<Option<(usize, usize)>> = candidates
        .iter()
        .map(|c| conceding.then(|| concessive(sentence, c, w)).flatten())
        .collect();
    let mut best: Vec<((usize, usize), usize, usize)> = usable
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            candidates
                .iter()
                .enumerate()
                .filter(|(_, c)| !nominal(sentence, c, w) || attached(sentence, t, c, w))
                .filter(|(k, _)| !anchored_to(t, *k))
                // A lede's date (no words of its own) is the news the whole lede tells.
                .filter(|(k, _)| {
                    t.start == t.end || clauses[*k].is_none_or(|(a, b)| a <= t.start && t.end <= b)
                })
                // An act named in a concessive phrase takes only a time of that phrase.
                .filter(|(k, _)| {
                    concessives[*k]
                        .is_none_or(|(a, b)| t.start < t.end && a <= t.start && t.end <= b)
                })
                .map(|(k, c)| {
                    let (a, b) = (c.hit.start, c.hit.end);
                    let between = if b <= t.start {
                        &sentence[b..t.start]
                    } else if t.end <= a {
                        &sentence[t.end..a]
                    } else {
                        ""
                    };
                    let breaks = between.matches([',', ';', ':', '—']).count();
                    ((breaks, distance((a, b), (t.start, t.end))), k)
                })
                .min()
                .map(|(d, k)| (d, i, k))
        })
        .collect();
    best.sort();
    for (_, i, k) in best {
        if !taken[k] {
            taken[k] = true;
            out.push((usable[i].clone(), k));
        }
    }
    out.sort_by_key(|(_, k)| *k);
    for (t, k) in &mut out {
        *t = ago_window(sentence, t, reference, w);
        *t = recent_window(sentence, t, &candidates[*k], reference, w);
    }
    out
}

/// The days of a counted period that ends at the report ("in the last two months",
/// "over the past three years", "dalam dua bulan terakhir", "за последние два месяца",
/// "за останні два роки"): TimeML's DURATION anchored to the document's time, whose
/// end point is the report's day and whose start lies the count before it. The TIMEX3
/// value keeps the calendar units the period touches (2024-01..2024-03 for two months
/// told on 15 March, kept for `annotate`), which runs past the report and starts a
/// fortnight early; an act told in the period lies from the day the count reaches back
/// to (15 January) to the report's day. Only for months and years, with a word of
/// recency (`grammar.tsv` `recent`) in the expression; a calendar month or year ("in
/// March", "last year") is left as it is.
fn recent_window(
    sentence: &str,
    t: &TimeExpr,
    c: &Candidate,
    reference: Option<Date>,
    w: &DatingWords,
) -> TimeExpr {
    let unchanged = || t.clone();
    let Some(p) = reference else {
        return unchanged();
    };
    if w.recent.is_empty() || t.start >= t.end {
        return unchanged();
    }
    let Some(text) = sentence.get(t.start..t.end) else {
        return unchanged();
    };
    let own = words_back(text);
    if !own.iter().any(|x| w.recent.iter().any(|r| r == x)) {
        return unchanged();
    }
    let v = &t.value;
    let (n, unit, half) = match v.precision {
        Precision::Month
            if v.start.day() == 1 && v.end == p.last_of_month() && v.start < p.first_of_month() =>
        {
            let n = (i64::from(p.year()) * 12 + i64::from(p.month()))
                - (i64::from(v.start.year()) * 12 + i64::from(v.start.month()));
            (
                n,
                jiff::Span::new().try_months(n),
                jiff::Span::new().days(15),
            )
        }
        Precision::Year
            if v.start == v.start.first_of_year()
                && v.end == p.last_of_year()
                && v.start < p.first_of_year() =>
        {
            let n = i64::from(p.year()) - i64::from(v.start.year());
            (
                n,
                jiff::Span::new().try_years(n),
                jiff::Span::new().months(6),
            )
        }
        _ => return single_recent(t, &own, p),
    };
    let Some(back) = unit.ok().and_then(|s| p.checked_sub(s).ok()) else {
        return unchanged();
    };
    // "for the last eight years, since Russia captured Crimea": the act after "since"
    // is the period's onset, the count's day, not a happening inside the period.
    // The "since" opens what follows the period: its first word, past a comma.
    let onset = sentence.get(t.end..c.hit.start).is_some_and(|between| {
        let folded = fold(between);
        let rest = folded.trim_start_matches(|ch: char| ch == ',' || ch.is_whitespace());
        w.since.iter().any(|x| {
            rest.strip_prefix(x.as_str())
                .is_some_and(|r| r.starts_with(char::is_whitespace))
        })
    });
    let value = if onset {
        if v.precision == Precision::Year {
            let Some(y) = i16::try_from(i64::from(p.year()) - n)
                .ok()
                .and_then(EventDate::year)
            else {
                return unchanged();
            };
            y
        } else {
            let (Ok(a), Ok(b)) = (back.checked_sub(half), back.checked_add(half)) else {
                return unchanged();
            };
            EventDate {
                start: a,
                end: b.min(p),
                precision: Precision::Day,
            }
        }
    } else {
        // The count is a round one ("eight years" told in June of the ninth): half a
        // unit more lies inside it, as session 14's counted-back offsets allow.
        let Ok(a) = back.checked_sub(half) else {
            return unchanged();
        };
        EventDate {
            start: a,
            end: p,
            precision: Precision::Day,
        }
    };
    TimeExpr {
        value,
        inferred: true,
        ..t.clone()
    }
}

/// An English period of one unit that ends at the report ("over the past week",
/// "in the last month", "the past year"): the tagger gives it the calendar unit before
/// the report's (the value of "last week", which the labelling guide reads as the
/// previous Monday to Sunday), but with its article the phrase counts back from the
/// report's day: the unit up to that day. Other languages name it with a word the
/// tagger leaves as the news's time ("sepekan terakhir", "за последнюю неделю").
fn single_recent(t: &TimeExpr, own: &[String], p: Date) -> TimeExpr {
    let v = &t.value;
    let the = own.iter().any(|x| x == "the");
    let previous = match v.precision {
        Precision::Week => {
            (v.end - v.start).get_days() == 6
                && p.checked_sub(jiff::Span::new().days(7))
                    .is_ok_and(|d| EventDate::week_of(d).start == v.start)
        }
        Precision::Month => p
            .first_of_month()
            .checked_sub(jiff::Span::new().days(1))
            .is_ok_and(|d| v.start == d.first_of_month() && v.end == d),
        Precision::Year => {
            i32::from(v.start.year()) + 1 == i32::from(p.year())
                && v.start == v.start.first_of_year()
                && v.end == v.start.last_of_year()
        }
        _ => false,
    };
    let unit = match v.precision {
        Precision::Week => jiff::Span::new().days(7),
        Precision::Month => jiff::Span::new().months(1),
        _ => jiff::Span::new().years(1),
    };
    match p.checked_sub(unit) {
        Ok(start) if the && previous => TimeExpr {
            value: EventDate {
                start,
                end: p,
                precision: Precision::Day,
            },
            inferred: true,
            ..t.clone()
        },
        _ => t.clone(),
    }
}

/// The day `n` units of `precision` (months or weeks) before `p`, and the length of
/// one unit around it in days: half a unit each way.
fn units_back(p: Date, v: &EventDate) -> Option<(Date, jiff::Span, jiff::Span)> {
    match v.precision {
        Precision::Month if v.end == v.start.last_of_month() && v.start.day() == 1 => {
            let n = (i64::from(p.year()) * 12 + i64::from(p.month()))
                - (i64::from(v.start.year()) * 12 + i64::from(v.start.month()));
            let d = p.checked_sub(jiff::Span::new().try_months(n).ok()?).ok()?;
            (n > 0).then_some((d, jiff::Span::new().months(1), jiff::Span::new().days(15)))
        }
        Precision::Week if (v.end - v.start).get_days() == 6 => {
            let monday = EventDate::week_of(p).start;
            let n = (monday - v.start).get_days() / 7;
            let d = p
                .checked_sub(jiff::Span::new().try_days(7 * i64::from(n)).ok()?)
                .ok()?;
            (n > 0).then_some((d, jiff::Span::new().days(7), jiff::Span::new().days(3)))
        }
        _ => None,
    }
}

/// The days an act told "N months ago" or "N weeks ago" ("dua bulan lalu", "два
/// месяца назад", "три тижні тому") may lie in. The TIMEX3 value of such an offset
/// is the calendar month or week it falls in (TempEval's normalisation, kept for
/// `annotate`); but the count is a round one told from the report's day, so the act
/// lies around that day, not in its calendar unit: half a unit either side of it, or
/// the unit before it after "over", "more than" (`grammar.tsv` `ago_more`: "lebih
/// dari", "более", "понад"), the unit after it after "nearly" (`ago_less`) — the
/// labelling guide's "three weeks ago is the week around that day". Never past the
/// report's day. Years stay calendar years; anything else is left as it is.
fn ago_window(sentence: &str, t: &TimeExpr, reference: Option<Date>, w: &DatingWords) -> TimeExpr {
    let unchanged = || t.clone();
    let Some(p) = reference else {
        return unchanged();
    };
    if w.ago.is_empty() || t.start >= t.end || !t.relative {
        return unchanged();
    }
    let Some(text) = sentence.get(t.start..t.end) else {
        return unchanged();
    };
    let own = words_back(text);
    // A count before the unit: "two months ago", "a week ago", not "bulan lalu" (last
    // month), which names the calendar month.
    let counted = own
        .iter()
        .filter(|x| {
            !w.ago
                .iter()
                .any(|a| a.split(' ').any(|aw| aw == x.as_str()))
        })
        .count()
        >= 2;
    if !counted || !ends_with_phrase(&own, w.ago) {
        return unchanged();
    }
    let Some((d, unit, half)) = units_back(p, &t.value) else {
        return unchanged();
    };
    // The quantifier before the count: before the expression, or its own first words.
    let before = words_back(sentence.get(..t.start).unwrap_or(""));
    let lead: Vec<String> = own.iter().rev().take(3).cloned().collect();
    let says = |phrases: &[String]| {
        ends_with_phrase(&before, phrases)
            || (1..=lead.len()).any(|n| {
                let head: Vec<String> = lead[..n].iter().rev().cloned().collect();
                ends_with_phrase(&head, phrases)
            })
    };
    let span = if says(w.ago_more) {
        d.checked_sub(unit).ok().map(|a| (a, d))
    } else if says(w.ago_less) {
        d.checked_add(unit).ok().map(|b| (d, b))
    } else {
        d.checked_sub(half).ok().zip(d.checked_add(half).ok())
    };
    let Some((start, end)) = span else {
        return unchanged();
    };
    TimeExpr {
        value: EventDate {
            start,
            end: end.min(p),
            precision: Precision::Day,
        },
        inferred: true,
        ..t.clone()
    }
}

/// The date a report's time gives the act it reports: that day or the day before.
fn reported_by(t: &TimeExpr) -> Option<TimeExpr> {
    if t.value.precision != Precision::Day || t.value.start != t.value.end {
        return Some(t.clone());
    }
    Some(TimeExpr {
        value: EventDate {
            start: t.value.start.yesterday().ok()?,
            end: t.value.end,
            precision: Precision::Day,
        },
        inferred: true,
        ..t.clone()
    })
}

/// A news lede that states no date reports the news of its day: the first sentence,
/// when it names no time, happened on the publication day or the day before — and
/// that interval, not an invented day, is its date.
pub fn lede_date(published: Option<Date>) -> Option<TimeExpr> {
    let p = published?;
    Some(TimeExpr {
        start: 0,
        end: 0,
        value: EventDate {
            start: p.yesterday().ok()?,
            end: p,
            precision: Precision::Day,
        },
        inferred: true,
        relative: true,
    })
}

/// A lede dated by [`lede_date`] ("the publication day or the day before") tells the
/// news the body then dates: when a later act of the same type is dated one day of
/// that interval ("… on Sunday"), that day is the lede's too. `ledes` are the ids of
/// the events the lede made; each keeps its interval when nothing later names a day.
pub fn settle_ledes(events: &mut [Event], ledes: &[String], published: Option<Date>) {
    let Some(lede) = lede_date(published) else {
        return;
    };
    let (from, to) = (lede.value.start, lede.value.end);
    let stated: Vec<(String, Date)> = events
        .iter()
        .filter(|e| !ledes.contains(&e.id))
        .filter_map(|e| {
            let d = EventDate::from_fields(&e.date, e.end_date.as_deref(), e.date_precision)
                .ok()
                .as_ref()
                .and_then(anchor_of)?;
            (from <= d && d <= to).then(|| (e.event_type.clone(), d))
        })
        .collect();
    for e in events.iter_mut().filter(|e| ledes.contains(&e.id)) {
        let interval =
            e.date == from.to_string() && e.end_date.as_deref() == Some(to.to_string().as_str());
        if !interval {
            continue;
        }
        if let Some((_, d)) = stated.iter().find(|(t, _)| *t == e.event_type) {
            e.date = d.to_string();
            e.end_date = None;
        }
    }
}

/// Days back from publication that news told without a time may lie in: a report
/// of current events speaks of the last two weeks.
pub const CURRENT_NEWS_DAYS: i64 = 13;

/// How firm a trigger must be for its act, told without a time, to be dated as
/// current news: a phrase that names an act by itself, not a bare noun ("invasion").
const CURRENT_NEWS_WEIGHT: f64 = 0.8;

/// The PLOVER types of material acts of conflict: only these, told without a time,
/// are dated as current news (a statement without a time is commentary).
const MATERIAL: [&str; 7] = [
    "assault",
    "coerce",
    "protest",
    "concede",
    "cooperate",
    "retreat",
    "mobilize",
];

/// How many words before a trigger a word of background ("since", "after",
/// "sejak", "после") makes it a noun phrase of background, not news.
const BACKGROUND_REACH: usize = 4;

/// How many words before a trigger a demonstrative is its determiner ("this attack",
/// "this deadly attack").
const ANAPHOR_REACH: usize = 2;

/// How many words after a trigger a demonstrative that follows its noun ("serangan
/// udara itu") points back to an act already told.
const ANAPHOR_AFTER_REACH: usize = 2;

/// The date of an act a sentence tells without any time: a firm trigger told as news
/// (not "since the invasion", "after the attack", nor "this attack", "serangan itu":
/// an act the article has told already) happened in the two weeks up to the
/// publication day, inferred. `None` without a publication date or such a trigger.
pub fn current_news(
    sentence: &str,
    candidates: &[Candidate],
    published: Option<Date>,
    w: &DatingWords,
) -> Option<TimeExpr> {
    let p = published?;
    // The cheap tests first: each is a pure test of the candidate, so their order
    // changes only what is computed (the habitual adverbs, which read the whole
    // sentence, last).
    let news = candidates.iter().any(|c| {
        if !MATERIAL.contains(&c.plover)
            || c.trigger.weight < ASPECTUAL_WEIGHT.min(CURRENT_NEWS_WEIGHT)
        {
            return false;
        }
        // Only the last words are read (`news_reach`).
        let back = last_words_back(&sentence[..c.hit.start.min(sentence.len())], w.news_reach);
        let firm = c.trigger.weight >= CURRENT_NEWS_WEIGHT
            || (c.trigger.weight >= ASPECTUAL_WEIGHT
                && aspectual(sentence.get(c.hit.end..).unwrap_or(""), &back, w));
        if !firm {
            return false;
        }
        let near = &back[..back.len().min(BACKGROUND_REACH)];
        !(0..near.len()).any(|k| ends_with_phrase(&back[k..], w.background))
            && !(0..back.len().min(ANAPHOR_REACH)).any(|k| ends_with_phrase(&back[k..], w.anaphor))
            && !anaphor_follows(sentence.get(c.hit.end..).unwrap_or(""), w)
            && relative_clause(sentence, c, w).is_none()
            && concessive(sentence, c, w).is_none()
            && !habitual(sentence, c, w)
    });
    if !news {
        return None;
    }
    current_news_time(Some(p))
}

/// Whether an adverb of habit or frequency scopes over the act `c` of `sentence`:
/// anywhere before it (a main clause's "Russia is usually represented …, as the camp
/// was liberated by…"; "Frequently, … attacks"), or after it in its own clause
/// ("traitors are regularly arrested"), not in a later clause of its own ("protests
/// have erupted …, often spending…"). Such a sentence tells what recurs (TimeML's
/// SET, a quantified event), not one happening of the report's days.
fn habitual(sentence: &str, c: &Candidate, w: &DatingWords) -> bool {
    if w.habitual.is_empty() {
        return false;
    }
    let end = c.hit.end.min(sentence.len());
    let after = sentence.get(end..).unwrap_or("");
    let clause = after
        .find([',', ';', ':', '(', ')', '—', '–', '"', '“', '”'])
        .unwrap_or(after.len());
    let head = sentence.get(..c.hit.start.min(end)).unwrap_or("");
    [head, &after[..clause]].iter().any(|part| {
        let back = words_back(part);
        (0..back.len()).any(|k| ends_with_phrase(&back[k..], w.habitual))
    })
}

/// The days news told without a time may lie in: the two weeks up to `published`.
fn current_window(published: Option<Date>) -> Option<EventDate> {
    let p = published?;
    Some(EventDate {
        start: p
            .checked_sub(jiff::Span::new().days(CURRENT_NEWS_DAYS))
            .ok()?,
        end: p,
        precision: Precision::Day,
    })
}

/// [`current_window`] as the time of a sentence's acts (no words of its own).
fn current_news_time(published: Option<Date>) -> Option<TimeExpr> {
    Some(TimeExpr {
        start: 0,
        end: 0,
        value: current_window(published)?,
        inferred: true,
        relative: true,
    })
}

/// How many words before an act's trigger a word of the present may stand ("are now
/// shelling", "the most recent bombing").
const PRESENT_REACH: usize = 3;

/// The time an act told without one takes from the sentence right before it, in the
/// same paragraph, when that sentence dated an act of the same PLOVER type by a time
/// of its own words (`dated`: type and time): a narrative's reference time holds until
/// a sentence names another (TimeML's narrative anchoring; the tense of a sentence
/// without a time refers back to the last one told, as "…shelled Kharkiv on 3 March.
/// The city hall was hit by rockets." is the same day). The time keeps no span, as a
/// lede's date, so it dates the sentence's act wherever it stands. `None` when no act
/// of the sentence shares a type with a dated act before it.
pub fn narrative_time(
    sentence: &str,
    dated: &[(String, TimeExpr)],
    candidates: &[Candidate],
    w: &DatingWords,
) -> Option<TimeExpr> {
    // An act told in the present ("troops are shelling", "sedang menyerang", "the
    // most recent strikes") is of the report's time, not the narrative's.
    // An act told as a sequel ("then", "eventually", "kemudian", "затем") moves the
    // narrative on: it lies after that time, not at it.
    let continues = |c: &Candidate| {
        let back = words_back(sentence.get(..c.hit.start).unwrap_or(""));
        let present =
            (0..back.len().min(PRESENT_REACH)).any(|k| ends_with_phrase(&back[k..], w.present));
        let sequel = (0..back.len()).any(|k| ends_with_phrase(&back[k..], w.sequel));
        !present && !sequel && concessive(sentence, c, w).is_none()
    };
    let (_, t) = dated.iter().find(|(plover, _)| {
        MATERIAL.contains(&plover.as_str())
            && candidates
                .iter()
                .any(|c| c.plover == plover && continues(c))
    })?;
    Some(TimeExpr {
        start: 0,
        end: 0,
        inferred: true,
        relative: true,
        ..t.clone()
    })
}

/// How firm a noun of an act must be for an aspectual verb around it to tell it as
/// news ("stepped up its offensive": "offensive" alone names no happening).
const ASPECTUAL_WEIGHT: f64 = 0.6;

/// How many words an aspectual verb may stand from the act's noun ("pursue their
/// difficult counteroffensive", "the counteroffensive is under way").
const ASPECTUAL_REACH: usize = 3;

/// Whether an aspectual verb (`grammar.tsv` `aspectual`: continue, resume, step up,
/// pursue, under way; TimeML's ASPECTUAL events) governs the act's noun — within a
/// few words before it (`back`, last word first) or after it (`after`): the act is
/// told as going on at the time of the report ("Ukrainian forces pursue their
/// counteroffensive", "Russia stepped up its offensive", "the counteroffensive is
/// under way").
fn aspectual(after: &str, back: &[String], w: &DatingWords) -> bool {
    if w.aspectual.is_empty() {
        return false;
    }
    // An aspectual right after "to" is an infinitive of what may come ("vowed to
    // continue attacks"), not an act going on ("due to the ongoing attacks" is).
    // The phrase's words are read in place, last first, not collected per phrase.
    let governs = |k: usize, p: &String| {
        let matches_at = |s: usize| {
            p.rsplit(' ')
                .enumerate()
                .all(|(i, w)| back.get(s + i).is_some_and(|a| a == w))
        };
        // Where the phrase ends: at `k`, or one further when an "on" stands between
        // it and the noun.
        let at = if matches_at(k) {
            k
        } else if ends_with_phrase(&back[k..], std::slice::from_ref(p)) {
            k + 1
        } else {
            return false;
        };
        back.get(at + p.split(' ').count())
            .is_none_or(|b| b != "to")
    };
    if (0..back.len().min(ASPECTUAL_REACH)).any(|k| w.aspectual.iter().any(|p| governs(k, p))) {
        return true;
    }
    let head = after
        .char_indices()
        .nth(60)
        .map_or(after, |(i, _)| &after[..i]);
    // The first `n` words after the noun, last first, are the last `n` of the words
    // read back from the end of `head`.
    let ahead = words_back(head);
    (1..=ahead.len().min(ASPECTUAL_REACH + 1))
        .any(|n| ends_with_phrase(&ahead[ahead.len() - n..], w.aspectual))
}

/// Whether a demonstrative of `anaphor_after` is among the first words of `after`
/// ("serangan udara itu"); only the first words are folded.
fn anaphor_follows(after: &str, w: &DatingWords) -> bool {
    if w.anaphor_after.is_empty() {
        return false;
    }
    // Two words and their spaces are within the first few dozen characters.
    let head = after
        .char_indices()
        .nth(48)
        .map_or(after, |(i, _)| &after[..i]);
    fold(head)
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .take(ANAPHOR_AFTER_REACH)
        .any(|a| w.anaphor_after.iter().any(|x| x == a))
}

/// The first day a text's lede (its first sentences) states in full — day, month
/// and year, not relative — if any.
pub fn lede_reference(timex: &TimeTagger, text: &str, language: &str) -> Option<Date> {
    /// How many sentences count as the lede (a page's title often opens the text).
    const LEDE: usize = 3;
    let mut ctx = TimeContext::new(None);
    for span in sentences::split(text, language).iter().take(LEDE) {
        let end = bounds::sentence_end(text, span.start, span.end);
        let s = text.get(span.start..end)?;
        if let Some(t) = timex.tag(language, s, &mut ctx).iter().find(|t| {
            t.value.precision == Precision::Day
                && t.value.start == t.value.end
                && !t.inferred
                && !t.relative
        }) {
            return Some(t.value.start);
        }
    }
    // No full date: an Indonesian dateline's weekday and day/month ("Kamis (5/10)")
    // name one day of the last years, the latest such day up to today.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    sentences::split(text, language)
        .iter()
        .take(LEDE)
        .find_map(|span| weekday_dateline(timex, language, text.get(span.start..span.end)?, today))
}

/// How many years back a weekday dateline without a year is looked up: the same
/// day falls on the same weekday again within 11 years.
const DATELINE_YEARS: i16 = 11;

/// The day a dateline of a weekday and a day/month without a year names ("Kamis
/// (5/10)", "Selasa (1/3)"): the latest day on or before `today` with that day,
/// month and weekday. `None` when `s` has no such dateline or it names no real day.
pub fn weekday_dateline(timex: &TimeTagger, lang: &str, s: &str, today: Date) -> Option<Date> {
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        let before = rest.get(..open)?.trim_end().trim_end_matches(',');
        let after = rest.get(open + 1..)?;
        rest = after;
        let Some(weekday) = before
            .rsplit(|c: char| !c.is_alphanumeric() && c != '\'')
            .next()
            .and_then(|w| timex.weekday_of(lang, w))
        else {
            continue;
        };
        let Some(inside) = after.split(')').next().filter(|_| after.contains(')')) else {
            continue;
        };
        let mut parts = inside.trim().split('/');
        let (Some(d), Some(m), None) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(d), Ok(m)) = (d.parse::<i8>(), m.parse::<i8>()) else {
            continue;
        };
        return (0..DATELINE_YEARS).find_map(|back| {
            let day = Date::new(today.year().checked_sub(back)?, m, d).ok()?;
            (day <= today && day.weekday().to_monday_one_offset() == weekday).then_some(day)
        });
    }
    None
}

/// How an article's sentences are dated, in text order: every sentence goes through
/// the time tagger, which keeps context; narrative anchors count from the last event
/// dated to one day; a lede that states no date reports the news of its day; an act
/// told without a time is current news, or the narrative's time right after a
/// sentence that dated an act of its type; and the ledes' events are settled against
/// what the body dates at the end ([`Narrative::settle`]).
pub struct Narrative<'a> {
    timex: &'a TimeTagger,
    language: &'a str,
    words: DatingWords<'a>,
    /// The text is a list of headlines, in which every headline is a lede.
    headlines: bool,
    /// The publication date, or the lede's stated day standing for it.
    reference: Option<Date>,
    ctx: TimeContext,
    /// The day of the last event dated to one day.
    event_anchor: Option<Date>,
    /// The last sentence that dated acts by a time of its own words: its number, and
    /// each such act's PLOVER type with its time (for [`narrative_time`]).
    told_before: Option<(usize, Vec<(String, TimeExpr)>)>,
    /// The events of a lede dated only as the news of its day.
    ledes: Vec<String>,
}

/// A sentence's times as [`Narrative::times`] read them.
pub struct SentenceTimes {
    pub times: Vec<TimeExpr>,
    /// Its TIMEX3 notes, read when it has an act and a verb of lasting or a signal of
    /// duration: the durations give an act's onset and anchor acts to each other ("a
    /// week after … was killed").
    durations: Vec<Timex3>,
    /// The sentence has an act and a verb of lasting.
    lasting: bool,
    /// The sentence is a lede dated as the news of its day.
    lede_dated: bool,
}

impl SentenceTimes {
    /// Whether nothing dates the sentence's acts: no time, no verb of lasting and no
    /// duration that anchors them.
    pub fn date_nothing(&self) -> bool {
        let anchoring = self.durations.iter().any(|d| d.kind == TimexType::Duration);
        self.times.is_empty() && !self.lasting && !anchoring
    }
}

impl<'a> Narrative<'a> {
    /// The narrative of `text` in `language`, read against `reference`: the
    /// publication date or, without one, the day the lede states ([`lede_reference`]:
    /// a news lede states the day of its report, "kata militer Ukraina pada Kamis,
    /// 19 Oktober 2023", "Selasa (1/3/2022)"). It stands for the publication date
    /// throughout: relative times, the lede's news and the acts told without a time
    /// are read against it (TimeML's document creation time, which the report's
    /// stated day estimates).
    pub fn new(
        (timex, kb): (&'a TimeTagger, &'a Knowledge),
        language: &'a str,
        reference: Option<Date>,
        headlines: bool,
    ) -> Self {
        Narrative {
            timex,
            language,
            words: DatingWords::of(kb, language),
            headlines,
            reference,
            ctx: TimeContext::new(reference),
            event_anchor: None,
            told_before: None,
            ledes: Vec::new(),
        }
    }

    /// The times of sentence `i` (`s`, which begins a line when `line_start`), whose
    /// event candidates are `candidates`; the time tagger notes them in `trace`.
    pub fn times(
        &mut self,
        i: usize,
        s: &str,
        line_start: bool,
        candidates: &[Candidate],
        mut trace: Option<&mut Trace>,
    ) -> SentenceTimes {
        let (timex, language, reference) = (self.timex, self.language, self.reference);
        let w = &self.words;
        let ctx = &mut self.ctx;
        // Narrative anchors count from the last dated event, once there is one.
        if self.event_anchor.is_some() {
            ctx.anchor = self.event_anchor;
        }
        // Every sentence goes through the time tagger, in order: it keeps context.
        // A sentence with an act and a verb of lasting keeps its durations (TIMEX3
        // notes) for the act's onset; the trace, when there is one, gets them too.
        // Durations also anchor acts to each other ("a week after … was killed").
        let (lasting, reads_durations) = if candidates.is_empty() {
            (false, false)
        } else {
            let cues = duration_cues(s, w);
            (cues.lasting, cues.lasting || cues.signalled)
        };
        let mut durations = Vec::new();
        let mut times = match trace.as_deref_mut().and_then(|t| t.times(i)) {
            Some(notes) => {
                let from = notes.len();
                let times = timex.tag_noted(language, s, ctx, Some(notes));
                if reads_durations {
                    durations.extend_from_slice(&notes[from..]);
                }
                times
            }
            None if reads_durations => timex.tag_noted(language, s, ctx, Some(&mut durations)),
            None => timex.tag(language, s, ctx),
        };
        // A time made an adjective ("the pre-February 24 lines") dates nothing.
        times.retain(|t| !adjectival(s, t));
        // The lede, and in a list of headlines every headline, reports the news
        // of its day.
        let lede = i == 0 || (self.headlines && line_start);
        let lede_dated = times.is_empty() && lede;
        if lede_dated {
            times.extend(lede_date(reference));
            if let Some(t) = trace.filter(|_| !times.is_empty()) {
                t.lede_dated(i);
            }
        }
        // An act told without a time, in a dated article, is news of its last days;
        // right after a sentence that dated an act of its type, in the same
        // paragraph, it is told at that sentence's time (the narrative's).
        if times.is_empty() {
            let news = current_news(s, candidates, reference, w);
            let continued = match &self.told_before {
                Some((j, dated)) if news.is_some() && j + 1 == i && !line_start => {
                    narrative_time(s, dated, candidates, w)
                }
                _ => None,
            };
            times.extend(continued.or(news));
        }
        SentenceTimes {
            times,
            durations,
            lasting,
            lede_dated,
        }
    }

    /// Each of `acts`, sentence `i`'s (`s`, with `times`), with its own clause's time
    /// ([`pair`]); an act said to have gone on for a stated time began that long ago,
    /// and its onset is an event of its own ([`onset`]). Pairs of a time and an index
    /// of `acts`. The acts dated by a time of the sentence's words are what the next
    /// sentence's undated acts of their type continue.
    pub fn date_acts(
        &mut self,
        i: usize,
        s: &str,
        times: &SentenceTimes,
        acts: &[Candidate],
    ) -> Vec<(TimeExpr, usize)> {
        let (reference, w) = (self.reference, &self.words);
        let mut paired = pair(s, &times.times, &times.durations, acts, reference, w);
        if times.lasting {
            for (k, c) in acts.iter().enumerate() {
                if let Some(t) = onset(s, c, &times.durations, reference, w) {
                    paired.push((t, k));
                }
            }
        }
        let dated_here: Vec<(String, TimeExpr)> = paired
            .iter()
            .filter(|(time, _)| time.start < time.end)
            .map(|(time, k)| (acts[*k].plover.to_string(), time.clone()))
            .collect();
        if !dated_here.is_empty() {
            self.told_before = Some((i, dated_here));
        }
        paired
    }

    /// Notes an event made: one dated to a single day anchors the narrative from the
    /// next sentence on.
    pub fn made(&mut self, ev: &Event) {
        if let Some(d) = EventDate::of_event(ev).as_ref().and_then(anchor_of) {
            self.event_anchor = Some(d);
        }
    }

    /// Notes the event `id`, new to the article, of a sentence with `times`: a lede's
    /// (not in a list of headlines) dated only as the news of its day is settled at
    /// the end.
    pub fn new_event(&mut self, times: &SentenceTimes, id: String) {
        if times.lede_dated && !self.headlines {
            self.ledes.push(id);
        }
    }

    /// The ledes' events take the day the body dates ([`settle_ledes`]).
    pub fn settle(&self, events: &mut [Event]) {
        settle_ledes(events, &self.ledes, self.reference);
    }
}

/// The day an event dated `d` anchors the narrative to, if it names one day.
pub fn anchor_of(d: &EventDate) -> Option<Date> {
    (d.precision == Precision::Day && d.start == d.end).then_some(d.start)
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;
    use crate::pipeline::Extractor;
    use crate::pipeline::events::ArticleInput;

    /// The aspectual test reading its phrases in place answers as the one that
    /// collected each phrase's words and the words after the noun, for every cut of
    /// sentences in four languages (each with aspectual words) into a part before the
    /// noun and a part after it.
    #[test]
    fn aspectual_read_in_place_answers_as_with_collected_words() {
        fn plain(after: &str, back: &[String], w: &super::DatingWords) -> bool {
            if w.aspectual.is_empty() {
                return false;
            }
            let governs = |k: usize, p: &String| {
                let words: Vec<&str> = p.rsplit(' ').collect();
                let matches_at = |s: usize| {
                    words
                        .iter()
                        .enumerate()
                        .all(|(i, w)| back.get(s + i).is_some_and(|a| a == w))
                };
                let at = if matches_at(k) {
                    k
                } else if super::ends_with_phrase(&back[k..], std::slice::from_ref(p)) {
                    k + 1
                } else {
                    return false;
                };
                back.get(at + words.len()).is_none_or(|b| b != "to")
            };
            if (0..back.len().min(super::ASPECTUAL_REACH))
                .any(|k| w.aspectual.iter().any(|p| governs(k, p)))
            {
                return true;
            }
            let head = after
                .char_indices()
                .nth(60)
                .map_or(after, |(i, _)| &after[..i]);
            let ahead: Vec<String> = super::words_back(head).into_iter().rev().collect();
            (1..=ahead.len().min(super::ASPECTUAL_REACH + 1)).any(|n| {
                let upto: Vec<String> = ahead[..n].iter().rev().cloned().collect();
                super::ends_with_phrase(&upto, w.aspectual)
            })
        }
        let kb = Knowledge::embedded();
        let (mut checked, mut yes) = (0, 0);
        for lang in ["en", "id", "ru", "uk"] {
            let w = super::DatingWords::of(&kb, lang);
            // The language's own aspectual phrases around a noun, then a plain clause.
            let mut texts: Vec<String> = w
                .aspectual
                .iter()
                .map(|p| format!("forces {p} on the offensive, and to {p} attacks under way"))
                .collect();
            texts.push("Troops continued to shell the town as the counteroffensive is under way on Monday.".into());
            texts.push(
                "Pasukan terus melanjutkan serangan yang sedang berlangsung di kota itu.".into(),
            );
            texts.push("Войска продолжили наступление, которое идёт уже неделю.".into());
            texts.push("Війська продовжили наступ, який триває вже тиждень.".into());
            for text in &texts {
                for (i, _) in text.char_indices() {
                    let (before, after) = text.split_at(i);
                    let back = super::words_back(before);
                    let fast = super::aspectual(after, &back, &w);
                    assert_eq!(
                        fast,
                        plain(after, &back, &w),
                        "{lang}: {before:?} | {after:?}"
                    );
                    checked += 1;
                    yes += usize::from(fast);
                }
            }
        }
        assert!(
            checked > 1000 && yes > 100,
            "{checked} cuts, {yes} aspectual"
        );
    }

    /// The last words of a text folded from its end alone are the last words of the
    /// whole fold, on every prefix of sentences in four languages (odd white space,
    /// quotes, dashes, accents, digits and a combining mark) and for every count.
    #[test]
    fn last_words_read_from_the_end_are_the_whole_fold_s_last_words() {
        let texts = [
            "  Officials said on Tuesday \u{2014} “not before” \t\n the 24-Feb strike, which began two days ago, was reported…",
            "Menurut laporan pada hari Senin (1/3/2022) , serangan itu terjadi sejak pekan lalu ; warga-warga mengungsi",
            "Как сообщили в понедельник, удар «Искандером» был нанесён несколько дней назад в  Харькове",
            "Як повідомили у вівторок, обстріл почався кілька днів тому у Львові — і т. ін.",
            "Café déjà vu ͅ x \u{00a0} ʼ ` ’ - -- 12,000 ²",
            "",
            " ",
        ];
        let mut checked = 0;
        for text in texts {
            for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let s = &text[..i];
                let all = super::words_back(s);
                for n in 0..14 {
                    assert_eq!(
                        super::last_words_back(s, n),
                        all[..n.min(all.len())],
                        "{s:?}, {n}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 3000, "{checked}");
    }

    /// A dateline of a weekday and a day/month without a year names the latest such
    /// day up to today; a weekday that does not fit, an impossible day or no weekday
    /// before the brackets name none.
    #[test]
    fn weekday_datelines_without_a_year_take_the_latest_matching_day() {
        use jiff::civil::date;
        let kb = Knowledge::embedded();
        let t = super::TimeTagger::new(&kb);
        let today = date(2026, 12, 8);
        let at = |s: &str| super::weekday_dateline(&t, "id", s, today);
        // 5 October fell on a Thursday in 2023 (and 2017); 1 March on a Tuesday in 2022.
        assert_eq!(
            at("Jakarta, Kamis (5/10). Serangan drone"),
            Some(date(2023, 10, 5))
        );
        assert_eq!(
            at("Pasukan menyerang kota itu, Selasa (1/3)."),
            Some(date(2022, 3, 1))
        );
        assert_eq!(at("Jum'at (3/11) malam"), Some(date(2023, 11, 3)));
        // This year's day when it has passed; never a day after today.
        assert_eq!(at("Senin (7/12)"), Some(date(2026, 12, 7)));
        assert_eq!(at("Rabu (9/12)"), Some(date(2020, 12, 9)));
        assert_eq!(
            super::weekday_dateline(&t, "id", "Rabu (9/12)", date(2026, 12, 9)),
            Some(date(2026, 12, 9))
        );
        assert_eq!(
            super::weekday_dateline(&t, "en", "Tuesday (1/3)", today),
            Some(date(2022, 3, 1))
        );
        for none in [
            "Kota itu (5/10) diserang",
            "Kamis (31/2)",
            "Kamis (5/10/2023)",
            "Kamis (5)",
            "Kamis (",
            "Kamis (5/",
            "(5/10) Kamis",
            "",
        ] {
            assert_eq!(at(none), None, "{none}");
        }
    }

    /// The phrase test with its last word compared in place answers as the plain
    /// word-by-word comparison does, for every phrase of every language's dating
    /// words against word lists cut from sentences in four languages.
    #[test]
    fn phrase_ends_answer_as_the_word_by_word_comparison() {
        fn plain(back: &[String], phrases: &[String]) -> bool {
            let skip = back
                .first()
                .is_some_and(|w| ["on", "pada", "в", "во", "у"].contains(&w.as_str()));
            let at = |p: &str, k: usize| {
                p.rsplit(' ')
                    .enumerate()
                    .all(|(i, w)| back.get(k + i).is_some_and(|a| a == w))
            };
            phrases.iter().any(|p| at(p, 0) || (skip && at(p, 1)))
        }
        let kb = Knowledge::embedded();
        let texts = [
            "Officials said on Tuesday that the strike began two days ago and was reported",
            "Menurut laporan pada hari Senin serangan itu terjadi sejak pekan lalu",
            "Как сообщили в понедельник, удар был нанесен несколько дней назад в",
            "Як повідомили у вівторок, обстріл почався кілька днів тому у",
            "the war that began in 2014 , and a year ago on",
        ];
        let (mut checked, mut hits) = (0, 0);
        for lang in ["en", "id", "ru", "uk"] {
            let w = super::DatingWords::of(&kb, lang);
            let lists = [
                w.report,
                w.since,
                w.source,
                w.background,
                w.anaphor,
                w.present,
                w.sequel,
            ];
            for text in texts {
                let back = super::words_back(text);
                for k in 0..back.len() {
                    for phrases in lists {
                        let found = super::ends_with_phrase(&back[k..], phrases);
                        assert_eq!(
                            found,
                            plain(&back[k..], phrases),
                            "{lang}: {:?}",
                            &back[k..]
                        );
                        checked += 1;
                        hits += usize::from(found);
                    }
                }
            }
        }
        assert!(
            checked > 500 && hits > 10,
            "{checked} checked, {hits} found"
        );
    }

    /// The events of `text` in `lang`, published on 2022-04-25.
    fn events_in(lang: &str, text: &str) -> Vec<crate::domain::Event> {
        let x = Extractor::new(Knowledge::embedded());
        x.extract(&ArticleInput {
            published: Some(jiff::civil::date(2022, 4, 25)),
            language: Some(lang.into()),
            text: text.into(),
            ..Default::default()
        })
        .unwrap()
        .events
    }

    /// (date, end date, type, countries) of each event of an English text published
    /// on 2022-04-25.
    fn dated(text: &str) -> Vec<(String, Option<String>, String, Vec<String>)> {
        events_in("en", text)
            .into_iter()
            .map(|e| (e.date, e.end_date, e.event_type, e.countries))
            .collect()
    }

    #[test]
    fn an_act_under_an_adverb_of_habit_is_no_news_of_the_report_s_days() {
        // (language, lede, the act told once, the act told as what recurs)
        for (lang, lede, once, habit) in [
            (
                "en",
                "The weather was mild.",
                "Activists were arrested in Kharkiv.",
                "Activists are regularly arrested in Kharkiv.",
            ),
            (
                "id",
                "Cuaca cerah.",
                "Aktivis ditangkap di Kharkiv.",
                "Aktivis sering ditangkap di Kharkiv.",
            ),
            (
                "ru",
                "Погода была тёплой.",
                "Полиция задержала активистов в Харькове.",
                "Полиция, как обычно, задержала активистов в Харькове.",
            ),
            (
                "uk",
                "Погода була теплою.",
                "Поліція затримала активістів у Харкові.",
                "Поліція, як завжди, затримала активістів у Харкові.",
            ),
        ] {
            let news = |s: &str| {
                events_in(lang, &format!("{lede}\n{s}"))
                    .into_iter()
                    .filter(|e| e.event_type == "coerce" && e.date == "2022-04-12")
                    .count()
            };
            assert_eq!(news(once), 1, "{lang}: {once}");
            assert_eq!(news(habit), 0, "{lang}: {habit}");
        }
        // An adverb in a later clause of its own does not reach back to the act.
        let got = events_in(
            "en",
            "The weather was mild.\nActivists were arrested in Kharkiv, often without charge.",
        );
        assert!(got.iter().any(|e| e.event_type == "coerce"), "{got:?}");
    }

    #[test]
    fn that_after_a_noun_of_forces_opens_a_relative_clause_whose_act_is_no_news() {
        let news = |s: &str| {
            events_in("en", &format!("The weather was mild.\n{s}"))
                .into_iter()
                .filter(|e| e.event_type == "assault")
                .count()
        };
        assert_eq!(news("The soldiers shelled Kharkiv."), 1);
        assert_eq!(news("The soldiers that shelled Kharkiv were decorated."), 0);
        // After a verb, "that" opens a complement: the act is told.
        assert_eq!(news("Officials said that soldiers shelled Kharkiv."), 1);
    }

    #[test]
    fn a_time_in_the_genitive_dates_only_the_noun_it_determines() {
        // "Sunday's … strike": the strike's own time.
        let got = dated("Sunday's deadly missile strike on Kharkiv killed three civilians.");
        assert!(
            got.iter()
                .any(|(d, e, t, _)| d == "2022-04-24" && e.is_none() && t == "assault"),
            "{got:?}"
        );
        // "this year's report": a time of the report, not of the shelling counted in it.
        let got = dated(
            "The lede is here.\nCharities counted the shelling of villages in this year's annual report on Donbas.",
        );
        assert!(got.iter().all(|(d, ..)| d != "2022"), "{got:?}");
    }

    #[test]
    fn an_offset_in_apposition_to_a_day_dates_the_act_it_is_anchored_to() {
        let lede = |lang: &str| match lang {
            "en" => "The weather was mild in Geneva.",
            "uk" => "У Женеві було тепло.",
            _ => "В Женеве было тепло.",
        };
        for (lang, s, want) in [
            (
                "en",
                "At the latest on March 3, two days after the start of the Russian offensive, the mayor fled to Lviv.",
                "2022-03-01",
            ),
            (
                "en",
                "On March 3, two days before the Russian offensive, the mayor fled to Lviv.",
                "2022-03-05",
            ),
            (
                "ru",
                "3 марта, через два дня после начала российского наступления, мэр бежал во Львов.",
                "2022-03-01",
            ),
            (
                "uk",
                "3 березня, через два дні після початку російського наступу, мер утік до Львова.",
                "2022-03-01",
            ),
        ] {
            let got = events_in(lang, &format!("{}\n{s}", lede(lang)));
            assert!(
                got.iter()
                    .any(|e| e.event_type == "assault" && e.date == want && e.end_date.is_none()),
                "{s}: {got:#?}"
            );
        }
        // Not in apposition, the offset counts from the narrative's last day as before.
        let got = dated(
            "The weather was mild in Geneva.\nRussian missiles struck Kyiv on March 1. Two days after the strike, Russian shelling hit Kharkiv.",
        );
        assert!(got.iter().any(|(d, ..)| d == "2022-03-03"), "{got:?}");
    }

    #[test]
    fn the_day_of_a_cited_source_dates_no_act_of_its_own() {
        let lede = "Cuaca di Jenewa cerah.";
        // The source's day alone: the act is of that day or the one before.
        let got = events_in(
            "id",
            &format!(
                "{lede}\nDilansir Reuters, Senin (25/4/2022), pasukan Rusia menyerang Kharkiv."
            ),
        );
        let a: Vec<_> = got.iter().filter(|e| e.event_type == "assault").collect();
        assert_eq!(a.len(), 1, "{got:#?}");
        assert_eq!(a[0].date, "2022-04-24");
        assert_eq!(a[0].end_date.as_deref(), Some("2022-04-25"));
        // The act's own day wins over the source's.
        let got = events_in(
            "id",
            &format!(
                "{lede}\nSeperti dikutip AP dan CNN, Senin (25/4/2022), pasukan Rusia menyerang Kharkiv pada Sabtu (23/4/2022)."
            ),
        );
        assert!(
            got.iter().any(|e| e.event_type == "assault"
                && e.date == "2022-04-23"
                && e.end_date.is_none()),
            "{got:#?}"
        );
        // A time after a comma with no verb of citing before it stays the act's.
        let got = events_in(
            "id",
            &format!("{lede}\nDi Kharkiv, Senin (25/4/2022), pasukan Rusia menyerang kota itu."),
        );
        assert!(
            got.iter().any(|e| e.event_type == "assault"
                && e.date == "2022-04-25"
                && e.end_date.is_none()),
            "{got:#?}"
        );
    }

    #[test]
    fn an_act_in_a_relative_clause_takes_no_time_of_the_main_clause() {
        for (lang, relative, main) in [
            (
                "en",
                "In March, the council renamed a street after soldiers who fought near Izium.",
                "In March, soldiers fought near Izium.",
            ),
            (
                "ru",
                "В марте совет назвал улицу в честь солдат, которые обстреливали позиции под Изюмом.",
                "В марте солдаты обстреливали позиции под Изюмом.",
            ),
            (
                "uk",
                "У березні рада назвала вулицю на честь солдатів, які обстрілювали позиції під Ізюмом.",
                "У березні солдати обстрілювали позиції під Ізюмом.",
            ),
        ] {
            let got = events_in(lang, &format!("{}\n{relative}", mild(lang)));
            assert!(
                got.iter().all(|e| e.event_type != "assault"),
                "{relative}: {got:#?}"
            );
            let got = events_in(lang, &format!("{}\n{main}", mild(lang)));
            assert!(
                got.iter()
                    .any(|e| e.event_type == "assault" && e.date == "2022-03"),
                "{main}: {got:#?}"
            );
        }
        // The clause's own time dates it.
        let got = dated(
            "The weather was mild in Geneva.\nVolunteers rebuilt the school, which Russian troops shelled on April 3.",
        );
        assert!(got.iter().any(|(d, ..)| d == "2022-04-03"), "{got:?}");
    }

    #[test]
    fn an_act_told_without_a_time_is_news_of_the_last_two_weeks() {
        let lede = "The weather was mild in Geneva.";
        let got = dated(&format!(
            "{lede}\nRussian troops shelled Ukrainian positions near the border."
        ));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "2022-04-12");
        assert_eq!(got[0].1.as_deref(), Some("2022-04-25"));
        // Background ("since the invasion"), statements and generic acts are no news.
        for s in [
            "Prices have risen since the full-scale invasion of Ukraine.",
            "Ukraine accused Russia of lying.",
            "Belarus will respond to any military aggression against the country.",
        ] {
            let got = dated(&format!("{lede}\n{s}"));
            assert!(got.is_empty(), "{s}: {got:?}");
        }
    }

    #[test]
    fn an_act_s_noun_told_as_going_on_is_news_of_the_last_two_weeks() {
        for (lang, going_on, bare) in [
            (
                "en",
                "Russian troops stepped up their offensive near Izium.",
                "Russian troops spoke of their offensive near Izium.",
            ),
            (
                "en",
                "Ukrainian forces pursue their difficult counteroffensive near Izium.",
                "Ukrainian forces trained to pursue their counteroffensive near Izium.",
            ),
            (
                "en",
                "A large Russian offensive is under way near Izium.",
                "A large Russian offensive near Izium was discussed.",
            ),
            (
                "id",
                "Pasukan Rusia melanjutkan serangan di dekat Izium.",
                "Pasukan Rusia membahas serangan di dekat Izium.",
            ),
            (
                "ru",
                "Российские войска продолжают наступление под Изюмом.",
                "Российские войска обсуждают наступление под Изюмом.",
            ),
        ] {
            let got = events_in(lang, &format!("{}\n{going_on}", mild(lang)));
            assert!(
                got.iter().any(|e| e.event_type == "assault"
                    && e.date == "2022-04-12"
                    && e.end_date.as_deref() == Some("2022-04-25")),
                "{lang} {going_on}: {got:?}"
            );
            let got = events_in(lang, &format!("{}\n{bare}", mild(lang)));
            assert!(
                !got.iter().any(|e| e.event_type == "assault"),
                "{lang} {bare}: {got:?}"
            );
        }
    }

    /// (date, type) of each event of `text` in `lang`, published on 2022-04-25.
    fn dated_in(lang: &str, text: &str) -> Vec<(String, String)> {
        events_in(lang, text)
            .into_iter()
            .map(|e| (e.date, e.event_type))
            .collect()
    }

    #[test]
    fn an_act_pointed_back_to_by_a_demonstrative_is_no_new_news() {
        // The dated act, then the same act again with a demonstrative and no time: one
        // event, not a second one dated as current news. Without the demonstrative the
        // second sentence is an act of its own.
        for (lang, first, again, fresh) in [
            (
                "en",
                "Russian troops shelled Kharkiv on 20 April 2022.",
                "This shelling destroyed two schools.",
                "Russian troops shelled Izium, destroying two schools.",
            ),
            (
                "id",
                "Pasukan Rusia mengebom Kharkiv pada 20 April 2022.",
                "Serangan udara itu menghancurkan dua sekolah.",
                "Pasukan Rusia mengebom Izium dan menghancurkan dua sekolah.",
            ),
            (
                "ru",
                "Российские войска обстреляли Харьков 20 апреля 2022 года.",
                "Этот обстрел разрушил две школы.",
                "Российские войска обстреляли Изюм и разрушили две школы.",
            ),
            (
                "uk",
                "Російські війська обстріляли Харків 20 квітня 2022 року.",
                "Цей обстріл зруйнував дві школи.",
                "Російські війська обстріляли Ізюм і зруйнували дві школи.",
            ),
        ] {
            let once = dated_in(lang, &format!("{first}\n{again}"));
            assert_eq!(once.len(), 1, "{lang}: {once:?}");
            assert_eq!(once[0].0, "2022-04-20", "{lang}");
            let twice = dated_in(lang, &format!("{first}\n{fresh}"));
            assert_eq!(twice.len(), 2, "{lang}: {twice:?}");
        }
    }

    #[test]
    fn a_lede_told_without_a_time_takes_the_day_the_body_names() {
        // Published on a Monday: the lede is the news of Sunday or Monday; the body
        // dates the strikes Sunday, and that is the lede's day.
        let got =
            dated("Russian missiles struck Kharkiv.\nOn Sunday, Russian missiles struck Kyiv.");
        assert_eq!(got.len(), 2, "{got:?}");
        for e in &got {
            assert_eq!(
                (e.0.as_str(), e.1.as_deref()),
                ("2022-04-24", None),
                "{got:?}"
            );
        }
        // A day outside the lede's interval, or an act of another type, leaves it so.
        for body in [
            "On Friday, Russian missiles struck Kyiv.",
            "On Sunday, police arrested protesters in Kyiv.",
        ] {
            let got = dated(&format!("Russian missiles struck Kharkiv.\n{body}"));
            let lede = got.iter().find(|e| e.2 == "assault" && e.1.is_some());
            assert!(
                lede.is_some_and(|e| e.0 == "2022-04-24" && e.1.as_deref() == Some("2022-04-25")),
                "{body}: {got:?}"
            );
        }
    }

    #[test]
    fn a_background_act_named_with_its_year_takes_that_year() {
        let lede = "The weather was mild in Geneva.";
        let got = dated(&format!(
            "{lede}\nOn Monday he said Moscow was never punished for its 2014 invasion of Crimea."
        ));
        let years: Vec<&str> = got
            .iter()
            .filter(|e| e.2 == "assault")
            .map(|e| e.0.as_str())
            .collect();
        assert_eq!(years, ["2014"], "{got:?}");
    }

    #[test]
    fn an_attack_without_a_place_is_placed_in_the_country_it_targets() {
        let got = dated(
            "The weather was mild.\nAt the start of Russia's invasion of Ukraine in 2022, firms left.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "2022");
        assert_eq!(got[0].3, ["UA"]);
    }

    #[test]
    fn a_war_named_by_a_noun_takes_only_its_own_time() {
        // Background: the war's noun with no time of its own takes none of the
        // sentence's; with its own time (in its phrase, or the clause of a verb of
        // beginning that takes it) it is the event of that time.
        for (lang, background, own, day) in [
            (
                "en",
                "Prices have doubled since Russia's invasion of Ukraine, the bank said on Monday.",
                "Russia's invasion of Ukraine on 24 February 2022 changed Europe.",
                "2022-02-24",
            ),
            (
                "en",
                "Prices doubled after Russia's attack on Ukraine, the bank said on Monday.",
                "Russia's attack on Kharkiv on 24 February 2022 killed nine people.",
                "2022-02-24",
            ),
            (
                "en",
                "On Monday, prices doubled, following Russia's invasion of Ukraine.",
                "On 24 February 2022, Russia launched a full-scale invasion of Ukraine.",
                "2022-02-24",
            ),
            // A preposition and a possessive determiner, as a Saxon genitive; after a
            // verb the possessed noun is its object, the act ("stepped up its attack").
            (
                "en",
                "On Monday the bank raised rates for its attack on Ukraine.",
                "On 24 February 2022 Russia launched its attack on Ukraine.",
                "2022-02-24",
            ),
            (
                "id",
                "Harga naik dua kali lipat sejak invasi Rusia ke Ukraina, kata bank itu pada Senin.",
                "Invasi Rusia ke Ukraina pada 24 Februari 2022 mengubah Eropa.",
                "2022-02-24",
            ),
            (
                "ru",
                "Цены выросли из-за вторжения России в Украину, сообщил банк в понедельник.",
                "Вторжение России в Украину 24 февраля 2022 года изменило Европу.",
                "2022-02-24",
            ),
            (
                "uk",
                "Ціни зросли через вторгнення Росії в Україну, повідомив банк у понеділок.",
                "Вторгнення Росії в Україну 24 лютого 2022 року змінило Європу.",
                "2022-02-24",
            ),
        ] {
            let got = dated_in(lang, &format!("{}\n{background}", mild(lang)));
            assert!(
                !got.iter().any(|e| e.1 == "assault"),
                "{lang} {background}: {got:?}"
            );
            let got = dated_in(lang, &format!("{}\n{own}", mild(lang)));
            assert!(
                got.iter().any(|e| e.1 == "assault" && e.0 == day),
                "{lang} {own}: {got:?}"
            );
        }
    }

    /// (date, end date) of the events of type `kind` in `text` in `lang`, published on
    /// 2022-04-25.
    fn spans_of(lang: &str, text: &str, kind: &str) -> Vec<(String, Option<String>)> {
        events_in(lang, text)
            .into_iter()
            .filter(|e| e.event_type == kind)
            .map(|e| (e.date, e.end_date))
            .collect()
    }

    fn mild(lang: &str) -> &'static str {
        match lang {
            "en" => "The weather was mild in Geneva.",
            "id" => "Cuaca di Jenewa cerah.",
            "ru" => "В Женеве было тепло.",
            _ => "У Женеві було тепло.",
        }
    }

    #[test]
    fn an_offset_counted_back_lies_around_its_day_not_in_its_calendar_month() {
        // Published 2022-04-25: two months back is 25 February.
        for (lang, s, want) in [
            (
                "en",
                "Russian troops shelled Kharkiv two months ago.",
                ("2022-02-10", "2022-03-12"),
            ),
            (
                "en",
                "Russian troops shelled Kharkiv over two months ago.",
                ("2022-01-25", "2022-02-25"),
            ),
            (
                "en",
                "Russian troops shelled Kharkiv nearly two months ago.",
                ("2022-02-25", "2022-03-25"),
            ),
            (
                "en",
                "Russian troops shelled Kharkiv three weeks ago.",
                ("2022-04-01", "2022-04-07"),
            ),
            (
                "id",
                "Pasukan Rusia menyerang Kharkiv lebih dari dua bulan lalu.",
                ("2022-01-25", "2022-02-25"),
            ),
            (
                "ru",
                "Российские войска обстреляли Харьков более двух месяцев назад.",
                ("2022-01-25", "2022-02-25"),
            ),
            (
                "uk",
                "Російські війська обстріляли Харків два місяці тому.",
                ("2022-02-10", "2022-03-12"),
            ),
        ] {
            let got = spans_of(lang, &format!("{}\n{s}", mild(lang)), "assault");
            assert_eq!(
                got,
                [(want.0.to_string(), Some(want.1.to_string()))],
                "{lang} {s}"
            );
        }
        // "bulan lalu" is last month, no count: the calendar month stays.
        let got = spans_of(
            "id",
            &format!(
                "{}\nPasukan Rusia menyerang Kharkiv bulan lalu.",
                mild("id")
            ),
            "assault",
        );
        assert_eq!(got, [("2022-03".to_string(), None)]);
    }

    #[test]
    fn an_undated_act_after_a_dated_one_of_its_type_keeps_the_narrative_s_time() {
        for (lang, dated, next, now) in [
            (
                "en",
                "Russian troops shelled Izium on April 3.",
                "Russian artillery also shelled villages near Kramatorsk.",
                "Russian troops are shelling villages near Kramatorsk.",
            ),
            (
                "id",
                "Pasukan Rusia menembaki Izium pada 3 April 2022.",
                "Artileri Rusia juga menembaki desa-desa di dekat Kramatorsk.",
                "Artileri Rusia masih menembaki desa-desa di dekat Kramatorsk.",
            ),
            (
                "ru",
                "Российские войска обстреляли Изюм 3 апреля.",
                "Российская артиллерия также обстреляла сёла под Краматорском.",
                "Сейчас российская артиллерия обстреливает сёла под Краматорском.",
            ),
            (
                "uk",
                "Російські війська обстріляли Ізюм 3 квітня.",
                "Російська артилерія також обстріляла села під Краматорськом.",
                "Зараз російська артилерія обстрілює села під Краматорськом.",
            ),
        ] {
            let day = ("2022-04-03".to_string(), None);
            let news = ("2022-04-12".to_string(), Some("2022-04-25".to_string()));
            // In the same paragraph: the day of the sentence before.
            let got = spans_of(lang, &format!("{}\n{dated} {next}", mild(lang)), "assault");
            assert_eq!(got, [day.clone(), day.clone()], "{lang} {next}");
            // Told in the present, or in a new paragraph: news of the last two weeks.
            let got = spans_of(lang, &format!("{}\n{dated} {now}", mild(lang)), "assault");
            assert_eq!(got, [day.clone(), news.clone()], "{lang} {now}");
            let got = spans_of(lang, &format!("{}\n{dated}\n{next}", mild(lang)), "assault");
            assert_eq!(got, [day.clone(), news.clone()], "{lang} new paragraph");
        }
        // A sequel moves the narrative on.
        let got = spans_of(
            "en",
            &format!(
                "{}\nRussian troops shelled Izium on April 3. Russian troops eventually captured Kramatorsk.",
                mild("en")
            ),
            "assault",
        );
        assert!(
            got.iter().filter(|d| d.0 == "2022-04-03").count() == 1,
            "{got:?}"
        );
    }

    #[test]
    fn an_act_named_in_a_concessive_phrase_takes_no_time_of_the_clause() {
        for (lang, s) in [
            (
                "en",
                "Despite Russia's shelling of Kharkiv, protesters rallied in Lviv on Tuesday.",
            ),
            (
                "id",
                "Meskipun serangan Rusia di Kharkiv, warga berunjuk rasa di Lviv pada Selasa (19/4/2022).",
            ),
            (
                "ru",
                "Несмотря на обстрелы Харькова, жители вышли на митинг во Львове 19 апреля.",
            ),
            (
                "uk",
                "Попри обстріли Харкова, мешканці вийшли на мітинг у Львові 19 квітня.",
            ),
        ] {
            let text = format!("{}\n{s}", mild(lang));
            // The protest takes the clause's day; the shelling, background, takes
            // neither that day nor the news's.
            assert_eq!(
                spans_of(lang, &text, "protest"),
                [("2022-04-19".to_string(), None)],
                "{s}"
            );
            assert!(spans_of(lang, &text, "assault").is_empty(), "{s}");
        }
        // A time of the phrase's own still dates it ("Monday's shelling").
        let text = format!(
            "{}\nDespite Monday's shelling of Kharkiv, protesters rallied in Lviv on Tuesday.",
            mild("en")
        );
        assert!(
            spans_of("en", &text, "assault")
                .iter()
                .all(|d| *d == ("2022-04-25".to_string(), None)),
            "{text}"
        );
        assert!(!spans_of("en", &text, "assault").is_empty());
        // A concessive clause after a comma ("несмотря на то, что …") asserts its act
        // with the clause's time.
        let text = format!(
            "{}\nНесмотря на то, что войска обстреляли Харьков 18 апреля, жители остались.",
            mild("ru")
        );
        assert_eq!(
            spans_of("ru", &text, "assault"),
            [("2022-04-18".to_string(), None)]
        );
    }

    #[test]
    fn an_act_said_to_have_lasted_a_stated_time_began_that_long_before() {
        // Published 2022-04-25.
        for (lang, s, want) in [
            // "more than four months": the month before the day four months back.
            (
                "en",
                "The Russian offensive in Donetsk has lasted more than four months.",
                ("2021-11-25", "2021-12-25"),
            ),
            (
                "id",
                "Serangan balasan Ukraina di Donetsk yang telah berlangsung lebih dari empat bulan terus maju.",
                ("2021-11-25", "2021-12-25"),
            ),
            (
                "ru",
                "Российское наступление на Донбассе длится уже более четырёх месяцев.",
                ("2021-11-25", "2021-12-25"),
            ),
            (
                "uk",
                "Російський наступ на Донбасі триває вже понад чотири місяці.",
                ("2021-11-25", "2021-12-25"),
            ),
            // "nearly three weeks": the week after the day three weeks back.
            (
                "en",
                "Russian shelling of Kharkiv has gone on for nearly three weeks.",
                ("2022-04-04", "2022-04-11"),
            ),
            // A bare count: half a unit either side.
            (
                "en",
                "Russian shelling of Kharkiv has gone on for two weeks.",
                ("2022-04-08", "2022-04-14"),
            ),
        ] {
            let got = spans_of(lang, &format!("{}\n{s}", mild(lang)), "assault");
            assert!(
                got.contains(&(want.0.to_string(), Some(want.1.to_string()))),
                "{s}: {got:?}"
            );
        }
        // A duration that is no act's span ("for two weeks" of a visit) makes no onset.
        let got = spans_of(
            "en",
            &format!(
                "{}\nRussian troops shelled Kharkiv on Sunday, and the mayor has stayed in Lviv for two weeks.",
                mild("en")
            ),
            "assault",
        );
        assert!(!got.is_empty());
        assert!(
            got.iter().all(|d| *d == ("2022-04-24".to_string(), None)),
            "{got:?}"
        );
    }

    #[test]
    fn a_time_made_an_adjective_by_a_prefix_dates_nothing() {
        // "the pre-February 24 lines" is a state; the shelling is the news of the
        // last two weeks, not of 24 February.
        for (lang, s) in [
            (
                "en",
                "Russian troops shelled Kharkiv and pushed back to the pre-February 24 lines.",
            ),
            (
                "id",
                "Pasukan Rusia menembaki Kharkiv dan mundur ke garis pra-24 Februari.",
            ),
        ] {
            let got = spans_of(lang, &format!("{}\n{s}", mild(lang)), "assault");
            assert!(!got.is_empty(), "{s}");
            assert!(
                got.iter().all(|(d, _)| !d.starts_with("2022-02")),
                "{s}: {got:?}"
            );
        }
    }

    #[test]
    fn an_act_an_offset_is_anchored_to_lies_that_offset_from_its_clause_s_time() {
        // Published 2022-04-25 (a Monday).
        for (lang, s, want) in [
            // The clause's own time is the base: a year, counted in years.
            (
                "en",
                "Trump was elected president in 2016, two years after Russian forces invaded Crimea.",
                ("2014", None),
            ),
            (
                "id",
                "Pemilu digelar pada 2016, dua tahun setelah pasukan Rusia menyerang Krimea.",
                ("2014", None),
            ),
            (
                "ru",
                "Выборы прошли в 2016 году, через два года после того как российские войска напали на Крым.",
                ("2014", None),
            ),
            (
                "uk",
                "Вибори відбулися у 2016 році, через два роки після нападу російських військ на Крим.",
                ("2014", None),
            ),
            // A month, counted in months; "before" puts the act after it.
            (
                "en",
                "The poll was held in December 2021, 2 months before Russian troops attacked Kharkiv.",
                ("2022-02", None),
            ),
            // A day, counted in weeks: half a week either side.
            (
                "en",
                "The talks on Tuesday came one week after Russian troops shelled Kharkiv.",
                ("2022-04-09", Some("2022-04-15")),
            ),
            // No time of its own: the act lies the offset before the news's two
            // weeks (2022-04-12..25), half a unit either side.
            (
                "en",
                "The talks come a week after Russian troops shelled Kharkiv.",
                ("2022-04-02", Some("2022-04-21")),
            ),
        ] {
            let got = spans_of(lang, &format!("{}\n{s}", mild(lang)), "assault");
            assert!(
                got.contains(&(want.0.to_string(), want.1.map(String::from))),
                "{s}: {got:?}"
            );
            // The offset's reading from the narrative (or none) dates no other day.
            assert_eq!(got.len(), 1, "{s}: {got:?}");
        }
        // "into": the act began the offset before the clause's time (Sunday, 04-24).
        let got = spans_of(
            "en",
            &format!(
                "{}\nTwo months into the Russian invasion, Ukrainian troops retook Irpin on Sunday.",
                mild("en")
            ),
            "assault",
        );
        assert!(
            got.contains(&("2022-02-09".to_string(), Some("2022-03-11".to_string()))),
            "{got:?}"
        );
        assert!(got.contains(&("2022-04-24".to_string(), None)), "{got:?}");
        // An act told already ("the strike") keeps the narrative: the offset dates the
        // main clause, counted from the last day told, and not the strike again.
        let got = spans_of(
            "en",
            &format!(
                "{}\nRussian missiles struck Kyiv on March 1. Two days after the strike, Russian shelling hit Kharkiv.",
                mild("en")
            ),
            "assault",
        );
        assert!(got.contains(&("2022-03-03".to_string(), None)), "{got:?}");
        assert!(got.contains(&("2022-03-01".to_string(), None)), "{got:?}");
        assert_eq!(got.len(), 2, "{got:?}");
        // Never past the report's day: "a week before the invasion" with no time of
        // its clause names no day of the invasion.
        let got = spans_of(
            "en",
            &format!(
                "{}\nRussian missiles struck Kyiv on April 22. A week before the invasion of Kharkiv, officials fled.",
                mild("en")
            ),
            "assault",
        );
        assert!(got.iter().all(|(d, _)| d != "2022-04-29"), "{got:?}");
    }

    #[test]
    fn a_counted_period_that_ends_at_the_report_ends_on_its_day() {
        // Published 2022-04-25: two months back is 25 February, a round count (half a
        // month more); eight years back is 2014, the calendar year an onset is told in.
        for (lang, s, want) in [
            (
                "en",
                "Russian troops shelled Kharkiv in the last two months.",
                ("2022-02-10", Some("2022-04-25")),
            ),
            (
                "id",
                "Pasukan Rusia menyerang Kharkiv dalam dua bulan terakhir.",
                ("2022-02-10", Some("2022-04-25")),
            ),
            (
                "ru",
                "Российские войска обстреливали Харьков за последние два месяца.",
                ("2022-02-10", Some("2022-04-25")),
            ),
            (
                "uk",
                "Російські війська обстрілювали Харків за останні два місяці.",
                ("2022-02-10", Some("2022-04-25")),
            ),
            // The act after "since" is the period's onset, the count's day.
            (
                "en",
                "The city has lived in fear for the last eight years, since Russia captured Crimea.",
                ("2014", None),
            ),
            (
                "id",
                "Kota itu hidup dalam ketakutan selama delapan tahun terakhir, sejak Rusia merebut Krimea.",
                ("2014", None),
            ),
            (
                "ru",
                "Город живёт в страхе за последние восемь лет, с тех пор как Россия захватила Крым.",
                ("2014", None),
            ),
            (
                "uk",
                "Місто живе в страху за останні вісім років, відколи Росія захопила Крим.",
                ("2014", None),
            ),
            (
                "en",
                "The city has lived in fear for the last two months, since Russia captured Mariupol.",
                ("2022-02-10", Some("2022-03-12")),
            ),
        ] {
            let got = spans_of(lang, &format!("{}\n{s}", mild(lang)), "assault");
            assert_eq!(
                got,
                [(want.0.to_string(), want.1.map(str::to_string))],
                "{lang} {s}"
            );
        }
        // A calendar month stays the month: no article before the word of recency.
        let got = spans_of(
            "en",
            &format!("{}\nRussian troops shelled Kharkiv last month.", mild("en")),
            "assault",
        );
        assert_eq!(got, [("2022-03".to_string(), None)]);
        // One unit with its article counts back from the report's day.
        for (s, want) in [
            (
                "Russian troops have shelled Kharkiv over the past week.",
                "2022-04-18",
            ),
            (
                "Russian troops have shelled Kharkiv in the past month.",
                "2022-03-25",
            ),
            (
                "Russian troops have shelled Kharkiv over the past year.",
                "2021-04-25",
            ),
        ] {
            let got = spans_of("en", &format!("{}\n{s}", mild("en")), "assault");
            assert_eq!(
                got,
                [(want.to_string(), Some("2022-04-25".to_string()))],
                "{s}"
            );
        }
    }

    #[test]
    fn a_war_s_onset_told_in_a_reduced_relative_after_a_comma_takes_its_day() {
        for (lang, s) in [
            (
                "en",
                "Russian aggression against Ukraine, begun on 24 February 2022, goes on.",
            ),
            (
                "id",
                "Agresi Rusia ke Ukraina, yang dimulai pada 24 Februari 2022, masih berlangsung.",
            ),
            (
                "ru",
                "Агрессия России против Украины, начатая 24 февраля 2022 года, продолжается.",
            ),
            (
                "uk",
                "Агресія Росії проти України, розпочата 24 лютого 2022 року, триває.",
            ),
        ] {
            let got = spans_of(lang, &format!("{}\n{s}", mild(lang)), "assault");
            assert_eq!(got, [("2022-02-24".to_string(), None)], "{lang} {s}");
        }
        // A time in an aside that is no verb of beginning is not the noun's, and the
        // noun of a war without a time of its own is background: no event.
        for (lang, s) in [
            (
                "en",
                "Russian aggression against Ukraine, officials said on Monday, goes on.",
            ),
            ("ru", "Агрессия России против Украины продолжается."),
            ("uk", "Агресія Росії проти України триває."),
            ("id", "Agresi militer Rusia terus berlanjut."),
        ] {
            let got = spans_of(lang, &format!("{}\n{s}", mild(lang)), "assault");
            assert!(got.is_empty(), "{lang} {s}: {got:?}");
        }
    }
}
