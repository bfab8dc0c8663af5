//! Text matching shared by the pipeline and the API: case- and accent-folding with an
//! offset map back to the original text, and a multi-pattern phrase matcher (built on
//! Aho-Corasick) that respects word boundaries, prefix wildcards (`обстрел*`) and
//! case-sensitive acronyms (`AS`, `KPA`).

use std::collections::HashMap;

use aho_corasick::automaton::Automaton;
use aho_corasick::automaton::StateID;
use aho_corasick::nfa::contiguous;
use aho_corasick::{Anchored, MatchKind};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

mod compiled;
use compiled::{CAPITAL, EXACT, FLAG_BITS, normalise_punct};
/// `phrase_key_chars` is the build script's key of a phrase, folded a character at a
/// time: the reference [`phrase_key`] agrees with.
pub use compiled::{compile, fold_chars, phrase_key as phrase_key_chars};

/// The key a phrase is looked up by in a compiled list and its flags, as the build
/// script reads a phrase ([`compiled::phrase_key`], which folds a character at a
/// time): the same key, folded by [`fold`].
pub fn phrase_key(phrase: &str) -> Option<(String, u64)> {
    compiled::phrase_key_folded_by(phrase, fold)
}

/// Folds a string for matching: lower case, accents removed, whitespace runs collapsed
/// to one space.
pub fn fold(s: &str) -> String {
    let mut text = String::with_capacity(s.len());
    fold_into(s, &mut text, &mut ());
    text
}

/// Where the bytes of a fold come from (see [`fold_into`]).
trait Origins {
    /// `n` bytes were written from the character at byte `offset` of the original.
    fn char(&mut self, offset: usize, n: usize);
    /// The ASCII bytes `start..end` of the original were written one for one.
    fn ascii(&mut self, start: usize, end: usize);
}

/// A fold without offsets.
impl Origins for () {
    fn char(&mut self, _: usize, _: usize) {}
    fn ascii(&mut self, _: usize, _: usize) {}
}

/// For every byte of the fold, the offset of its character in the original.
impl Origins for Vec<usize> {
    fn char(&mut self, offset: usize, n: usize) {
        self.extend(std::iter::repeat_n(offset, n));
    }
    fn ascii(&mut self, start: usize, end: usize) {
        self.extend(start..end);
    }
}

/// ASCII white space as `char::is_whitespace` has it (with \x0B).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Whether the eight bytes of `w` (in text order from the lowest) are written one for
/// one by [`fold_into`] after `last_space`: all ASCII from the space up, and no space
/// after a space. If so, whether the last of them is a space.
fn plain_ascii_word(w: u64, last_space: bool) -> Option<bool> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if w & HIGH != 0 {
        return None;
    }
    // Every byte is below 0x80 now, so none of these sums carries into the next byte.
    // A byte's high bit stays clear in `w + 0x60` exactly when the byte is below 0x20.
    if !w.wrapping_add(ONES * 0x60) & HIGH != 0 {
        return None;
    }
    // And in `(w ^ 0x20) + 0x7f` exactly when the byte is a space.
    let spaces = !(w ^ (ONES * 0x20)).wrapping_add(ONES * 0x7f) & HIGH;
    if spaces & ((spaces << 8) | u64::from(last_space) << 7) != 0 {
        return None;
    }
    Some(spaces >> 63 != 0)
}

/// Folds `s` onto `text`, telling `origins` where each byte written came from. ASCII
/// (most of English and Indonesian text) takes a fast path, a run of bytes at a time; other characters are decomposed (NFD), stripped of
/// combining marks and lower-cased.
fn fold_into(s: &str, text: &mut String, origins: &mut impl Origins) {
    let bytes = s.as_bytes();
    let mut out = std::mem::take(text).into_bytes();
    out.reserve(bytes.len());
    let mut last_space = false;
    let mut offset = 0;
    while offset < bytes.len() {
        let b = bytes[offset];
        if b.is_ascii() {
            // White space after white space collapses; other than a plain space, it
            // is written as one.
            if is_ascii_space(b) && (last_space || b != b' ') {
                if !last_space {
                    out.push(b' ');
                    origins.char(offset, 1);
                }
                last_space = true;
                offset += 1;
                continue;
            }
            // Everything else is written one for one, up to the next byte that is not:
            // found first (eight bytes at a time where none is white space or
            // non-ASCII), then written in one go.
            let start = offset;
            loop {
                if let Some(chunk) = bytes.get(offset..offset + 8) {
                    let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                    if let Some(space) = plain_ascii_word(w, last_space) {
                        last_space = space;
                        offset += 8;
                        continue;
                    }
                }
                let Some(&b) = bytes.get(offset) else {
                    break;
                };
                let space = b == b' ';
                if !b.is_ascii() || (is_ascii_space(b) && (last_space || !space)) {
                    break;
                }
                last_space = space;
                offset += 1;
            }
            out.extend(bytes[start..offset].iter().map(|&b| {
                if b == b'`' {
                    b'\''
                } else {
                    b.to_ascii_lowercase()
                }
            }));
            origins.ascii(start, offset);
            continue;
        }
        let Some(c) = s[offset..].chars().next() else {
            break;
        };
        let next = offset + c.len_utf8();
        if c.is_whitespace() {
            if !last_space {
                out.push(b' ');
                origins.char(offset, 1);
            }
            last_space = true;
            offset = next;
            continue;
        }
        last_space = false;
        let before = out.len();
        let c = normalise_punct(c);
        let mut buf = [0u8; 4];
        for d in std::iter::once(c).nfd().filter(|d| !is_combining_mark(*d)) {
            for l in d.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        }
        origins.char(offset, out.len() - before);
        offset = next;
    }
    // Whole characters were written, so this is UTF-8.
    *text = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// A folded copy of a text with, for every byte of the copy, the byte offset of the
/// character of the original it came from.
pub struct Folded {
    pub text: String,
    map: Vec<usize>,
    original_len: usize,
}

impl Folded {
    pub fn new(s: &str) -> Self {
        let mut text = String::with_capacity(s.len());
        let mut map = Vec::with_capacity(s.len() + 1);
        fold_into(s, &mut text, &mut map);
        map.push(s.len());
        Folded {
            text,
            map,
            original_len: s.len(),
        }
    }

    /// The whole fold, as the matchers read it.
    pub fn view(&self) -> FoldedSlice<'_> {
        FoldedSlice {
            text: &self.text,
            map: &self.map[..self.text.len()],
            base: 0,
            original_len: self.original_len,
        }
    }

    /// The fold of the original's `start..end` (character boundaries), as
    /// `Folded::new(&original[start..end])` would give it, without folding it again:
    /// the bytes the characters of the range were folded to. `None` where that could
    /// differ, i.e. where the range starts with white space that follows white space
    /// (folded on its own, it would give a space the whole fold collapsed); a range
    /// that starts at a character which is not white space always has one.
    pub fn slice(&self, original: &str, start: usize, end: usize) -> Option<FoldedSlice<'_>> {
        let first_space = original[start..]
            .chars()
            .next()
            .is_some_and(char::is_whitespace);
        let after_space = original[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        if first_space && after_space {
            return None;
        }
        let map = &self.map[..self.text.len()];
        let fs = map.partition_point(|&o| o < start);
        let fe = map.partition_point(|&o| o < end);
        Some(FoldedSlice {
            text: &self.text[fs..fe],
            map: &map[fs..fe],
            base: start,
            original_len: end - start,
        })
    }

    /// The fold of the original text before its byte `at` (a character boundary).
    pub fn before(&self, at: usize) -> &str {
        self.view().before(at)
    }
}

/// The fold of a text, or of a part of a longer text's fold ([`Folded::slice`]), with
/// the offsets of its bytes in that text (the part's own, counted from its start).
#[derive(Clone, Copy)]
pub struct FoldedSlice<'a> {
    pub text: &'a str,
    /// Per byte of `text`, the offset in the whole original of its character.
    map: &'a [usize],
    /// Where the part starts in the whole original.
    base: usize,
    original_len: usize,
}

impl<'a> FoldedSlice<'a> {
    /// The fold of the original text before its byte `at` (a character boundary):
    /// folding runs left to right, so that is a prefix of the whole fold.
    pub fn before(&self, at: usize) -> &'a str {
        let n = self.map.partition_point(|&o| o - self.base < at);
        &self.text[..n]
    }

    /// Whether the character of the original that byte `s` of the fold comes from is
    /// a capital (`original` is the text this is the fold of).
    fn capital_at(&self, original: &str, s: usize) -> bool {
        let at = self.map[s] - self.base;
        match original.as_bytes().get(at) {
            Some(&b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => original[at..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase),
        }
    }

    /// Where a phrase may start in this fold (`original` is the text it is the fold
    /// of): found once for all the phrase lists walked over it.
    pub fn starts(&self, original: &str) -> Starts {
        // About one start in four bytes of prose (words, and the punctuation after
        // them): sized so that the list is rarely grown.
        // (What `WordStarts` yields, in one loop without an iterator's state.)
        let bytes = self.text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 3 + 4);
        let (mut at, mut after_word) = (0, false);
        while at < bytes.len() {
            let b = bytes[at];
            let (word, len) = if b.is_ascii() {
                (ASCII_WORD[usize::from(b)], 1)
            } else {
                match self.text[at..].chars().next() {
                    Some(c) => (is_word_char(c), c.len_utf8()),
                    None => break,
                }
            };
            if !after_word {
                starts.push(Start {
                    at,
                    word,
                    capital: self.capital_at(original, at),
                });
            }
            after_word = word;
            at += len;
            if word {
                // Inside a word: its other ASCII letters and digits start nothing.
                while at < bytes.len() && ASCII_WORD[usize::from(bytes[at])] {
                    at += 1;
                }
            }
        }
        Starts(starts)
    }

    /// Maps a byte range of the folded text back to a byte range of the original.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self
            .map
            .get(start)
            .map_or(self.original_len, |&o| o - self.base);
        // The end maps to the start of the next original character.
        let e = if end >= self.map.len() {
            self.original_len
        } else {
            self.map[end] - self.base
        };
        (s, e.max(s))
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether a match ending at byte `e` of the fold `ft` would end inside a word.
fn splits_word(ft: &str, e: usize) -> bool {
    ft[..e].chars().next_back().is_some_and(is_word_char)
        && ft[e..].chars().next().is_some_and(is_word_char)
}

/// A place in a fold where a phrase may start.
#[derive(Clone, Copy)]
struct Start {
    /// The byte of the fold.
    at: usize,
    /// Whether its character is a letter or digit.
    word: bool,
    /// Whether the character of the original it comes from is a capital.
    capital: bool,
}

/// The places in a fold where a phrase may start ([`FoldedSlice::starts`]), in order.
pub struct Starts(Vec<Start>);

/// Slug form of a name: folded, ASCII letters and digits kept, everything else a dash.
pub fn slugify(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// One phrase found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the pattern's payload in the matcher.
    pub payload: usize,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
}

struct Pattern {
    payload: usize,
    /// The set the phrase belongs to (see [`PhraseSets`]).
    set: usize,
    prefix: bool,
    /// A name written with a capital only matches where the text capitalises it.
    capital: bool,
    /// Acronyms written in capitals only match in capitals.
    exact: Option<Box<str>>,
}

thread_local! {
    /// The last text [`PhraseMatcher::find`] searched, with its fold and word starts:
    /// a sentence is often searched by several lists in a row (the event detector's
    /// other senses, means and words of conflict), and is folded once for them.
    static LAST_FOLD: std::cell::RefCell<Option<(String, Folded, Starts)>> =
        const { std::cell::RefCell::new(None) };
}

/// Finds many phrases at once, leftmost-longest, on word boundaries.
pub struct PhraseMatcher {
    sets: PhraseSets,
}

impl PhraseMatcher {
    /// `phrases` are (phrase, payload index). A phrase ending in `*` matches any
    /// continuation of its last word; a phrase written entirely in capitals matches
    /// case-sensitively; one that starts with a capital only where the text starts it
    /// with one (names are proper nouns: "Kursk" but not "kursk" in a URL slug).
    pub fn new<'a>(phrases: impl IntoIterator<Item = (&'a str, usize)>) -> Self {
        PhraseMatcher {
            sets: PhraseSets::new([phrases]),
        }
    }

    /// As [`PhraseMatcher::new`] (every matcher is a contiguous NFA, walked anchored
    /// from word starts); kept for the matchers no hot loop uses.
    pub fn compact<'a>(phrases: impl IntoIterator<Item = (&'a str, usize)>) -> Self {
        PhraseMatcher {
            sets: PhraseSets::build([phrases]),
        }
    }

    /// All matches in `text`, non-overlapping, leftmost-longest, in text order.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        LAST_FOLD.with_borrow_mut(|last| {
            if last.as_ref().is_none_or(|(t, ..)| t != text) {
                let folded = Folded::new(text);
                let starts = folded.view().starts(text);
                *last = Some((text.to_string(), folded, starts));
            }
            let Some((_, folded, starts)) = last.as_ref() else {
                return Vec::new();
            };
            self.sets
                .find_starts(text, folded.view(), starts, &[0])
                .pop()
                .unwrap_or_default()
        })
    }

    pub fn find_folded(&self, text: &str, folded: FoldedSlice) -> Vec<Hit> {
        self.sets
            .find_folded(text, folded, &[0])
            .pop()
            .unwrap_or_default()
    }
}

/// Several phrase lists in one automaton, so that one pass over a folded text finds
/// the hits of each: every list gets exactly the hits a [`PhraseMatcher`] of its own
/// would give.
///
/// A phrase only counts where it starts a word (after a character that is not a
/// letter or digit, or at the start), so the automaton is walked anchored from each
/// word start along the trie, never through failure transitions: that finds every
/// occurrence of every phrase starting there, i.e. everything an unanchored
/// overlapping scan would find and the word-start check would keep. Candidates are
/// then taken in the order such a scan reports them (by end, then longest, then
/// first listed).
pub struct PhraseSets {
    /// Every phrase.
    all: Option<Trie>,
    /// The phrases not written with a capital, which are all that can start where
    /// the text has no capital (most word starts): a much smaller trie to walk.
    uncapitalised: Option<Trie>,
    patterns: Vec<Pattern>,
}

/// Per byte, whether it is an ASCII letter or digit (a word character; a byte
/// outside ASCII is not one here).
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// Some of the phrases of a [`PhraseSets`] as a trie of their distinct folds, with
/// the indices in `patterns` of the phrases of each of its own patterns.
struct Trie {
    nfa: contiguous::NFA,
    start: StateID,
    /// Per trie pattern (a distinct fold), its range in `members`.
    groups: Vec<(u32, u32)>,
    /// Indices in `patterns`, in order, grouped by fold.
    members: Vec<usize>,
}

impl Trie {
    /// The trie of the phrases `which` (indices into `folded`, in order; phrases that
    /// fold alike are neighbours, as `folded` is sorted). A fold is inserted once
    /// however many phrases share it (the region names of every language's set, for
    /// one), and its match stands for each of them in their order.
    fn build(folded: &[&str], which: Vec<usize>) -> Option<Trie> {
        if which.is_empty() {
            return None;
        }
        let mut groups: Vec<(u32, u32)> = Vec::new();
        let mut keys: Vec<&str> = Vec::new();
        for (at, &i) in which.iter().enumerate() {
            let at = u32::try_from(at).ok()?;
            match (keys.last(), groups.last_mut()) {
                (Some(&k), Some(g)) if k == folded[i] => g.1 = at + 1,
                _ => {
                    keys.push(folded[i]);
                    groups.push((at, at + 1));
                }
            }
        }
        // Anchored walks only: a trie, no failure transitions are followed.
        let nfa = contiguous::Builder::new()
            .match_kind(MatchKind::Standard)
            .build(keys)
            .ok()?;
        let start = nfa.start_state(Anchored::Yes).ok()?;
        Some(Trie {
            nfa,
            start,
            groups,
            members: which,
        })
    }

    /// The indices in `patterns` of the phrases whose fold is the trie's pattern `pid`.
    fn members(&self, pid: aho_corasick::PatternID) -> &[usize] {
        let (a, b) = self.groups[pid.as_usize()];
        &self.members[a as usize..b as usize]
    }
}

impl PhraseSets {
    /// One list of (phrase, payload index) per set, written as for
    /// [`PhraseMatcher::new`]; set `i` is the `i`-th list.
    pub fn new<'a, I>(sets: impl IntoIterator<Item = I>) -> Self
    where
        I: IntoIterator<Item = (&'a str, usize)>,
    {
        PhraseSets::build(sets)
    }

    fn build<'a, I>(sets: impl IntoIterator<Item = I>) -> Self
    where
        I: IntoIterator<Item = (&'a str, usize)>,
    {
        // Each distinct phrase is folded once (the region names recur in every
        // language's set); `folds` holds the distinct folds, `folded` each pattern's.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut folds: Vec<String> = Vec::new();
        let mut folded: Vec<usize> = Vec::new();
        let mut patterns = Vec::new();
        let mut n_sets = 0;
        for (set, phrases) in sets.into_iter().enumerate() {
            n_sets = set + 1;
            for (phrase, payload) in phrases {
                let phrase = phrase.trim();
                let (body, prefix) = match phrase.strip_suffix('*') {
                    Some(b) => (b.trim_end(), true),
                    None => (phrase, false),
                };
                let f = *seen.entry(body).or_insert_with(|| {
                    folds.push(fold(body));
                    folds.len() - 1
                });
                if folds[f].is_empty() {
                    continue;
                }
                let has_letters = body.chars().any(|c| c.is_alphabetic());
                let exact =
                    (has_letters && body.chars().all(|c| !c.is_lowercase())).then(|| body.into());
                folded.push(f);
                patterns.push(Pattern {
                    payload,
                    set,
                    prefix,
                    capital: body.chars().next().is_some_and(char::is_uppercase),
                    exact,
                });
            }
        }
        // In byte order, the trie's states come out depth first, so a walk along one
        // phrase reads neighbouring memory. The sort is stable: equal phrases (whose
        // candidates differ only in the order of their patterns) keep their order.
        let mut order: Vec<usize> = (0..folded.len()).collect();
        order.sort_by(|&a, &b| folds[folded[a]].cmp(&folds[folded[b]]));
        let mut slots: Vec<Option<Pattern>> = patterns.into_iter().map(Some).collect();
        let patterns: Vec<Pattern> = order.iter().map(|&i| slots[i].take().unwrap()).collect();
        let folded: Vec<&str> = order.iter().map(|&i| folds[folded[i]].as_str()).collect();
        let all = Trie::build(&folded, (0..folded.len()).collect());
        // Equal phrases keep their order here too.
        let uncapitalised = Trie::build(
            &folded,
            (0..folded.len())
                .filter(|&i| !patterns[i].capital)
                .collect(),
        );
        if let Some(t) = &all {
            tracing::debug!(
                patterns = patterns.len(),
                sets = n_sets,
                bytes = t.nfa.memory_usage(),
                uncapitalised_bytes = uncapitalised.as_ref().map_or(0, |t| t.nfa.memory_usage()),
                "phrase matcher built"
            );
        }
        PhraseSets {
            all,
            uncapitalised,
            patterns,
        }
    }

    /// The matches of each of the sets `wanted` in `text` (whose fold is `folded`),
    /// in the order of `wanted`: per set non-overlapping, leftmost-longest, in text
    /// order.
    pub fn find_folded(&self, text: &str, folded: FoldedSlice, wanted: &[usize]) -> Vec<Vec<Hit>> {
        self.find_starts(text, folded, &folded.starts(text), wanted)
    }

    /// As [`PhraseSets::find_folded`], from the fold's `starts` (found once for the
    /// lists walked over the same fold).
    pub fn find_starts(
        &self,
        text: &str,
        folded: FoldedSlice,
        starts: &Starts,
        wanted: &[usize],
    ) -> Vec<Vec<Hit>> {
        let mut out: Vec<Vec<Hit>> = vec![Vec::new(); wanted.len()];
        if self.all.is_none() {
            return out;
        }
        let ft = folded.text;
        let bytes = ft.as_bytes();
        // (slot in `out`; end and start in the fold, start and end in the original,
        // payload) of every wanted set's candidates, in one list.
        type Cand = (usize, usize, usize, usize, usize);
        let mut cands: Vec<(usize, Cand)> = Vec::with_capacity(32);
        for &Start {
            at: s,
            word: first_is_word,
            capital,
        } in &starts.0
        {
            // A phrase written with a capital matches only where the text has one
            // (at the original character this word start was folded from): elsewhere
            // only the others can, and only their trie is walked.
            let Some(trie) = (if capital {
                &self.all
            } else {
                &self.uncapitalised
            }) else {
                continue;
            };
            let nfa = &trie.nfa;
            let mut sid = trie.start;
            for (i, &b) in bytes[s..].iter().enumerate() {
                sid = nfa.next_state(Anchored::Yes, sid, b);
                if nfa.is_dead(sid) {
                    break;
                }
                if !nfa.is_match(sid) {
                    continue;
                }
                let depth = i + 1;
                for k in 0..nfa.match_len(sid) {
                    let pid = nfa.match_pattern(sid, k);
                    // A state's own phrases, not those of its suffixes (which start
                    // later).
                    if nfa.pattern_len(pid) != depth {
                        continue;
                    }
                    for &m in trie.members(pid) {
                        let p = &self.patterns[m];
                        // The slot of the set (the last where `wanted` names it twice).
                        let Some(kslot) = wanted.iter().rposition(|&w| w == p.set) else {
                            continue;
                        };
                        let raw_end = s + depth;
                        let mut e = raw_end;
                        if p.prefix {
                            e += ft[e..]
                                .char_indices()
                                .find(|(_, c)| !is_word_char(*c))
                                .map(|(i, _)| i)
                                .unwrap_or(ft.len() - e);
                        } else if first_is_word && splits_word(ft, e) {
                            continue;
                        }
                        let (os, oe) = folded.original_range(s, e);
                        if let Some(exact) = &p.exact {
                            let orig = &text[os..oe];
                            if orig.split_whitespace().ne(exact.split_whitespace()) {
                                continue;
                            }
                        }
                        // (A phrase written with a capital is only walked to where the text
                        // has one.)
                        debug_assert!(!p.capital || capital);
                        cands.push((kslot, (raw_end, s, os, oe, p.payload)));
                    }
                }
            }
        }
        // Each set's candidates in the order of an overlapping scan: by end, then
        // longest (the earlier start), then the earliest-listed pattern (the walk's
        // order, kept by the stable sort).
        cands.sort_by_key(|&(k, c)| (k, c.0, c.1));
        // Then leftmost, then longest, then the earliest-listed pattern.
        cands.sort_by(|(k, a), (l, b)| k.cmp(l).then(a.2.cmp(&b.2)).then(b.3.cmp(&a.3)));
        let mut pos = 0;
        let mut last_slot = usize::MAX;
        for (k, (_, _, s, e, payload)) in cands {
            if k != last_slot {
                (last_slot, pos) = (k, 0);
            }
            if s < pos {
                continue;
            }
            out[k].push(Hit {
                payload,
                start: s,
                end: e,
            });
            pos = e;
        }
        out
    }
}

/// A phrase list compiled ahead of time ([`compile`]) into two `fst` maps from folded
/// phrase to `payload << 2 | flags`, read in place (from bytes embedded in the binary:
/// nothing is built at start-up). It finds what a [`PhraseMatcher`] of the same
/// phrases finds, where phrases that fold alike share their payload, except that
/// acronyms match wherever the text writes them without lower-case letters and that
/// prefix phrases (`обстрел*`) are not supported.
pub struct CompiledPhrases<D> {
    all: fst::raw::Fst<D>,
    uncapitalised: fst::raw::Fst<D>,
    /// Per map, its root's transitions by input byte ([`root_table`]).
    all_root: RootTable,
    uncapitalised_root: RootTable,
}

/// A map's root transitions by input byte: the first step of a walk from every word
/// start, looked up here instead of decoding the root node each time.
type RootTable = Box<[Option<(fst::raw::CompiledAddr, fst::raw::Output)>]>;

fn root_table<D: AsRef<[u8]>>(map: &fst::raw::Fst<D>) -> RootTable {
    let mut t: RootTable = vec![None; 256].into_boxed_slice();
    for tr in map.root().transitions() {
        t[usize::from(tr.inp)] = Some((tr.addr, tr.out));
    }
    t
}

impl<D: AsRef<[u8]>> CompiledPhrases<D> {
    /// The list from the two maps [`compile`] made.
    pub fn new(all: D, uncapitalised: D) -> Result<Self, fst::Error> {
        let all = fst::raw::Fst::new(all)?;
        let uncapitalised = fst::raw::Fst::new(uncapitalised)?;
        Ok(CompiledPhrases {
            all_root: root_table(&all),
            uncapitalised_root: root_table(&uncapitalised),
            all,
            uncapitalised,
        })
    }

    /// The payload of a phrase's key, if the list holds it.
    pub fn get(&self, phrase: &str) -> Option<usize> {
        let (key, _) = phrase_key(phrase)?;
        let v = self.all.get(key)?.value();
        usize::try_from(v >> FLAG_BITS).ok()
    }

    pub fn find(&self, text: &str) -> Vec<Hit> {
        let folded = Folded::new(text);
        self.find_folded(text, folded.view())
    }

    /// All matches in `text` (whose fold is `folded`), non-overlapping,
    /// leftmost-longest, in text order.
    pub fn find_folded(&self, text: &str, folded: FoldedSlice) -> Vec<Hit> {
        self.find_starts(text, folded, &folded.starts(text))
    }

    /// As [`CompiledPhrases::find_folded`], from the fold's `starts` (found once for
    /// the lists walked over the same fold).
    pub fn find_starts(&self, text: &str, folded: FoldedSlice, starts: &Starts) -> Vec<Hit> {
        let ft = folded.text;
        let bytes = ft.as_bytes();
        let mut hits: Vec<Hit> = Vec::new();
        for &Start {
            at: s,
            word: first_is_word,
            capital,
        } in &starts.0
        {
            // Only the previous hit can overlap this start; the longest match here is
            // the one kept.
            let (os, _) = folded.original_range(s, s);
            if hits.last().is_some_and(|h| h.end > os) {
                continue;
            }
            let (map, root) = if capital {
                (&self.all, &self.all_root)
            } else {
                (&self.uncapitalised, &self.uncapitalised_root)
            };
            // The first step from the root's table, the others from the nodes.
            let Some(&Some((addr, mut out))) = root.get(usize::from(bytes[s])) else {
                continue;
            };
            let mut node = map.node(addr);
            let mut longest: Option<Hit> = None;
            for i in 0..bytes.len() - s {
                if i > 0 {
                    let Some(t) = node.find_input(bytes[s + i]) else {
                        break;
                    };
                    let t = node.transition(t);
                    out = out.cat(t.out);
                    node = map.node(t.addr);
                }
                if !node.is_final() {
                    continue;
                }
                let e = s + i + 1;
                if first_is_word && splits_word(ft, e) {
                    continue;
                }
                let v = out.cat(node.final_output()).value();
                let (os, oe) = folded.original_range(s, e);
                if v & EXACT != 0 && text[os..oe].chars().any(char::is_lowercase) {
                    continue;
                }
                debug_assert!(v & CAPITAL == 0 || capital);
                longest = Some(Hit {
                    payload: usize::try_from(v >> FLAG_BITS).unwrap_or(usize::MAX),
                    start: os,
                    end: oe,
                });
            }
            hits.extend(longest);
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compiled list finds what a [`PhraseMatcher`] of the same phrases finds: on
    /// word boundaries, leftmost-longest, capitalised names only where the text
    /// capitalises them, acronyms only in capitals.
    #[test]
    fn a_compiled_list_finds_what_a_phrase_matcher_finds() {
        let phrases = [
            "Pokrovsk",
            "Покровск",
            "Покровске",
            "New York",
            "York",
            "New York City",
            "city of Kherson",
            "kota Kherson",
            "Kherson",
            "KPA",
            "Rostov-on-Don",
            "Rostov",
            "São Paulo",
            "Ho Chi Minh City",
            "Saint-Louis",
            "L'Aquila",
            "Ар-Рака",
            "İzmir",
        ];
        let keys: std::collections::BTreeMap<String, u64> = phrases
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (k, flags) = phrase_key(p).unwrap();
                (k, (i as u64) << FLAG_BITS | flags)
            })
            .collect();
        assert_eq!(keys.len(), phrases.len(), "no two phrases fold alike");
        let (all, uncapitalised) = compile(&keys).unwrap();
        let compiled = CompiledPhrases::new(all, uncapitalised).unwrap();
        let reference = PhraseMatcher::new(phrases.iter().enumerate().map(|(i, p)| (*p, i)));
        let words = [
            "in", "near", "the", ",", "city", "of", "kota", "и", "в", "(", "-", "new", "kpa",
            "Kpa", "yorks", "Sao", "'", "izmir", "IZMIR", "ho", "chi",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut pick = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..pick(9) {
                let w = match pick(5) {
                    0 | 1 => words[pick(words.len())].to_string(),
                    2 => phrases[pick(phrases.len())].to_lowercase(),
                    _ => phrases[pick(phrases.len())].to_string(),
                };
                s.push_str(&w);
                if pick(3) > 0 {
                    s.push(' ');
                }
            }
            assert_eq!(compiled.find(&s), reference.find(&s), "{s:?}");
        }
        assert_eq!(compiled.get("kherson"), Some(8));
        assert_eq!(compiled.get("Omsk"), None);
    }

    #[test]
    fn the_ascii_fast_path_folds_as_the_general_one() {
        // Every ASCII character, twice, and next to the non-ASCII white space.
        let ascii: String = (0u8..128).chain(0u8..128).map(char::from).collect();
        let mixed = format!("{ascii}\u{85}\u{2009}{ascii}\u{3000}x");
        for s in [
            ascii.as_str(),
            mixed.as_str(),
            "On Friday,  Russian\tforces SHELLED `Sudzha`.",
            "Senin (28/4/2025) – «Курской области» İstanbul ÉCOLE ǅ ß ﬁ ё й",
            "Херсонській області\u{2019}s \u{201C}quoted\u{201D} \u{2014} x\u{0301}y",
            "\u{0130}\u{0130}ABC \u{000B}\u{00A0} end",
            "",
        ] {
            let f = Folded::new(s);
            let (text, map) = fold_chars(s);
            assert_eq!(f.text, text, "{s:?}");
            assert_eq!(f.map, map, "{s:?}");
            assert_eq!(fold(s), text);
            for (at, _) in s.char_indices().chain([(s.len(), ' ')]) {
                assert_eq!(f.before(at), fold(&s[..at]), "{s:?} before {at}");
            }
        }
    }

    #[test]
    fn folding_eight_bytes_at_a_time_agrees_with_the_reference() {
        // Strings over an alphabet of plain ASCII, spaces, other white space, a
        // backtick, capitals and non-ASCII, at every alignment: every way an
        // eight-byte chunk can hold them.
        let alphabet = [
            "a", "Z", " ", " ", "\t", "\n", "`", "x", "\u{0B}", "\u{7F}", "\u{1F}", "é", "\u{A0}",
            "-", "Q",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..400 {
            let mut s = String::new();
            for _ in 0..len % 40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Mostly letters and single spaces, as in text.
                let k = (seed % 64) as usize;
                s.push_str(if k < alphabet.len() {
                    alphabet[k]
                } else if k.is_multiple_of(6) {
                    " "
                } else {
                    "k"
                });
            }
            let f = Folded::new(&s);
            let (text, map) = fold_chars(&s);
            assert_eq!(f.text, text, "{s:?}");
            assert_eq!(f.map, map, "{s:?}");
            assert_eq!(fold(&s), text, "{s:?}");
        }
    }

    /// The key a name is looked up by at run time is the one the build script
    /// compiled it under.
    #[test]
    fn phrase_keys_are_the_build_script_s() {
        for p in [
            "Pokrovsk",
            "  New  York\tCity ",
            "KPA",
            "São Paulo",
            "İzmir",
            "Ар-Рака",
            "L`Aquila",
            "Rostov‑on‑Don",
            "обстрел*",
            "",
            "   ",
            "ÉCOLE ß",
            "x\u{0301}y",
        ] {
            assert_eq!(phrase_key(p), phrase_key_chars(p), "{p:?}");
        }
    }

    /// The reference for [`FoldedSlice::starts`]: the places in a fold where a phrase
    /// may start (after a character that is not a letter or digit, or at the start),
    /// each with whether its own character is a letter or digit.
    struct WordStarts<'a> {
        ft: &'a str,
        next: usize,
        after_word: bool,
    }

    impl<'a> WordStarts<'a> {
        fn new(ft: &'a str) -> Self {
            WordStarts {
                ft,
                next: 0,
                after_word: false,
            }
        }
    }

    impl Iterator for WordStarts<'_> {
        type Item = (usize, bool);

        fn next(&mut self) -> Option<(usize, bool)> {
            let bytes = self.ft.as_bytes();
            while self.next < bytes.len() {
                let s = self.next;
                let word_char = match bytes[s] {
                    b if b.is_ascii() => {
                        self.next += 1;
                        ASCII_WORD[usize::from(b)]
                    }
                    _ => {
                        let c = self.ft[s..].chars().next()?;
                        self.next += c.len_utf8();
                        is_word_char(c)
                    }
                };
                let word_start = !self.after_word;
                self.after_word = word_char;
                if word_start {
                    return Some((s, word_char));
                }
                if word_char {
                    // Inside a word: its other ASCII letters and digits start nothing.
                    while self.next < bytes.len() && ASCII_WORD[usize::from(bytes[self.next])] {
                        self.next += 1;
                    }
                }
            }
            None
        }
    }

    /// The starts the phrase walks read are the word starts, with the capitals of
    /// the original.
    #[test]
    fn starts_are_the_word_starts_with_their_capitals() {
        for s in [
            "Kursk Oblast: «Курской  области», São-Paulo’s x\u{0301}y 12th ÉCOLE. end",
            "",
            " a",
            "İzmir—Ankara ... (KPA) 2024-08-06",
        ] {
            let f = Folded::new(s);
            let v = f.view();
            let got: Vec<(usize, bool, bool)> = v
                .starts(s)
                .0
                .iter()
                .map(|t| (t.at, t.word, t.capital))
                .collect();
            let want: Vec<(usize, bool, bool)> = WordStarts::new(&f.text)
                .map(|(at, word)| (at, word, v.capital_at(s, at)))
                .collect();
            assert_eq!(got, want, "{s:?}");
            assert!(got.iter().any(|t| t.2) || !s.chars().any(char::is_uppercase));
        }
    }

    #[test]
    fn a_slice_of_a_fold_is_the_fold_of_the_slice() {
        let s = "Senin (28/4/2025) \t– «Курской  области»\n\nİstanbul x\u{0301}y  ÉCOLE ß. End";
        let whole = Folded::new(s);
        let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
        for (k, &start) in bounds.iter().enumerate() {
            for &end in &bounds[k..] {
                let Some(slice) = whole.slice(s, start, end) else {
                    // Only white space after white space has none.
                    assert!(s[start..].starts_with(char::is_whitespace));
                    assert!(s[..start].ends_with(char::is_whitespace));
                    continue;
                };
                let own = Folded::new(&s[start..end]);
                let own = own.view();
                assert_eq!(slice.text, own.text, "{start}..{end}");
                for i in 0..=own.text.len() + 1 {
                    for j in i..=own.text.len() + 1 {
                        assert_eq!(slice.original_range(i, j), own.original_range(i, j));
                    }
                }
                for &at in bounds.iter().filter(|&&b| b >= start && b <= end) {
                    assert_eq!(slice.before(at - start), own.before(at - start));
                }
            }
        }
    }

    #[test]
    fn folding_removes_case_accents_and_collapses_space() {
        assert_eq!(fold("Zaporizhzhia  Oblast"), "zaporizhzhia oblast");
        assert_eq!(fold("Курской   области"), "курскои области");
        assert_eq!(fold("Café"), "cafe");
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slugify("Kursk Oblast"), "kursk-oblast");
        assert_eq!(slugify(" Côte d'Ivoire "), "cote-d-ivoire");
    }

    /// A phrase listed in several sets, or twice in one with two payloads, is one
    /// pattern of the trie: each set still gets what a matcher of its own finds, with
    /// the payloads in the order they were listed.
    #[test]
    fn phrases_shared_by_sets_are_found_in_each_as_a_matcher_of_its_own_finds() {
        let sets: [Vec<(&str, usize)>; 3] = [
            vec![("Kherson", 0), ("Kherson Oblast", 1), ("kota", 2)],
            vec![
                ("Kherson", 5),
                ("KHERSON", 6),
                ("Kherson", 7),
                ("Oblast*", 8),
            ],
            vec![("kherson oblast", 9), ("Kherson", 3)],
        ];
        let together = PhraseSets::new(sets.iter().map(|s| s.iter().copied()));
        for text in [
            "Kherson Oblast and kota Kherson.",
            "KHERSON, kherson oblasts; Kherson",
            "Khersonoblast kota",
        ] {
            let folded = Folded::new(text);
            let found = together.find_folded(text, folded.view(), &[2, 0, 1]);
            for (k, set) in [2, 0, 1].into_iter().enumerate() {
                let alone = PhraseMatcher::new(sets[set].iter().copied());
                assert_eq!(found[k], alone.find(text), "set {set} in {text:?}");
            }
        }
        // The earliest-listed of a set's payloads for one phrase wins, in each set.
        let folded = Folded::new("Kherson");
        let payloads: Vec<Vec<usize>> = together
            .find_folded("Kherson", folded.view(), &[0, 1, 2])
            .iter()
            .map(|hits| hits.iter().map(|h| h.payload).collect())
            .collect();
        assert_eq!(payloads, [vec![0], vec![5], vec![3]]);
    }

    #[test]
    fn matcher_respects_boundaries_prefixes_and_acronyms() {
        let m = PhraseMatcher::new([
            ("Kursk", 0),
            ("oblast Kursk", 1),
            ("обстрел*", 2),
            ("AS", 3),
            ("Lima", 4),
        ]);
        let text = "Pasukan AS menyerang oblast Kursk; as well as Kurskaya; обстрелами lima";
        let hits = m.find(text);
        let got: Vec<(usize, &str)> = hits
            .iter()
            .map(|h| (h.payload, &text[h.start..h.end]))
            .collect();
        assert_eq!(got, vec![(3, "AS"), (1, "oblast Kursk"), (2, "обстрелами")]);
    }

    #[test]
    fn offsets_map_back_through_multibyte_text() {
        let m = PhraseMatcher::new([("херсонській області", 0)]);
        let text = "У Херсонській  області";
        let h = m.find(text);
        assert_eq!(&text[h[0].start..h[0].end], "Херсонській  області");
    }
}
