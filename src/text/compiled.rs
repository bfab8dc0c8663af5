//! Phrase lists compiled ahead of time: the character-at-a-time fold, and the finite
//! state transducers (`fst` maps) that [`super::CompiledPhrases`] walks. This file is
//! also compiled into `build.rs` (which turns the worldwide town list into such maps
//! when the crate is built), so it uses nothing but `std`, `fst` and
//! `unicode-normalization`.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The key must be matched only where the text starts it with a capital (the phrase
/// was written with one).
pub const CAPITAL: u64 = 1;
/// The key must be matched only where the text writes it without lower-case letters
/// (the phrase was written in capitals: an acronym).
pub const EXACT: u64 = 2;
/// A value is `payload << FLAG_BITS | flags`.
pub const FLAG_BITS: u32 = 2;

/// Typographic variants that writers use interchangeably.
pub fn normalise_punct(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}' | '\u{201E}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// Folds one character at a time (lower case, accents removed, white-space runs
/// collapsed to one space), with the offset in `s` of the character each byte of the
/// fold comes from: the slow way, which the fast `fold` must agree with.
pub fn fold_chars(s: &str) -> (String, Vec<usize>) {
    let (mut text, mut map, mut last_space) = (String::new(), Vec::new(), false);
    for (offset, c) in s.char_indices() {
        if c.is_whitespace() {
            if !last_space {
                text.push(' ');
                map.push(offset);
            }
            last_space = true;
            continue;
        }
        last_space = false;
        for d in std::iter::once(normalise_punct(c))
            .nfd()
            .filter(|d| !is_combining_mark(*d))
        {
            for l in d.to_lowercase() {
                let before = text.len();
                text.push(l);
                map.extend(std::iter::repeat_n(offset, text.len() - before));
            }
        }
    }
    map.push(s.len());
    (text, map)
}

/// The key a phrase is looked up by and its flags, as `PhraseMatcher::new` reads a
/// phrase. `None` for an empty phrase and for a prefix phrase (`обстрел*`), which
/// compiled lists do not support.
pub fn phrase_key(phrase: &str) -> Option<(String, u64)> {
    phrase_key_folded_by(phrase, |body| fold_chars(body).0)
}

/// [`phrase_key`] with the phrase folded by `fold`, which must fold as
/// [`fold_chars`] does (the crate's fast fold does, a run of bytes at a time).
pub fn phrase_key_folded_by(
    phrase: &str,
    fold: impl FnOnce(&str) -> String,
) -> Option<(String, u64)> {
    let body = phrase.trim();
    if body.ends_with('*') {
        return None;
    }
    let key = fold(body);
    if key.is_empty() {
        return None;
    }
    let mut flags = 0;
    if body.chars().next().is_some_and(char::is_uppercase) {
        flags |= CAPITAL;
    }
    if body.chars().any(char::is_alphabetic) && !body.chars().any(char::is_lowercase) {
        flags |= EXACT;
    }
    Some((key, flags))
}

/// The two maps of a compiled list from its keys and values (`payload << FLAG_BITS |
/// flags`): every key, and the keys without [`CAPITAL`] (all that can start where the
/// text has no capital, most word starts: a much smaller map to walk).
pub fn compile(keys: &BTreeMap<String, u64>) -> Result<(Vec<u8>, Vec<u8>), fst::Error> {
    let mut all = fst::MapBuilder::memory();
    let mut uncapitalised = fst::MapBuilder::memory();
    for (k, &v) in keys {
        all.insert(k, v)?;
        if v & CAPITAL == 0 {
            uncapitalised.insert(k, v)?;
        }
    }
    Ok((all.into_inner()?, uncapitalised.into_inner()?))
}
