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

use sha2::{Digest, Sha256};

/// A signature: bits 0–62 of each of four words.
pub type Signature = [i64; 4];

/// A link row's signature when its event's words are not known: every bit.
pub const UNKNOWN: Signature = [-1; 4];

/// The check of a link row `l` against the words' mask `m` (its four placeholders): no
/// bit of the mask missing. One inequality rather than four equalities: PostgreSQL
/// guesses 0.5 % of rows pass an equality of two expressions and then reads the whole
/// range and sorts it; an inequality, a third, and the range is read in page order.
pub fn check(m: &[String; 4]) -> String {
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
    let mut sig = [0; 4];
    let mut seen = std::collections::HashSet::new();
    for t in texts {
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
pub fn mask(query: &[String]) -> Option<Signature> {
    let mut m = [0; 4];
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
    [a[0] | b[0], a[1] | b[1], a[2] | b[2], a[3] | b[3]]
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
        let n: u32 = one.iter().map(|w| w.count_ones()).sum();
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
}
