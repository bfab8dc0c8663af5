//! Toponyms that are part of another name, and so not where an event happened: the
//! place in the name of an agreement, conference, format or memorandum ("the Minsk
//! agreements", "the Munich Security Conference", "Konferensi Keamanan Munich",
//! "формат «Нормандия»"), of a newspaper ("the Kyiv Independent"), in a compound
//! that tells where someone comes from ("a Minsk-born player"), and a person's
//! surname that a place shares ("John Kerry", then "Kerry said" in the same article).
//!
//! The patterns are grammar, not a list of names: the head nouns of such names
//! (`grammar.tsv` kinds `name_after`, `name_before`, `name_compound`) and, for
//! surnames, a capitalised word standing right before the toponym that is no month,
//! weekday, place-name modifier or locative (`name_modifier`). A surname learned in
//! one sentence holds for the whole article, except after a locative ("in Kerry").

use std::collections::{HashMap, HashSet};

use crate::knowledge::Knowledge;
use crate::text::{Hit, fold};

/// How many capitalised words may stand between a toponym and its name's head
/// ("Munich Security Conference", "Konferensi Keamanan Munich").
const MAX_NAME_WORDS: usize = 3;

/// The words of one language the name rules read, folded.
#[derive(Default)]
struct NameWords {
    /// Heads that follow the toponym ("Minsk agreements").
    after: Vec<String>,
    /// Heads that follow it only when capitalised ("Kyiv Post", "Minsk Group").
    after_cap: Vec<String>,
    /// Heads that precede it ("perjanjian Minsk", "формат Нормандия", "Treaty of …").
    before: Vec<String>,
    /// The same, only when capitalised ("Krisis Rudal Kuba").
    before_cap: Vec<String>,
    /// Second parts of a hyphenated compound ("Minsk-born", "Kyiv-based").
    compound: Vec<String>,
    /// Capitalised words before a toponym that are no first name.
    modifiers: HashSet<String>,
    locative: Vec<String>,
    /// Verbs of reporting (`grammar.tsv` `report`).
    report: Vec<String>,
}

/// The name rules, compiled per language; build once.
pub struct Names {
    langs: HashMap<String, NameWords>,
}

impl Names {
    pub fn new(kb: &Knowledge) -> Self {
        let mut langs = HashMap::new();
        for lang in ["en", "id", "ru", "uk"] {
            let mut modifiers: HashSet<String> =
                kb.grammar(lang, "name_modifier").iter().cloned().collect();
            // Month and weekday names are capitalised in English and Indonesian.
            for w in kb
                .time_words
                .iter()
                .filter(|w| w.lang == lang && matches!(w.kind.as_str(), "month" | "weekday"))
            {
                modifiers.extend(w.forms.iter().map(|f| fold(f)));
            }
            modifiers.extend(kb.grammar(lang, "locative").iter().cloned());
            langs.insert(
                lang.to_string(),
                NameWords {
                    after: kb.grammar(lang, "name_after").to_vec(),
                    after_cap: kb.grammar(lang, "name_after_capital").to_vec(),
                    before: kb.grammar(lang, "name_before").to_vec(),
                    before_cap: kb.grammar(lang, "name_before_capital").to_vec(),
                    compound: kb.grammar(lang, "name_compound").to_vec(),
                    modifiers,
                    locative: kb.grammar(lang, "locative").to_vec(),
                    report: kb.grammar(lang, "report").to_vec(),
                },
            );
        }
        Names { langs }
    }

    /// Whether the toponym `h` of sentence `s` is part of the name of something else
    /// (an agreement, a conference, a newspaper, a compound adjective).
    pub fn in_other_name(&self, lang: &str, s: &str, h: &Hit) -> bool {
        let Some(w) = self.langs.get(lang) else {
            return false;
        };
        let after = &s[h.end..];
        // "Minsk-2", "Minsk-born", "Kyiv-based".
        if let Some(rest) = after.strip_prefix(['-', '‑', '–']) {
            let next: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect::<String>();
            let next = fold(&next);
            if next.chars().next().is_some_and(|c| c.is_ascii_digit())
                || matches!(next.as_str(), "ii" | "iii")
                || w.compound.contains(&next)
            {
                return true;
            }
        }
        // A head after the toponym, maybe past a few capitalised words of the name.
        if !(w.after.is_empty() && w.after_cap.is_empty()) {
            for (i, word) in words_after(after).enumerate() {
                if i > MAX_NAME_WORDS {
                    break;
                }
                // "agreements.Even" (a missing space after a full stop) is "agreements".
                let word = word
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .next()
                    .unwrap_or("");
                let f = fold(word);
                if matches_any(&f, &w.after) || (capitalised(word) && matches_any(&f, &w.after_cap))
                {
                    return true;
                }
                if !(capitalised(word) || is_numeral(word)) || ends_clause(word) {
                    break;
                }
            }
        }
        // A head before it, maybe past a few capitalised words.
        if !(w.before.is_empty() && w.before_cap.is_empty()) {
            let mut before = s[..h.start].trim_end_matches(quote_or_space);
            for i in 0..=MAX_NAME_WORDS {
                let f = fold(before);
                if w.before.iter().any(|p| ends_with_phrase(&f, p)) {
                    return true;
                }
                let Some((rest, word)) = last_word(before) else {
                    break;
                };
                if capitalised(word) && matches_any(&fold(word), &w.before_cap) {
                    return true;
                }
                if i == MAX_NAME_WORDS {
                    break;
                }
                if !capitalised(word) || w.modifiers.contains(&fold(word)) {
                    break;
                }
                before = rest.trim_end_matches(quote_or_space);
            }
        }
        false
    }

    /// The folded toponym `h` of `s` when a first name or title stands right before
    /// it ("John Kerry", "Secretary Austin"): the article uses it as a surname.
    /// `others` are the sentence's other names (actors, places), which are no first
    /// names ("Russian Kursk").
    pub fn surname(&self, lang: &str, s: &str, h: &Hit, others: &[&[Hit]]) -> Option<String> {
        let w = self.langs.get(lang)?;
        let before = &s[..h.start];
        // One space, no punctuation, between the two words.
        if !before.ends_with(' ') || before.ends_with("  ") {
            return None;
        }
        let (rest, word) = last_word(before.trim_end())?;
        let word_start = rest.len();
        // Not the sentence's first word ("In Kherson", "Kherson" after a quote).
        if rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty() {
            return None;
        }
        if !capitalised(word)
            || word.chars().count() < 2
            || word.ends_with("'s")
            || word.ends_with("’s")
            || !word
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
            || w.modifiers.contains(&fold(word))
        {
            return None;
        }
        if others
            .iter()
            .flat_map(|hs| hs.iter())
            .any(|o| o.start < h.start && o.end > word_start)
        {
            return None;
        }
        if title_case(s) {
            return None;
        }
        Some(fold(&s[h.start..h.end]))
    }

    /// Whether the toponym `h` is told of as a speaker: a verb of reporting right after
    /// it ("Kerry said", "Kerry mengatakan", "Керри заявил") or right before it ("said
    /// Kerry", "kata Kerry").
    pub fn speaks(&self, lang: &str, s: &str, h: &Hit) -> bool {
        let Some(w) = self.langs.get(lang) else {
            return false;
        };
        let next = s[h.end..]
            .split_whitespace()
            .next()
            .map(|x| fold(x.trim_end_matches(|c: char| !c.is_alphanumeric())))
            .unwrap_or_default();
        let prev = fold(s[..h.start].trim_end().trim_end_matches(',').trim_end());
        w.report
            .iter()
            .any(|r| (!r.contains(' ') && *r == next) || ends_with_phrase(&prev, r))
    }

    /// Whether a locative stands right before `h` ("in Kerry"): a place, whatever the
    /// article's surnames.
    pub fn after_locative(&self, lang: &str, s: &str, h: &Hit) -> bool {
        let Some(w) = self.langs.get(lang) else {
            return false;
        };
        let f = fold(s[..h.start].trim_end());
        w.locative.iter().any(|p| ends_with_phrase(&f, p))
    }
}

fn quote_or_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '«' | '»' | '„' | '“' | '”' | '‘' | '’')
}

/// Whether the toponym `h` of `s`, a sentence that starts a line, is the line's
/// dateline: where the report was filed, not where its events happened ("Jakarta -
/// Pasukan Rusia…", "KYIV, Ukraine (AP) — …", "JAKARTA, KOMPAS.com - …").
pub fn dateline(s: &str, h: &Hit) -> bool {
    /// How far after the place name the dateline's dash may stand.
    const DATELINE_MAX: usize = 60;
    if !s[..h.start]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '«' | '“'))
        .is_empty()
    {
        return false;
    }
    let after = &s[h.end..];
    let Some(dash) = [" - ", " — ", " – ", "—", " -- "]
        .iter()
        .filter_map(|d| after.find(d))
        .min()
    else {
        return false;
    };
    // Only the dateline's parts before the dash: a country, a date, an agency.
    dash <= DATELINE_MAX
        && after[..dash].split_whitespace().all(|w| {
            let letters: String = w.chars().filter(|c| c.is_alphabetic()).collect();
            letters.chars().count() < 4 || !letters.starts_with(char::is_lowercase)
        })
}

/// Whether `f` (folded) ends with the phrase `p` on a word boundary; `p` may end in
/// `*` (a prefix of its last word).
fn ends_with_phrase(f: &str, p: &str) -> bool {
    if let Some(stem) = p.strip_suffix('*') {
        // The last word of `f` starts with the stem's last word, and what precedes it
        // matches the stem's earlier words.
        let (f_rest, f_last) = match f.rfind(' ') {
            Some(i) => (&f[..i], &f[i + 1..]),
            None => ("", f),
        };
        let (p_rest, p_last) = match stem.rfind(' ') {
            Some(i) => (&stem[..i], &stem[i + 1..]),
            None => ("", stem),
        };
        return f_last.starts_with(p_last)
            && (p_rest.is_empty() || ends_with_phrase(f_rest, p_rest));
    }
    f.ends_with(p)
        && f[..f.len() - p.len()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether the folded word `w` is one of `list` (entries may end in `*`).
fn matches_any(w: &str, list: &[String]) -> bool {
    !w.is_empty()
        && list.iter().any(|p| match p.strip_suffix('*') {
            Some(stem) => w.starts_with(stem),
            None => w == p,
        })
}

fn words_after(s: &str) -> impl Iterator<Item = &str> {
    s.split_whitespace()
}

/// The text before the last word of `s` and that word (letters, digits, hyphens and
/// apostrophes).
fn last_word(s: &str) -> Option<(&str, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’');
    let end = s.len();
    let start = s
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map(|(i, _)| i)?;
    Some((&s[..start], &s[start..end]))
}

/// A word with a capital first letter followed by at least one lower-case letter
/// ("John", not "AFP" or "the").
fn capitalised(w: &str) -> bool {
    let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
    let mut cs = w.chars();
    cs.next().is_some_and(char::is_uppercase) && cs.any(char::is_lowercase)
}

fn is_numeral(w: &str) -> bool {
    let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
    !w.is_empty()
        && (w.chars().all(|c| c.is_ascii_digit())
            || w.chars().all(|c| matches!(c, 'I' | 'V' | 'X')))
}

fn ends_clause(w: &str) -> bool {
    w.ends_with([',', '.', ';', ':', '!', '?', ')'])
}

/// A headline in title case ("Russian Strikes Hit Kharkiv"): most of its longer words
/// are capitalised, so a capital says nothing of a name.
fn title_case(s: &str) -> bool {
    let (mut long, mut caps) = (0usize, 0usize);
    for w in s.split_whitespace() {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 4 {
            continue;
        }
        long += 1;
        caps += usize::from(
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase),
        );
    }
    long >= 3 && caps * 5 > long * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> (std::sync::Arc<Knowledge>, Names) {
        let kb = Knowledge::embedded();
        let n = Names::new(&kb);
        (kb, n)
    }

    /// The hit of `word` in `s`.
    fn hit(s: &str, word: &str) -> Hit {
        let start = s.find(word).unwrap();
        Hit {
            payload: 0,
            start,
            end: start + word.len(),
        }
    }

    #[test]
    fn toponyms_in_names_of_agreements_and_conferences() {
        let (_, n) = names();
        for (lang, s, w) in [
            (
                "en",
                "He spoke at the Munich Security Conference on Saturday.",
                "Munich",
            ),
            (
                "en",
                "Kyiv did not implement the Minsk agreements, he said.",
                "Minsk",
            ),
            (
                "en",
                "He mediated in the Minsk agreements.Even then, he was doubted.",
                "Minsk",
            ),
            (
                "en",
                "It will be stronger than the Budapest Memorandum.",
                "Budapest",
            ),
            ("en", "Talks in the Normandy format stalled.", "Normandy"),
            ("en", "The Minsk II agreement offers a ceasefire.", "Minsk"),
            (
                "en",
                "After the Minsk-born player won her first major.",
                "Minsk",
            ),
            ("en", "The Kyiv Independent reported the strike.", "Kyiv"),
            (
                "en",
                "The Treaty of Versailles was signed in 1919.",
                "Versailles",
            ),
            (
                "id",
                "Ia berbicara di Konferensi Keamanan Munich pada Sabtu.",
                "Munich",
            ),
            ("id", "Kyiv tidak melaksanakan perjanjian Minsk.", "Minsk"),
            (
                "id",
                "Jaminan itu lebih kuat dari Memorandum Budapest.",
                "Budapest",
            ),
            (
                "id",
                "Konfrontasi terbesar sejak Krisis Rudal Kuba 1962.",
                "Kuba",
            ),
            (
                "en",
                "The worst since the Cuba Missile Crisis of 1962.",
                "Cuba",
            ),
            (
                "ru",
                "Переговоры в формате «Нормандия» сорваны.",
                "Нормандия",
            ),
            ("ru", "Соглашения Минск-2 не выполнены.", "Минск"),
            ("uk", "Угоди Мінськ-2 не виконано.", "Мінськ"),
        ] {
            assert!(n.in_other_name(lang, s, &hit(s, w)), "{s}");
        }
        for (lang, s, w) in [
            ("en", "Russian forces struck Kharkiv on Monday.", "Kharkiv"),
            ("en", "The Kharkiv offensive began in May.", "Kharkiv"),
            ("en", "A conference was held in Munich.", "Munich"),
            (
                "en",
                "Shelling of Donetsk, the agreements say, resumed.",
                "Donetsk",
            ),
            ("id", "Rusia menyerang Kharkiv pada Senin.", "Kharkiv"),
            ("id", "Sejak krisis Ukraina, harga naik.", "Ukraina"),
            ("ru", "В Харькове прогремели взрывы.", "Харькове"),
            ("uk", "У Мінську відбулася зустріч.", "Мінську"),
        ] {
            assert!(!n.in_other_name(lang, s, &hit(s, w)), "{s}");
        }
    }

    #[test]
    fn a_dateline_is_where_the_report_was_filed() {
        for s in [
            "Jakarta - Pasukan Rusia membombardir sejumlah kota di Ukraina.",
            "JAKARTA, KOMPAS.com - Pasukan Rusia membombardir Kherson.",
            "KYIV, Ukraine (AP) — Russian drones struck the city overnight.",
            "Kyiv, March 5 (Reuters) - Russian drones struck the city overnight.",
        ] {
            let w = s.split([' ', ',']).next().unwrap();
            assert!(dateline(s, &hit(s, w)), "{s}");
        }
        for s in [
            "Kyiv was struck overnight - the third time this week.",
            "Russian drones struck Kyiv - again.",
        ] {
            assert!(!dateline(s, &hit(s, "Kyiv")), "{s}");
        }
    }

    #[test]
    fn a_toponym_after_a_first_name_is_a_surname() {
        let (_, n) = names();
        let none: &[&[Hit]] = &[];
        for (lang, s, w) in [
            (
                "en",
                "Special envoy John Kerry said the war adds emissions.",
                "Kerry",
            ),
            (
                "en",
                "Defence Secretary Lloyd Austin visited the base.",
                "Austin",
            ),
            ("id", "Utusan iklim John Kerry mengatakan hal itu.", "Kerry"),
            ("ru", "Спецпосланник Джон Керри заявил об этом.", "Керри"),
        ] {
            assert_eq!(
                n.surname(lang, s, &hit(s, w), none).as_deref(),
                Some(fold(w).as_str()),
                "{s}"
            );
        }
        for (lang, s, w) in [
            ("en", "Kherson was shelled on Monday.", "Kherson"),
            ("en", "In Kherson, shelling went on.", "Kherson"),
            (
                "en",
                "Troops shelled the city on Monday Kherson officials said.",
                "Kherson",
            ),
            (
                "en",
                "Russian Strikes Hit Kharkiv Overnight Again.",
                "Kharkiv",
            ),
            ("en", "Fighting near Eastern Kharkiv went on.", "Kharkiv"),
            (
                "en",
                "The strike, AFP Kharkiv reported, killed two.",
                "Kharkiv",
            ),
            (
                "id",
                "Pasukan Rusia menyerang Kota Kherson pada Senin.",
                "Kherson",
            ),
        ] {
            assert_eq!(n.surname(lang, s, &hit(s, w), none), None, "{s}");
        }
        // Another name's word is no first name ("Russian Kursk").
        let s = "The raid into Russian Kursk began in August.";
        let other = [hit(s, "Russian")];
        assert_eq!(n.surname("en", s, &hit(s, "Kursk"), &[&other]), None);
        let s = "Shelling in Kerry went on.";
        assert!(n.after_locative("en", s, &hit(s, "Kerry")));
        // Told of as a speaker.
        for (lang, s) in [
            ("en", "Kerry said the war adds emissions."),
            ("en", "The war adds emissions, said Kerry."),
            ("id", "Kerry mengatakan perang menambah emisi."),
            ("ru", "Керри заявил об этом."),
        ] {
            let w = s
                .split([' ', '.'])
                .find(|w| w.starts_with("Kerry") || w.starts_with("Керри"))
                .unwrap();
            assert!(n.speaks(lang, s, &hit(s, w)), "{s}");
        }
        let s = "Shelling of Kerry went on.";
        assert!(!n.speaks("en", s, &hit(s, "Kerry")));
    }
}
