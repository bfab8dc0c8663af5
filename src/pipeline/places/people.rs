//! Town names that name a person here: "David Jones", "Scott Moore", "Mr. Clark",
//! "Jones said". Towns named after people, and people named after towns, are many in
//! English-speaking countries (Jones, Oklahoma; Moore, Oklahoma; Lincoln, Nebraska): a
//! name is read as the person's where its neighbours make it one, by rule:
//!
//! - a title or honorific stands right before it (`title` of `data/lexicon/grammar.tsv`:
//!   "Mr.", "Sen.", "Sheriff", "Presiden");
//! - a capitalised given name or a middle initial stands right before it ("David
//!   Jones", "George W. Bush");
//! - it is a given name and a capitalised surname follows it ("Michael Scott");
//! - it is a given name or surname and a verb of reporting follows it (`report` of
//!   the grammar: "Jones said"; "Gainesville says no" stays the city);
//! - the article has already used the name for a person (every later "Jones").
//!
//! Given names and surnames are the US Census Bureau's 1990 lists
//! (`data/lexicon/given-names.txt`, `surnames.txt`, written by
//! `scripts/build_person_names.py`); surnames that are ordinary words ("Hill",
//! "Park") are not in the list, so "Dublin City Council" and "Austin Police" keep
//! their towns. The rules hold for texts in Latin script.

use std::sync::LazyLock;

use crate::text::{Hit, fold};

const GIVEN: &str = include_str!("../../../data/lexicon/given-names.txt");
const SURNAMES: &str = include_str!("../../../data/lexicon/surnames.txt");

/// A sorted list of lower-case names, one a line, after `#` comments.
struct NameList(Vec<&'static str>);

impl NameList {
    fn of(text: &'static str) -> Self {
        let mut v: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect();
        v.sort_unstable();
        NameList(v)
    }

    fn contains(&self, word: &str) -> bool {
        let w = word.to_lowercase();
        self.0.binary_search(&w.as_str()).is_ok()
    }
}

static GIVEN_NAMES: LazyLock<NameList> = LazyLock::new(|| NameList::of(GIVEN));
static SURNAME_LIST: LazyLock<NameList> = LazyLock::new(|| NameList::of(SURNAMES));

/// Whether `word` is a given name or a surname of the lists ("Bush", "Warren").
pub fn is_person_name(word: &str) -> bool {
    GIVEN_NAMES.contains(word) || SURNAME_LIST.contains(word)
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().skip(1).any(char::is_lowercase)
}

/// The word right before byte `at` of `s`, with only spaces between (no comma or
/// other mark), and whether it ends in a full stop ("Mr.", "W.").
fn word_before(s: &str, at: usize) -> Option<(&str, bool)> {
    let before = &s[..at];
    let trimmed = before.trim_end_matches(' ');
    if trimmed.len() == before.len() {
        return None;
    }
    let (body, stop) = match trimmed.strip_suffix('.') {
        Some(b) => (b, true),
        None => (trimmed, false),
    };
    let start = body
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphabetic() || c == '\''))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let w = &body[start..];
    (!w.is_empty()).then_some((w, stop))
}

/// The word right after byte `at` of `s`, with only spaces between.
fn word_after(s: &str, at: usize) -> Option<&str> {
    let after = &s[at..];
    let trimmed = after.trim_start_matches(' ');
    if trimmed.len() == after.len() {
        return None;
    }
    let end = trimmed
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(trimmed.len(), |(i, _)| i);
    let w = &trimmed[..end];
    (!w.is_empty()).then_some(w)
}

/// Endings of Russian, Ukrainian and Belarusian surnames in Latin transliteration
/// (possessive -ov/-ev/-in, adjectival -sky/-skaya, Ukrainian -enko/-chuk/-uk,
/// patronymic -vich/-vych), masculine and feminine: "Denis Skopin", "Nikolai
/// Kropachev", "Polina Ulanovskaya". The census lists hold few of them.
const SLAVIC_SURNAME_ALL: &[&str] = &[
    "ov", "ova", "ev", "eva", "yov", "yova", "in", "ina", "yn", "yna", "sky", "skiy", "skyi",
    "skii", "ski", "skaya", "ska", "enko", "chuk", "yuk", "uk", "vich", "vych", "kin", "shin",
    "tsky", "tskyi", "itch",
];

/// The endings that are surnames' whatever the word before them (a town's name
/// before "Moscow Kremlin" or "Berlin" is no person): those of the list that English
/// words do not end in as a rule (a town that does, "Rostov", seldom stands right
/// after another name).
const SLAVIC_SURNAME_SURE: &[&str] = &[
    "ov", "ev", "yov", "ova", "eva", "yova", "skaya", "skiy", "skyi", "skii", "enko", "chuk",
    "vich", "vych", "tsky",
];

/// Whether `word` has the shape of a Slavic surname: at least five letters, Latin,
/// ending in one of `endings`.
fn slavic_surname(word: &str, endings: &[&str]) -> bool {
    let w = word.to_lowercase();
    w.chars().count() >= 5
        && w.chars().all(|c| c.is_ascii_alphabetic())
        && endings
            .iter()
            .any(|e| w.ends_with(e) && w.len() > e.len() + 2)
}

/// Whether the name at `h` in `s` names a person by its neighbours. `titles` and
/// `report` are the language's folded titles and verbs of reporting.
pub fn is_person(s: &str, h: &Hit, titles: &[String], report: &[String]) -> bool {
    let name = &s[h.start..h.end];
    if let Some((prev, stop)) = word_before(s, h.start) {
        if titles.contains(&fold(prev)) {
            return true;
        }
        // A middle initial ("George W. Bush").
        if stop && prev.chars().count() == 1 && prev.chars().all(char::is_uppercase) {
            return true;
        }
        if !stop && capitalised(prev) && GIVEN_NAMES.contains(prev) {
            return true;
        }
        // A title, then a given name the list lacks ("President Barack Obama").
        let at = h.start - (s[..h.start].len() - s[..h.start].trim_end_matches(' ').len());
        if !stop
            && capitalised(prev)
            && let Some((title, _)) = word_before(s, at - prev.len())
            && titles.contains(&fold(title))
        {
            return true;
        }
    }
    if let Some(next) = word_after(s, h.end) {
        if capitalised(next)
            && !name.contains(' ')
            && ((GIVEN_NAMES.contains(name)
                && (SURNAME_LIST.contains(next) || slavic_surname(next, SLAVIC_SURNAME_ALL)))
                || slavic_surname(next, SLAVIC_SURNAME_SURE))
        {
            return true;
        }
        let folded_next = fold(next);
        if report.contains(&folded_next)
            && (GIVEN_NAMES.contains(name) || SURNAME_LIST.contains(name))
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(s: &str, name: &str) -> Hit {
        let start = s.find(name).unwrap();
        Hit {
            payload: 0,
            start,
            end: start + name.len(),
        }
    }

    fn person(s: &str, name: &str) -> bool {
        let titles = ["mr".to_string(), "sheriff".to_string()];
        let report = ["said".to_string()];
        is_person(s, &hit(s, name), &titles, &report)
    }

    #[test]
    fn names_of_people_are_told_from_towns() {
        assert!(person(
            "The fire was reported by David Jones on Monday.",
            "Jones"
        ));
        assert!(person("Michael Scott won the vote.", "Michael"));
        assert!(person("Mr. Clark was not at home.", "Clark"));
        assert!(person("Sheriff Moore arrived.", "Moore"));
        assert!(person("Former president George W. Bush spoke.", "Bush"));
        assert!(person("Sheriff Barack Obama spoke.", "Obama"));
        assert!(person("Lincoln said nothing.", "Lincoln"));
        // A given name before a Slavic surname the census lists lack; a name of the
        // list or not before an ending only surnames have.
        assert!(person(
            "A rally was joined by Denis Skopin on Monday.",
            "Denis"
        ));
        assert!(person("The rector, Nikolai Kropachev, refused.", "Nikolai"));
        assert!(person("The student Polina Ulanovskaya left.", "Polina"));
        assert!(person("They met Natalia Petrenko at noon.", "Natalia"));
        assert!(person("Then Milan Kovalchuk spoke.", "Milan"));
        // A town before a capitalised word of another kind stays a town.
        assert!(!person(
            "Tanks entered the Moscow Kremlin grounds.",
            "Moscow"
        ));
        assert!(!person("Troops left Dennis Township on Monday.", "Dennis"));
        assert!(!person("Flights from Milan Bergamo resumed.", "Milan"));
        // Towns stay towns.
        assert!(!person("A storm hit Moore on Monday.", "Moore"));
        assert!(!person("The Dublin City Council met.", "Dublin"));
        assert!(!person("Austin Police arrested him.", "Austin"));
        assert!(!person("He moved to Lincoln, Nebraska.", "Lincoln"));
        assert!(!person("In March, Jones voted.", "Jones"));
        assert!(!person("In Columbus, firefighters agreed.", "Columbus"));
        assert!(!person("Gainesville said no to the plan.", "Gainesville"));
    }

    #[test]
    fn lists_are_sorted_and_hold_common_names() {
        assert!(GIVEN_NAMES.contains("David") && GIVEN_NAMES.contains("mary"));
        assert!(SURNAME_LIST.contains("Jones"));
        assert!(!SURNAME_LIST.contains("Hill"), "an ordinary word");
        assert!(!GIVEN_NAMES.contains(""));
    }
}
