//! Cleaning: from a scraped page to the article's title and body. Drops navigation and
//! boilerplate (the patterns in `data/lexicon/boilerplate.tsv`), related-article tables,
//! headings and kickers, repeated titles and subtitles, and datelines
//! ("TRIBUNNEWS.COM-", "KYIV (Reuters) -"). The body keeps one paragraph per line.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::knowledge::{BoilerplateKind, Knowledge};
use crate::text::fold;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub title: Option<String>,
    pub text: String,
    /// The text is a list of headlines (no line ends like a sentence): every line is
    /// a lede of its own, reporting the news of its day.
    pub headlines: bool,
}

static DATELINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<head>[^\s].{0,48}?)\s*[-–—]{1,2}\s*").expect("valid regex"));

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A line's words that [`clean_text`] tells apart: the number of words, up to
/// [`MANY_WORDS`] (every count it compares a line's with is below that).
fn words_of_line(s: &str) -> usize {
    s.split_whitespace().take(MANY_WORDS).count()
}

/// More words than any count a line's number of words is compared with.
const MANY_WORDS: usize = 31;

fn ends_like_sentence(s: &str) -> bool {
    s.trim_end_matches(['"', '\'', '”', '’', '»', ')'])
        .ends_with(['.', '!', '?', '…', ':'])
}

fn is_table_row(l: &str) -> bool {
    l.ends_with('|')
        || l.starts_with('|')
        || l.chars().all(|c| matches!(c, '-' | '|' | ':' | ' ' | '='))
}

/// "TRIBUNNEWS.COM-", "KYIV (Reuters) -", "MOSCOW, Aug 6 —": a short head with a word in
/// capitals, then a dash.
fn strip_dateline(l: &str) -> &str {
    if !may_have_dateline(l) {
        return l;
    }
    if let Some(c) = DATELINE.captures(l) {
        let head = &c["head"];
        let has_caps_word = head.split(|ch: char| !ch.is_alphanumeric()).any(|w| {
            w.chars().count() >= 3
                && w.chars().all(|ch| ch.is_uppercase() || ch.is_ascii_digit())
                && w.chars().any(char::is_alphabetic)
        });
        if has_caps_word && words(head) <= 5 {
            let end = c.get(0).map_or(0, |m| m.end());
            return &l[end..];
        }
    }
    l
}

/// Whether [`DATELINE`] can match `l` (a line: no `\n`): it needs a dash after at
/// most 49 characters and white space. So the dash is among the first 49 characters,
/// or the first character after them that is not white space.
fn may_have_dateline(l: &str) -> bool {
    let is_dash = |c: char| matches!(c, '-' | '–' | '—');
    let mut chars = l.chars();
    for c in chars.by_ref().take(49) {
        if is_dash(c) {
            return true;
        }
    }
    chars.find(|c| !c.is_whitespace()).is_some_and(is_dash)
}

/// A kept line of the page with its fold and its number of words (up to [`MANY_WORDS`]).
struct Line {
    text: String,
    folded: String,
    words: usize,
}

/// `l` without its dateline, trimmed, and its fold: `folded` (the fold of `l`) when
/// there was no dateline to strip (a kept line is already trimmed).
fn without_dateline<'a>(l: &'a str, folded: &'a str) -> (&'a str, Cow<'a, str>) {
    let stripped = strip_dateline(l);
    if stripped.len() == l.len() {
        (l, Cow::Borrowed(folded))
    } else {
        let stripped = stripped.trim();
        (stripped, Cow::Owned(fold(stripped)))
    }
}

/// Cleans plain text. `title` is the caller's title when it has one (JSON input).
pub fn clean_text(raw: &str, title: Option<&str>, kb: &Knowledge) -> Cleaned {
    clean(raw, title, kb, false)
}

/// Cleans the main content an HTML page's extractor found. The extractor already left
/// the page's furniture out, so a short unpunctuated line between the article's first
/// and last sentences is a subhead or a list item of the article and is kept; above the
/// first and below the last, such lines are kickers, section labels and tags, dropped as
/// in plain text.
pub fn clean_main_content(raw: &str, title: Option<&str>, kb: &Knowledge) -> Cleaned {
    clean(raw, title, kb, true)
}

fn clean(raw: &str, title: Option<&str>, kb: &Knowledge, main_content: bool) -> Cleaned {
    let mut lines: Vec<Line> = Vec::new();
    let mut skip_value_line = false;
    'lines: for line in raw.lines() {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        let f = fold(l);
        let n_words = words_of_line(l);
        if skip_value_line {
            skip_value_line = false;
            if n_words <= 6 && !ends_like_sentence(l) {
                continue;
            }
        }
        for b in kb.boilerplate_hits(&f) {
            // Only short lines: a long paragraph that mentions "Google News" is text.
            if b.kind == BoilerplateKind::LineContains && n_words > 30 {
                continue;
            }
            match b.kind {
                BoilerplateKind::SectionEnd if words(l) <= words(&b.pattern) + 2 => break 'lines,
                BoilerplateKind::SectionEnd => {}
                BoilerplateKind::LabelLine => {
                    // "Editor:" alone: its value is on the next line.
                    skip_value_line = f.len() <= b.pattern.len() + 1;
                    continue 'lines;
                }
                _ => continue 'lines,
            }
        }
        if is_table_row(l) {
            continue;
        }
        lines.push(Line {
            text: l.to_string(),
            folded: f,
            words: n_words,
        });
    }

    // A list of headlines (a digest, the sources a coder cites, a wire's one-liners):
    // several lines, none of which ends like a sentence. Each is what it reports, so
    // each is kept as a line of the body; none is taken for a title or a kicker.
    if lines.len() >= 2 && lines.iter().all(|l| !ends_like_sentence(&l.text)) {
        let mut seen = HashSet::with_capacity(lines.len());
        let body: Vec<&str> = lines
            .iter()
            .map(|l| without_dateline(&l.text, &l.folded))
            .filter(|(l, f)| !l.is_empty() && seen.insert(f.clone()))
            .map(|(l, _)| l)
            .collect();
        return Cleaned {
            title: title
                .map(str::to_string)
                .or_else(|| body.first().map(|l| l.to_string())),
            text: body.join("\n"),
            headlines: true,
        };
    }

    // The title: the caller's, or the first headline-like line near the top.
    let title = title.map(str::to_string).or_else(|| {
        lines
            .iter()
            .take(4)
            .find(|l| l.words >= 6 && !ends_like_sentence(&l.text))
            .map(|l| l.text.clone())
    });
    let title_f = title.as_deref().map(fold);

    let mut body: Vec<&str> = Vec::new();
    // The fold of each line of the body.
    let mut folded: Vec<Cow<str>> = Vec::with_capacity(lines.len());
    let mut seen: HashSet<Cow<str>> = HashSet::with_capacity(lines.len());
    let is_short_heading = |l: &Line| l.words < 6 && !ends_like_sentence(&l.text);
    // Where the article's prose starts and ends (main content only).
    let (first, last) = if main_content {
        (
            lines.iter().position(|l| !is_short_heading(l)),
            lines.iter().rposition(|l| !is_short_heading(l)),
        )
    } else {
        (None, None)
    };
    for (i, line) in lines.iter().enumerate() {
        if Some(&line.folded) == title_f.as_ref() {
            continue;
        }
        // Kickers and headings: short and unpunctuated; in main content, only outside
        // the article's prose (and a line without a letter, a page number or a rule, is no
        // subhead).
        let inside = first.is_some_and(|f| f < i) && last.is_some_and(|l| i < l);
        if is_short_heading(line) && !(inside && line.text.chars().any(char::is_alphabetic)) {
            continue;
        }
        let (l, f) = without_dateline(&line.text, &line.folded);
        if !l.is_empty() && seen.insert(f.clone()) {
            body.push(l);
            folded.push(f);
        }
    }
    // A subtitle that the lede repeats in full (or a cut-off copy of a later line).
    let keep: Vec<bool> = folded
        .iter()
        .enumerate()
        .map(|(i, f)| {
            !folded
                .iter()
                .enumerate()
                .any(|(j, g)| j != i && g.len() > f.len() && g.starts_with(f.trim_end()))
        })
        .collect();
    let text = body
        .into_iter()
        .zip(keep)
        .filter_map(|(b, k)| k.then_some(b))
        .collect::<Vec<_>>()
        .join("\n");
    // A text that is one headline-like line (a wire note, a headline alone) is its own
    // body: what it says must still be read.
    // So is a text of a single short line ("Russian troops attacked Kharkov").
    if text.is_empty() {
        let line = title
            .as_deref()
            .filter(|t| lines.iter().any(|l| l.text == *t))
            .or(match lines.as_slice() {
                [only] => Some(only.text.as_str()),
                _ => None,
            });
        if let Some(t) = line.map(str::to_string) {
            return Cleaned {
                text: strip_dateline(&t).trim().to_string(),
                title: Some(title.unwrap_or(t)),
                headlines: true,
            };
        }
    }
    Cleaned {
        title,
        text,
        headlines: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_the_check_refuses_has_no_dateline() {
        // Dashes of every kind after heads of every length, with white space runs
        // (ASCII and not) of every length before them.
        for head in 0..60 {
            for space in ["", " ", "   ", "\u{A0}", " \u{2009}\t "] {
                for dash in ["-", "–", "—", "--", "x", ""] {
                    for body in ["", " Kyiv said", "-x"] {
                        let l = format!(
                            "{}{space}{dash}{body}",
                            "KYIV ".repeat(head / 5) + &"a".repeat(head % 5)
                        );
                        assert!(
                            may_have_dateline(&l) || DATELINE.captures(&l).is_none(),
                            "{l:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn drops_boilerplate_tables_kickers_and_repeats() {
        let kb = Knowledge::embedded();
        let raw = "Perang Dunia\nJudul Berita Tentang Serangan Besar di Wilayah Kursk\nPasukan menyerang kota itu pada hari Senin dengan drone\nEditor:\nBudi Santoso\nJudul Berita Tentang Serangan Besar di Wilayah Kursk\nJAKARTA, KOMPAS.com - Pasukan menyerang kota itu pada hari Senin dengan drone dan rudal.\nBaca juga: Berita lain yang tidak relevan sama sekali\nParagraf kedua berisi konteks yang cukup panjang.\nPerang Dunia\nJudul lain yang terkait dengan berita ini |\n---|\nIsi komentar sepenuhnya adalah tanggung jawab pengguna dan diatur dalam UU ITE.";
        let c = clean_text(raw, None, &kb);
        assert_eq!(
            c.title.as_deref(),
            Some("Judul Berita Tentang Serangan Besar di Wilayah Kursk")
        );
        assert_eq!(
            c.text,
            "Pasukan menyerang kota itu pada hari Senin dengan drone dan rudal.\nParagraf kedua berisi konteks yang cukup panjang."
        );
    }

    #[test]
    fn main_content_keeps_its_subheads_and_list_items_but_not_kickers_or_tags() {
        let kb = Knowledge::embedded();
        let raw = "World News\nUkraine pushes into Kursk\nOn 6 August 2024, Ukrainian forces crossed into Russia's Kursk region near Sudzha.\nWhat we know\nRussia declared a state of emergency in the region a day later.\nEvacuated districts\nSudzha\nKorenevo\n2\nOfficials said more than 100,000 people had left their homes.\nUkraine\nRussia";
        let c = clean_main_content(raw, Some("Ukraine pushes into Kursk"), &kb);
        assert_eq!(
            c.text,
            "On 6 August 2024, Ukrainian forces crossed into Russia's Kursk region near Sudzha.\nWhat we know\nRussia declared a state of emergency in the region a day later.\nEvacuated districts\nSudzha\nKorenevo\nOfficials said more than 100,000 people had left their homes."
        );
        // Plain text keeps no short line: there, they are as often the page's furniture.
        let c = clean_text(raw, Some("Ukraine pushes into Kursk"), &kb);
        assert_eq!(
            c.text,
            "On 6 August 2024, Ukrainian forces crossed into Russia's Kursk region near Sudzha.\nRussia declared a state of emergency in the region a day later.\nOfficials said more than 100,000 people had left their homes."
        );
    }

    #[test]
    fn a_single_line_is_its_own_body() {
        let kb = Knowledge::embedded();
        let c = clean_text(
            "On 6 January 2022, Russian forces shelled positions near Avdiivka [size=no report]",
            None,
            &kb,
        );
        assert_eq!(
            c.text,
            "On 6 January 2022, Russian forces shelled positions near Avdiivka [size=no report]"
        );
    }

    #[test]
    fn a_list_of_headlines_keeps_every_headline_and_says_so() {
        let kb = Knowledge::embedded();
        let c = clean_text(
            "Russian shelling kills two civilians in Kherson\nDrones hit Kharkiv\nDrones hit Kharkiv\nUkraine: Russian attacks in Zaporizhzhia",
            None,
            &kb,
        );
        assert!(c.headlines);
        assert_eq!(
            c.text,
            "Russian shelling kills two civilians in Kherson\nDrones hit Kharkiv\nUkraine: Russian attacks in Zaporizhzhia"
        );
        // One sentence among the lines makes it an article: kickers go, as before.
        let c = clean_text(
            "Perang Dunia\nPasukan menyerang kota itu pada hari Senin dengan drone dan rudal.",
            None,
            &kb,
        );
        assert!(!c.headlines);
        assert_eq!(
            c.text,
            "Pasukan menyerang kota itu pada hari Senin dengan drone dan rudal."
        );
        // A single short line is its own body.
        let c = clean_text("Russian troops attacked Kharkov", None, &kb);
        assert_eq!(c.text, "Russian troops attacked Kharkov");
    }

    #[test]
    fn strips_datelines_only_when_they_look_like_one() {
        assert_eq!(
            strip_dateline("KYIV (Reuters) - Russian forces struck"),
            "Russian forces struck"
        );
        assert_eq!(
            strip_dateline("TRIBUNNEWS.COM- Presiden Rusia"),
            "Presiden Rusia"
        );
        assert_eq!(
            strip_dateline("Russia-Ukraine talks - what next"),
            "Russia-Ukraine talks - what next"
        );
    }
}
