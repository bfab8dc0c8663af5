//! Sentence splitting that keeps each language's abbreviations, initials and decimal
//! numbers whole. Lines of the cleaned text are always boundaries: scraped pages put
//! one paragraph per line.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::text::{Folded, FoldedSlice};

const ABBREVIATIONS: &str = include_str!("../../data/lexicon/abbreviations.tsv");

/// Per language of the file, its forms and the common ones (`*`); for any other
/// language, the common ones.
struct Abbreviations {
    by_lang: HashMap<String, HashSet<String>>,
    common: HashSet<String>,
}

fn abbreviations(lang: &str) -> &'static HashSet<String> {
    static ALL: OnceLock<Abbreviations> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let all: Vec<(String, Vec<String>)> = ABBREVIATIONS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("lang\t"))
            .filter_map(|l| l.split_once('\t'))
            .map(|(lang, forms)| {
                (
                    lang.to_string(),
                    forms.split('|').map(|f| f.trim().to_lowercase()).collect(),
                )
            })
            .collect();
        let of = |lang: &str| -> HashSet<String> {
            all.iter()
                .filter(|(l, _)| l == "*" || l == lang)
                .flat_map(|(_, f)| f.iter().cloned())
                .collect()
        };
        let by_lang = all
            .iter()
            .filter(|(l, _)| l != "*")
            .map(|(l, _)| (l.clone(), of(l)))
            .collect();
        Abbreviations {
            by_lang,
            common: of("*"),
        }
    });
    all.by_lang.get(lang).unwrap_or(&all.common)
}

/// A sentence as a byte range of the text it was split from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Splits `text` into sentences (trimmed byte ranges, empty ones dropped).
pub fn split(text: &str, lang: &str) -> Vec<Span> {
    let abbrevs = abbreviations(lang);
    let mut out = Vec::new();
    for (line_start, line) in lines_with_offsets(text) {
        let mut start = 0;
        // The sentence ends: '.', '!', '?' and '…', by their (first) bytes, which
        // never stand inside another character.
        let ends = line.bytes().enumerate().filter_map(|(i, b)| match b {
            b'.' | b'!' | b'?' => Some((i, char::from(b))),
            0xE2 if line[i..].starts_with('…') => Some((i, '…')),
            _ => None,
        });
        for (i, c) in ends {
            // Closing quotes and brackets stay with the sentence they close.
            let rest = line[i + c.len_utf8()..].trim_start_matches(['"', '\'', '”', '’', '»', ')']);
            if !rest.starts_with(char::is_whitespace) {
                if run_together(&line[start..i], rest) || opens_speech(rest) {
                    let end = line.len() - rest.len();
                    push(&mut out, line_start, line, start, end);
                    start = end;
                }
                continue;
            }
            let next = rest.trim_start().chars().next();
            let starts_new = next.is_some_and(|n| {
                n.is_uppercase() || matches!(n, '"' | '“' | '«' | '„' | '(' | '[' | '-' | '–' | '—')
            });
            if !starts_new || (c == '.' && is_abbreviation(&line[start..i], abbrevs)) {
                continue;
            }
            let end = line.len() - rest.len();
            push(&mut out, line_start, line, start, end);
            start = end;
        }
        push(&mut out, line_start, line, start, line.len());
    }
    out
}

fn push(out: &mut Vec<Span>, base: usize, line: &str, s: usize, e: usize) {
    let piece = &line[s..e];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if piece.trim().is_empty() {
        return;
    }
    out.push(Span {
        start: base + s + lead,
        end: base + e - trail,
    });
}

fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split('\n').map(move |l| {
        let r = (offset, l);
        offset += l.len() + 1;
        r
    })
}

/// Whether the text right after a stop opens a turn of speech with a dash and a
/// capital ("…command dysfunction.- We do not anticipate…"): the dash that marks
/// direct speech in Polish, Russian and Ukrainian typography (and in texts translated
/// from them) starts a new sentence even when the space before it was lost.
fn opens_speech(after: &str) -> bool {
    let Some(rest) = after
        .strip_prefix('-')
        .or_else(|| after.strip_prefix('–'))
        .or_else(|| after.strip_prefix('—'))
    else {
        return false;
    };
    rest.starts_with(char::is_whitespace)
        && rest
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
}

/// Whether a stop with no space after it still ends a sentence: scraped text loses the
/// space between paragraphs ("…in Ukraine.At the end of August…"). Written prose puts
/// no capital straight after a stop inside a word, so a stop between a lower-case word
/// of three letters or more and a capitalised word is a boundary — unless the pieces
/// are a web address or a file name ("Reuters.Com/World", "www.Example.org").
fn run_together(before: &str, after: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '«'))
        .next()
        .unwrap_or("");
    let mut tail = word.chars().rev();
    let lower_tail = (0..3).all(|_| tail.next().is_some_and(char::is_lowercase));
    if !lower_tail || !word.chars().all(char::is_alphabetic) {
        return false;
    }
    let next: &str = after.split(char::is_whitespace).next().unwrap_or("");
    let mut cs = next.chars();
    let capitalised =
        cs.next().is_some_and(char::is_uppercase) && cs.next().is_some_and(char::is_lowercase);
    let address = next.contains(['/', '@', '.']) && {
        // A stop inside the next word, or a slash: a domain or a path.
        let inner = next.trim_end_matches(['.', ',', ';', ':', '!', '?']);
        inner.contains(['/', '@', '.'])
    };
    capitalised && !address
}

/// Is the word before a full stop an abbreviation or an initial?
fn is_abbreviation(before: &str, abbrevs: &HashSet<String>) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    let mut cs = word.chars();
    // An initial: "V. Putin", "J. Biden".
    if let (Some(c), None) = (cs.next(), cs.next()) {
        return c.is_uppercase();
    }
    abbrevs.contains(&word.to_lowercase())
}

/// Whether the sentence at byte `start` begins a line of the text.
pub fn starts_line(text: &str, start: usize) -> bool {
    text[..start].trim_end_matches([' ', '\t']).ends_with('\n') || text[..start].trim().is_empty()
}

/// `f` of the sentence `span` of `text` and its part of `folded`, the text's fold (or
/// the sentence's own fold where the text's cannot be cut there; a sentence starts at
/// a character that is not white space, so it always can).
pub fn with_fold<R>(
    text: &str,
    folded: &Folded,
    span: Span,
    f: impl FnOnce(&str, FoldedSlice) -> R,
) -> R {
    let s = &text[span.start..span.end];
    match folded.slice(text, span.start, span.end) {
        Some(part) => f(s, part),
        None => f(s, Folded::new(s).view()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents<'a>(t: &'a str, lang: &str) -> Vec<&'a str> {
        split(t, lang).iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn keeps_abbreviations_and_initials_whole() {
        let t = "Mr. Smith met Gen. Syrskyi on Nov. 11, 2022. Then V. Zelensky spoke. It was 3.5 km away!";
        assert_eq!(
            sents(t, "en"),
            vec![
                "Mr. Smith met Gen. Syrskyi on Nov. 11, 2022.",
                "Then V. Zelensky spoke.",
                "It was 3.5 km away!"
            ]
        );
    }

    #[test]
    fn lines_are_boundaries_and_quotes_stay_attached() {
        let t = "Kata dia, \"Kami menang.\" Lalu pergi\nBaris kedua. 1.000 km";
        assert_eq!(
            sents(t, "id"),
            vec![
                "Kata dia, \"Kami menang.\"",
                "Lalu pergi",
                "Baris kedua. 1.000 km"
            ]
        );
    }

    #[test]
    fn a_stop_without_a_space_before_a_capital_ends_a_sentence() {
        let t = "The talks ended in Geneva.In late May the army withdrew.Then it rained.";
        assert_eq!(
            sents(t, "en"),
            vec![
                "The talks ended in Geneva.",
                "In late May the army withdrew.",
                "Then it rained."
            ]
        );
        for (lang, t, n) in [
            ("id", "Pasukan itu mundur.Pada Senin pagi kota dibom.", 2),
            ("ru", "Войска отошли.Утром город обстреляли.", 2),
            ("uk", "Війська відійшли.Вранці місто обстріляли.", 2),
            // Addresses, initials, acronyms and numbers stay whole.
            ("en", "See www.example.Com/news for more.", 1),
            (
                "en",
                "The U.S.Army and J.R.Tolkien met 3.Five of them left.",
                1,
            ),
            ("en", "It runs on Node.js and ASP.NET today.", 1),
        ] {
            assert_eq!(sents(t, lang).len(), n, "{t}: {:?}", sents(t, lang));
        }
    }

    #[test]
    fn a_dash_of_speech_after_a_stop_opens_a_sentence() {
        for (lang, t, first) in [
            (
                "en",
                "Progress near the river was slow.- We expect no change this year, he said.",
                "Progress near the river was slow.",
            ),
            (
                "ru",
                "Наступление у реки шло медленно.– Мы не ждём перемен в этом году, сказал он.",
                "Наступление у реки шло медленно.",
            ),
            (
                "uk",
                "Наступ біля річки йшов повільно.— Ми не чекаємо змін цього року, сказав він.",
                "Наступ біля річки йшов повільно.",
            ),
            (
                "id",
                "Kemajuan di dekat sungai lambat.- Kami tidak mengharapkan perubahan tahun ini, katanya.",
                "Kemajuan di dekat sungai lambat.",
            ),
        ] {
            let got = sents(t, lang);
            assert_eq!(got.len(), 2, "{t}: {got:?}");
            assert_eq!(got[0], first);
        }
        // A hyphen inside a word or a number range is no dash of speech.
        assert_eq!(sents("It cost 3.-5 euros and ran 2.-3 km.", "en").len(), 1);
    }

    #[test]
    fn russian_abbreviations() {
        let t = "Это произошло в 2022 г. в Курской области. Затем ген. Герасимов уехал.";
        assert_eq!(
            sents(t, "ru"),
            vec![
                "Это произошло в 2022 г. в Курской области.",
                "Затем ген. Герасимов уехал."
            ]
        );
    }
}
