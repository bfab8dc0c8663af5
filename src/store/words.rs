//! PostgreSQL: a 256-bit signature of an event's words on each of its link rows
//! (migration 0018, issue 19 target 3), so that a page of `region=…&q=…` passes over
//! most events without the words in the link index, before any text is read.
//!
//! A word here is a maximal run of ASCII letters, or of ASCII digits, of a folded text
//! ("12.5km" holds "12", "5" and "km"; "v12" holds "v" and "12"). Each sets
//! five bits: the first five bytes of its SHA-256, each a position 0–255 among four
//! `bigint`s (`w0` holds 0–63, …), except the top bit of each `bigint`, which is never
//! set, so a signature is never negative (the query's check is one inequality, see
//! [`check`]). A link row whose signature is not known holds −1, every bit: it
//! passes every check, and its event's texts are read as before. Migration 0018 fills
//! the rows of an existing store with the same words and bits in SQL (`regexp_matches`
//! and `sha256`); a test checks that both give the same signatures.
//!
//! Why these words and not PostgreSQL's own lexemes (which Rust cannot compute): a
//! query word made only of ASCII letters and digits is its own lexeme
//! (`plainto_tsquery('simple', …)`), and a text that holds it as a lexeme holds each of
//! its letter runs and digit runs as a whole run: PostgreSQL's parser never ends a token
//! between two ASCII letters or between two ASCII digits, though it may between a digit
//! and a letter ("12.5km" gives the lexemes "12.5" and "km"; hence runs of one class,
//! not of letters and digits together). So an event that matches the words has every
//! bit of their mask: the signature may let through an event that does not match (its
//! texts are then checked), never hide one that does. Query words with any other
//! character add no bits.
//!
//! **Exact words** (migration 0019): a fifth `bigint`, `w4`, gives one bit to each word
//! of `data/lexicon/exact-words.txt` (bit i: line i; 63 words the lexicon's event
//! types and means are told by, see `scripts/exact_words.py`). Its bit says the event
//! *certainly* holds the word as a lexeme of one of its texts, so that a page of that
//! one word need not read the event's texts at all. It is one-sided: set only where
//! PostgreSQL's parser cannot read the word as anything but a whole word (see
//! [`certain`]); a word seen elsewhere leaves it clear, and the texts are read as
//! before. 0 is "not known" (the column's default, a correction's links): it never
//! lets an event through that does not match, so unlike `w0…w3` the unknown value is
//! no bit at all.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A signature: bits 0–62 of each of four words (`w0…w3`), then the exact words' bits
/// (`w4`).
pub type Signature = [i64; 5];

/// A link row's signature when its event's words are not known: every hashed bit, no
/// exact bit.
pub const UNKNOWN: Signature = [-1, -1, -1, -1, 0];

/// The exact words and their bits in `w4` (`data/lexicon/exact-words.txt`).
pub fn exact_words() -> &'static HashMap<&'static str, u32> {
    static W: OnceLock<HashMap<&'static str, u32>> = OnceLock::new();
    W.get_or_init(|| {
        include_str!("../../data/lexicon/exact-words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .zip(0..63)
            .collect()
    })
}

/// The `w4` bits of a folded text: each exact word that PostgreSQL's default parser
/// certainly reads as that whole word (an `asciiword` token, the lexeme itself under
/// the `simple` configuration). Conservative: the word must stand between white space
/// (or the text's ends), or with one bracket or quote before it and one closing
/// punctuation mark (`,;:!?)"].`) after it, that mark itself followed by white space or
/// the end: there the parser ends a token on either side, whatever else the text
/// holds. A text with `<` gives no bits (an XML-like tag may run over white space and
/// is not indexed). Anything else ("drone-strike", "drone.example", "droneя") gives no
/// bit, and the event's texts are read as without the bit.
pub fn certain(text: &str) -> i64 {
    let b = text.as_bytes();
    if b.contains(&b'<') {
        return 0;
    }
    let exact = exact_words();
    let ws = |c: u8| matches!(c, b' ' | b'\n' | b'\t' | b'\r');
    let before = |i: usize| {
        i == 0
            || ws(b[i - 1])
            || (matches!(b[i - 1], b'(' | b'"' | b'[') && (i == 1 || ws(b[i - 2])))
    };
    let after = |j: usize| {
        j == b.len()
            || ws(b[j])
            || (matches!(
                b[j],
                b',' | b';' | b':' | b'!' | b'?' | b')' | b'"' | b']' | b'.'
            ) && (j + 1 == b.len() || ws(b[j + 1])))
    };
    let mut bits = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        if let Some(&bit) = text.get(start..i).and_then(|w| exact.get(w))
            && before(start)
            && after(i)
        {
            bits |= 1i64 << bit;
        }
    }
    bits
}

/// The `w4` bit that answers a query by itself: its words are one word of the exact
/// list (folded), so that an event holds it exactly when some text of it holds that
/// lexeme. None otherwise (several words must be in one text, which a per-event bit
/// cannot tell).
pub fn exact(query: &[String]) -> Option<i64> {
    match query {
        [w] => exact_words().get(w.as_str()).map(|&bit| 1i64 << bit),
        _ => None,
    }
}

/// The check of a link row `l` against the words' mask `m` (its four placeholders): no
/// bit of the mask missing. One inequality rather than four equalities: PostgreSQL
/// guesses 0.5 % of rows pass an equality of two expressions and then reads the whole
/// range and sorts it; an inequality, a third, and the range is read in page order.
pub fn check(m: &[String]) -> String {
    format!(
        "(({} & ~l.w0) | ({} & ~l.w1) | ({} & ~l.w2) | ({} & ~l.w3)) < 1",
        m[0], m[1], m[2], m[3]
    )
}

fn set(sig: &mut Signature, word: &[u8]) {
    let h = Sha256::digest(word);
    for &p in &h[..5] {
        let bit = p & 63;
        if bit != 63 {
            sig[usize::from(p >> 6)] |= 1i64 << bit;
        }
    }
}

/// The words of a folded text: maximal runs of ASCII letters and of ASCII digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let class = |c: u8| {
        if c.is_ascii_alphabetic() {
            1
        } else if c.is_ascii_digit() {
            2
        } else {
            0
        }
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && class(b[i]) == 0 {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let (start, k) = (i, class(b[i]));
        while i < b.len() && class(b[i]) == k {
            i += 1;
        }
        // ASCII bytes only: `start..i` lies on character boundaries.
        text.get(start..i)
    })
}

/// The signature of an event's folded texts.
pub fn signature<'a>(texts: impl IntoIterator<Item = &'a str>) -> Signature {
    let mut sig = [0; 5];
    let mut seen = std::collections::HashSet::new();
    for t in texts {
        sig[4] |= certain(t);
        for w in words(t) {
            if seen.insert(w) {
                set(&mut sig, w.as_bytes());
            }
        }
    }
    sig
}

/// The mask of a query's folded words: the bits of the runs of each word made only of
/// ASCII letters and digits. None when no word is (nothing to check in the index).
/// Its `w4` part is 0: [`exact`] tells when the exact bit answers the query.
pub fn mask(query: &[String]) -> Option<Signature> {
    let mut m = [0; 5];
    let mut any = false;
    for w in query {
        if !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()) {
            for run in words(w) {
                set(&mut m, run.as_bytes());
            }
            any = true;
        }
    }
    any.then_some(m)
}

/// Bitwise OR of two signatures (a merge's new texts into its event's).
pub fn or(a: Signature, b: Signature) -> Signature {
    [
        a[0] | b[0],
        a[1] | b[1],
        a[2] | b[2],
        a[3] | b[3],
        a[4] | b[4],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_a_text_is_in_its_signature_and_never_the_top_bit() {
        let text =
            "drone strike on the sudzha-kursk road, 12 killed; o'brien's convoy (su-25) 12.5km v12";
        let sig = signature([text]);
        // Every lexeme PostgreSQL's parser gives this text that is made of ASCII
        // letters and digits only (to_tsvector('simple', …)).
        for w in [
            "drone", "strike", "sudzha", "kursk", "12", "o", "brien", "s", "su", "km", "v12",
        ] {
            let m = mask(&[w.to_string()]).expect("an ASCII word");
            assert!(
                (0..4).all(|i| m[i] & !sig[i] == 0),
                "{w} missing from the signature"
            );
        }
        assert!(sig.iter().all(|w| *w >= 0));
        // Five bits per word at most; a text of one word sets at most five.
        let one = signature(["drone"]);
        let n: u32 = one[..4].iter().map(|w| w.count_ones()).sum();
        assert!((1..=5).contains(&n), "{n} bits");
    }

    #[test]
    fn a_word_not_in_the_text_is_usually_not_in_its_signature() {
        let sig = signature(["artillery shelling near the village"]);
        let missing = ["drone", "missile", "kherson", "tank", "ceasefire"]
            .iter()
            .filter(|w| {
                let m = mask(&[w.to_string()]).expect("an ASCII word");
                (0..4).any(|i| m[i] & !sig[i] != 0)
            })
            .count();
        assert!(missing >= 4, "{missing} of 5 told apart");
    }

    #[test]
    fn words_with_other_characters_add_no_bits() {
        assert_eq!(mask(&["drone-strike".into()]), None);
        assert_eq!(mask(&["курск".into()]), None);
        assert_eq!(mask(&[]), None);
        assert_eq!(
            mask(&["курск".into(), "drone".into()]),
            mask(&["drone".into()])
        );
        // The unknown signature passes every mask.
        let m = mask(&["drone".into()]).expect("an ASCII word");
        assert!((0..4).all(|i| m[i] & !UNKNOWN[i] == 0));
        assert_eq!(or(signature(["a"]), UNKNOWN), UNKNOWN);
    }

    #[test]
    fn exact_words_are_claimed_only_where_the_parser_reads_them_whole() {
        let bit = |w: &str| exact(&[w.to_string()]).expect("an exact word");
        // English and Indonesian prose: between spaces, after a bracket or quote,
        // before closing punctuation.
        let en = certain("a drone hit the depot, (missile) fragments; shelling \"killed\" two.");
        assert_ne!(en & bit("drone"), 0);
        assert_ne!(en & bit("missile"), 0);
        assert_ne!(en & bit("killed"), 0);
        let id = certain("serangan drone menghantam gudang senjata di kursk.");
        assert_ne!(id & bit("drone"), 0);
        assert_ne!(id & bit("senjata"), 0);
        // Where the parser may read something else: a hyphenated word, a host, a path,
        // a word run into digits or non-ASCII letters, a tag anywhere in the text.
        for t in [
            "drone-strike on the depot",
            "see drone.example for it",
            "/srv/drone files",
            "drone2 units",
            "dronея",
            "x drone <b>bold</b>",
            "mail drone@example.org",
            "&drone; entity",
            "drone's shadow",
        ] {
            assert_eq!(certain(t) & bit("drone"), 0, "{t}");
        }
        // Russian and Ukrainian texts hold no ASCII words: no bits.
        assert_eq!(certain("удар беспилотника по курску"), 0);
        assert_eq!(certain("атака дронів на харків"), 0);
        // The bits are the signature's fifth word; unknown is no bit.
        assert_eq!(signature(["drone hit"])[4], bit("drone"));
        assert_eq!(UNKNOWN[4], 0);
    }

    #[test]
    fn only_one_word_of_the_list_is_answered_by_its_bit() {
        assert_eq!(exact_words().len(), 63);
        assert!(exact(&["drone".into()]).is_some());
        assert_eq!(exact(&["drone".into(), "killed".into()]), None);
        assert_eq!(exact(&["sudzha".into()]), None);
        assert_eq!(exact(&[]), None);
        // Every bit below the sign bit, one per word.
        let mut all = 0i64;
        for &b in exact_words().values() {
            assert!(b < 63);
            assert_eq!(all & (1 << b), 0);
            all |= 1 << b;
        }
    }

    #[test]
    fn the_migration_gives_the_same_bits_to_the_same_words() {
        let sql = include_str!("../../migrations/postgres/0019_exact_words.sql");
        let array = sql
            .split("unnest(ARRAY[")
            .nth(1)
            .and_then(|s| s.split(']').next())
            .expect("the migration's list");
        let listed: Vec<&str> = array
            .split(',')
            .map(|w| w.trim().trim_matches('\''))
            .collect();
        let mut ours: Vec<(&str, u32)> = exact_words().iter().map(|(w, b)| (*w, *b)).collect();
        ours.sort_by_key(|(_, b)| *b);
        let ours: Vec<&str> = ours.into_iter().map(|(w, _)| w).collect();
        assert_eq!(listed, ours);
    }
}
