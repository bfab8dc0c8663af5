//! Bounds on what one HTML page can cost. A page nested tens of thousands of elements
//! deep (`<b>` × 50,000) overflowed a worker thread's stack in the walks that read the
//! parsed tree, and 10,000 nested `<div>`s took seconds of CPU in walks whose cost
//! grows with depth. Real pages nest a few dozen levels, so [`flatten`] drops every
//! start tag past [`MAX_DEPTH`] open elements (and its end tag) before the page is
//! parsed, keeping all the text: the words of a deep page are still read, only its
//! pointless structure goes. The pass is a small HTML tokenizer that follows the
//! WHATWG rules where they decide what is a tag (comments, raw text such as `<script>`,
//! quoted attribute values); where it cannot know what the tree builder will do
//! (foreign content, implied end tags) it counts more open elements, never fewer.
//! [`check_depth`] then measures the parsed tree itself, so a page that still nests too
//! deep (one built to confuse this pass) is refused with a clear error instead of
//! being walked.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::knowledge::SentenceHits;

/// Sentences read from one article (a long report has a few hundred).
pub const MAX_SENTENCES: usize = 5_000;
/// Bytes of one sentence read (about 4,000 Latin or 2,000 Cyrillic characters; real
/// sentences are a tenth of that).
pub const MAX_SENTENCE_BYTES: usize = 4_096;
/// Matches of each kind (triggers, actors, regions, towns, countries, territories)
/// kept from one sentence, the first ones in it.
pub const MAX_HITS_PER_SENTENCE: usize = 64;
/// Matches of every kind read from one article; sentences past it are not read.
pub const MAX_HITS_PER_ARTICLE: usize = 100_000;
/// Events made from one article.
pub const MAX_EVENTS: usize = 1_000;

/// Tells an extraction to stop between sentences: set when the request that wanted it
/// has been answered (timed out, or its client went away), or past a deadline.
#[derive(Debug, Clone, Default)]
pub struct Stop {
    flag: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl Stop {
    /// Never stops by itself (the command line).
    pub fn never() -> Self {
        Stop::default()
    }

    /// Stops at `deadline`, or earlier when [`Stop::stop`] is called.
    pub fn at(deadline: Instant) -> Self {
        Stop {
            flag: Arc::default(),
            deadline: Some(deadline),
        }
    }

    pub fn stop(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    pub fn is_stopped(&self) -> bool {
        self.flag.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Stops its extraction when dropped: a request handler holds one, so an extraction
/// whose request is dropped (timed out, client gone) stops too.
pub struct StopOnDrop(pub Stop);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Which work bounds an article reached, as warnings a user can read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reached {
    /// Sentences not read past [`MAX_SENTENCES`] or [`MAX_HITS_PER_ARTICLE`].
    pub unread_sentences: usize,
    /// Sentences cut to [`MAX_SENTENCE_BYTES`].
    pub cut_sentences: usize,
    /// Sentences with more than [`MAX_HITS_PER_SENTENCE`] matches of a kind.
    pub crowded_sentences: usize,
    /// Whether [`MAX_EVENTS`] was reached.
    pub events: bool,
}

impl Reached {
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.unread_sentences > 0 {
            w.push(format!(
                "the article is too long: its last {} sentences were not read (at most {MAX_SENTENCES} sentences and {MAX_HITS_PER_ARTICLE} names and phrases are read)",
                self.unread_sentences
            ));
        }
        if self.cut_sentences > 0 {
            w.push(format!(
                "{} sentences longer than {MAX_SENTENCE_BYTES} bytes were read only that far",
                self.cut_sentences
            ));
        }
        if self.crowded_sentences > 0 {
            w.push(format!(
                "{} sentences name more than {MAX_HITS_PER_SENTENCE} places, actors or event phrases of a kind; only the first were read",
                self.crowded_sentences
            ));
        }
        if self.events {
            w.push(format!(
                "the article yields more than {MAX_EVENTS} events; only the first {MAX_EVENTS} were kept"
            ));
        }
        w
    }
}

/// The end of a sentence that starts at `start` and ends at `end` in `text`, cut to
/// [`MAX_SENTENCE_BYTES`] at a character boundary (at a space when there is one near).
pub fn sentence_end(text: &str, start: usize, end: usize) -> usize {
    if end - start <= MAX_SENTENCE_BYTES {
        return end;
    }
    let mut cut = start + MAX_SENTENCE_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    match text[start..cut].rfind(char::is_whitespace) {
        Some(sp) if sp > MAX_SENTENCE_BYTES / 2 => start + sp,
        _ => cut,
    }
}

/// Keeps the first [`MAX_HITS_PER_SENTENCE`] matches of each kind in `hits`, adding
/// to `read` how many the sentence had; whether it had more of some kind.
pub fn cap_hits(hits: &mut SentenceHits, read: &mut usize) -> bool {
    let mut crowded = false;
    for kind in [
        &mut hits.triggers,
        &mut hits.actors,
        &mut hits.regions,
        &mut hits.places,
        &mut hits.countries,
        &mut hits.territories,
    ] {
        *read += kind.len();
        if kind.len() > MAX_HITS_PER_SENTENCE {
            kind.sort_by_key(|h| h.start);
            kind.truncate(MAX_HITS_PER_SENTENCE);
            crowded = true;
        }
    }
    crowded
}

/// Open elements kept; start tags deeper than this are dropped with their end tags.
pub const MAX_DEPTH: usize = 256;

/// The deepest parsed tree that is read at all (element and text levels); deeper
/// pages are refused. Above [`MAX_DEPTH`], because the flattening pass counts
/// elements while the tree also has a document node and text levels, and because the
/// tree builder adds elements of its own (`html`, `head`, `body`, `tbody`).
pub const MAX_TREE_DEPTH: usize = 2 * MAX_DEPTH;

/// Elements that never have content in HTML.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Void elements that also leave SVG or MathML content (WHATWG "in foreign content"),
/// so they stay void there too.
const VOID_BREAKOUT: &[&str] = &["br", "embed", "hr", "img", "meta"];

/// Elements whose content is text up to their end tag (raw text and RCDATA; the
/// parser runs without scripting, so `<noscript>` holds markup).
const RAW: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title",
];

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Where a tag that starts at `from` (just past its name) ends: the index after its
/// `>` and whether it was written `/>`; None when the input ends inside it. Follows
/// the tokenizer's attribute states: a quote opens a value only right after `=`.
fn tag_end(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    loop {
        // Before an attribute name.
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        match b.get(i)? {
            b'>' => return Some((i + 1, false)),
            b'/' => {
                if b.get(i + 1) == Some(&b'>') {
                    return Some((i + 2, true));
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        // The name: its first character may be `=`.
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        match b.get(i)? {
            q @ (b'"' | b'\'') => {
                let q = *q;
                i += 1;
                while *b.get(i)? != q {
                    i += 1;
                }
                i += 1;
            }
            b'>' => return Some((i + 1, false)),
            _ => {
                while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

/// The end of a tag name that starts at `from`, and the name in lower case.
fn tag_name(b: &[u8], from: usize) -> (usize, String) {
    let mut i = from;
    while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>') {
        i += 1;
    }
    let name = String::from_utf8_lossy(&b[from..i]).to_ascii_lowercase();
    (i, name)
}

/// Where the raw text of element `name` that starts at `from` ends: the `<` of its
/// end tag (`</name` followed by a space, `/` or `>`), or the end of the input.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> usize {
    let n = name.len();
    let mut i = from;
    while let Some(off) = memchr_lt(&b[i..]) {
        let at = i + off;
        let rest = &b[at..];
        if rest.len() > n + 2
            && rest[1] == b'/'
            && rest[2..2 + n].eq_ignore_ascii_case(name.as_bytes())
            && (is_space(rest[2 + n]) || matches!(rest[2 + n], b'/' | b'>'))
        {
            return at;
        }
        i = at + 1;
    }
    b.len()
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

/// The index after the first `>` at or after `from` (a bogus comment, a doctype, a
/// processing instruction, `<![CDATA[` outside foreign content), or the end.
fn past_gt(b: &[u8], from: usize) -> usize {
    b[from.min(b.len())..]
        .iter()
        .position(|&c| c == b'>')
        .map_or(b.len(), |p| from + p + 1)
}

/// The index after a comment whose `<!--` starts at `at`: `<!-->` and `<!--->` end at
/// once, otherwise the first `-->` or `--!>`, else the end of the input.
fn comment_end(b: &[u8], at: usize) -> usize {
    let body = at + 4;
    let rest = &b[body..];
    if rest.starts_with(b">") {
        return body + 1;
    }
    if rest.starts_with(b"->") {
        return body + 2;
    }
    let mut i = 0;
    while i + 2 < rest.len() {
        if rest[i] == b'-' && rest[i + 1] == b'-' {
            if rest[i + 2] == b'>' {
                return body + i + 3;
            }
            if rest[i + 2] == b'!' && rest.get(i + 3) == Some(&b'>') {
                return body + i + 4;
            }
        }
        i += 1;
    }
    b.len()
}

/// The open elements as the pass sees them.
#[derive(Default)]
struct Open {
    stack: Vec<String>,
    /// How many of each name are on `stack`.
    count: HashMap<String, usize>,
    /// How many start tags of each name were dropped and still await their end tag.
    dropped: HashMap<String, usize>,
    /// `svg` and `math` elements open: inside them `/>` may close an element and
    /// raw-text names are ordinary elements, so the pass counts conservatively.
    foreign: usize,
}

impl Open {
    fn push(&mut self, name: String) {
        if name == "svg" || name == "math" {
            self.foreign += 1;
        }
        *self.count.entry(name.clone()).or_default() += 1;
        self.stack.push(name);
    }

    fn pop(&mut self) {
        if let Some(name) = self.stack.pop() {
            if name == "svg" || name == "math" {
                self.foreign -= 1;
            }
            if let Some(c) = self.count.get_mut(&name) {
                *c -= 1;
            }
        }
    }

    fn has(&self, name: &str) -> bool {
        self.count.get(name).is_some_and(|&c| c > 0)
    }

    /// A start tag of these closes the same element left open just before it (`<p>a<p>b`,
    /// `<li>`, table cells), as the tree builder's implied end tags do.
    fn close_implied_sibling(&mut self, name: &str) {
        let pair = |a: &str, b: &str| {
            a == b
                || matches!(
                    (a, b),
                    ("dt", "dd") | ("dd", "dt") | ("td", "th") | ("th", "td")
                )
        };
        if matches!(
            name,
            "p" | "li" | "dt" | "dd" | "option" | "tr" | "td" | "th"
        ) && self.stack.last().is_some_and(|top| pair(top, name))
        {
            self.pop();
        }
    }
}

/// What [`flatten`] made of a page.
#[derive(Debug)]
pub struct Flattened<'a> {
    pub html: Cow<'a, str>,
    /// Start tags dropped (their end tags went with them).
    pub dropped: usize,
}

/// The page with every start tag past `MAX_DEPTH` open elements dropped, with its end
/// tag; text, comments and everything shallower are kept byte for byte. Borrowed when
/// nothing was dropped.
pub fn flatten(html: &str) -> Cow<'_, str> {
    flatten_to(html, MAX_DEPTH).html
}

/// [`flatten`] with a depth of one's own (tests use small ones).
pub fn flatten_to(html: &str, max_depth: usize) -> Flattened<'_> {
    let b = html.as_bytes();
    let mut open = Open::default();
    let mut out: Option<String> = None;
    // Input before this index is in `out` (or, while `out` is None, unchanged).
    let mut copied = 0;
    let mut dropped = 0;
    let drop_range = |out: &mut Option<String>, copied: &mut usize, s: usize, e: usize| {
        let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
        o.push_str(&html[*copied..s]);
        *copied = e;
    };
    let mut i = 0;
    while let Some(off) = memchr_lt(&b[i..]) {
        let at = i + off;
        let Some(&next) = b.get(at + 1) else { break };
        if next.is_ascii_alphabetic() {
            let (name_end, name) = tag_name(b, at + 1);
            let Some((end, _self_closing)) = tag_end(b, name_end) else {
                break;
            };
            i = end;
            let foreign = open.foreign > 0;
            let name_str = name.as_str();
            if name_str == "plaintext" && !foreign {
                // Everything after it is text.
                break;
            }
            if VOID.contains(&name_str) && (!foreign || VOID_BREAKOUT.contains(&name_str)) {
                continue;
            }
            if RAW.contains(&name_str) && !foreign {
                // Its content is text; its end tag is read as any other end tag.
                i = raw_text_end(b, end, name_str);
                continue;
            }
            // `<div/>` opens a `<div>` in HTML; in SVG `<path/>` does not, but the
            // pass cannot always tell the two apart, so both count (they are closed
            // again with their `</svg>`).
            open.close_implied_sibling(name_str);
            if open.stack.len() >= max_depth {
                *open.dropped.entry(name).or_default() += 1;
                dropped += 1;
                drop_range(&mut out, &mut copied, at, end);
            } else {
                open.push(name);
            }
        } else if next == b'/' {
            match b.get(at + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (name_end, name) = tag_name(b, at + 2);
                    let Some((end, _)) = tag_end(b, name_end) else {
                        break;
                    };
                    i = end;
                    if open.has(&name) {
                        // The tree builder closes whatever is open inside it.
                        while open.stack.last().is_some_and(|top| *top != name) {
                            open.pop();
                        }
                        open.pop();
                    } else if let Some(d) = open.dropped.get_mut(&name).filter(|d| **d > 0) {
                        *d -= 1;
                        drop_range(&mut out, &mut copied, at, end);
                    }
                }
                Some(_) => i = past_gt(b, at + 2),
                None => break,
            }
        } else if next == b'!' {
            i = if b[at..].starts_with(b"<!--") {
                comment_end(b, at)
            } else {
                // A doctype, `<![CDATA[` (a bogus comment outside foreign content;
                // inside it, reading on after the first `>` counts more tags, not
                // fewer) or a bogus comment.
                past_gt(b, at + 2)
            };
        } else if next == b'?' {
            i = past_gt(b, at + 2);
        } else {
            // A `<` that starts nothing is text.
            i = at + 1;
        }
    }
    let html = match out {
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(html),
    };
    Flattened { html, dropped }
}

/// Refuses a parsed page whose tree is deeper than [`MAX_TREE_DEPTH`]: the walks that
/// read a tree (Readability's, the text formatter's) recurse once per level. The
/// measure itself walks the tree without recursion.
pub fn check_depth(doc: &dom_query::Document) -> Result<(), String> {
    let depth = tree_depth(doc);
    if depth > MAX_TREE_DEPTH {
        return Err(format!(
            "the page nests its elements {depth} levels deep; at most {MAX_TREE_DEPTH} are read"
        ));
    }
    Ok(())
}

/// The number of levels below the document node, walked with parent links.
pub fn tree_depth(doc: &dom_query::Document) -> usize {
    let root = doc.root();
    let mut node = root;
    let (mut depth, mut max) = (0usize, 0usize);
    loop {
        if let Some(child) = node.first_child() {
            node = child;
            depth += 1;
            max = max.max(depth);
            continue;
        }
        loop {
            if node.id == root.id {
                return max;
            }
            if let Some(sibling) = node.next_sibling() {
                node = sibling;
                break;
            }
            match node.parent() {
                Some(p) => {
                    node = p;
                    depth -= 1;
                }
                None => return max,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The depth of the tree html5ever builds from `html`.
    fn parsed_depth(html: &str) -> usize {
        tree_depth(&dom_query::Document::from(html))
    }

    fn text_of(html: &str) -> String {
        dom_query::Document::from(html)
            .select("body")
            .text()
            .to_string()
    }

    #[test]
    fn deep_nesting_is_cut_at_the_limit_and_its_text_kept() {
        let deep = format!(
            "<html><body>{}Kursk{}</body></html>",
            "<b>".repeat(5000),
            "</b>".repeat(5000)
        );
        let flat = flatten_to(&deep, 100);
        // `html` and `body` count: 98 `<b>` stay.
        assert_eq!(flat.dropped, 5000 - 98);
        // The document, 100 elements, then the text.
        assert!(
            parsed_depth(&flat.html) <= 104,
            "{}",
            parsed_depth(&flat.html)
        );
        assert!(parsed_depth(&deep) > 5000);
        assert_eq!(text_of(&flat.html), "Kursk");
        // Unclosed (the issue's page) and closed alike.
        let open = format!(
            "<html><body>{}On 6 August 2024 Ukraine attacked Kursk.</body></html>",
            "<div>".repeat(3000)
        );
        let flat = flatten_to(&open, 50);
        assert!(parsed_depth(&flat.html) <= 54);
        assert_eq!(
            text_of(&flat.html),
            "On 6 August 2024 Ukraine attacked Kursk."
        );
    }

    #[test]
    fn shallow_pages_are_borrowed_unchanged() {
        let page = "<!doctype html><html><head><title>a < b</title><script>if (a<b) { x = '<div>'.repeat(9) }</script></head>\
                    <body><!-- <div><div><div> --><p>one<p>two<ul><li>a<li>b<li>c</ul><svg><path d='M0 0'/><path/></svg>\
                    <img src=x alt='>'><br/><table><tr><td>1<td>2<tr><td>3</table></body></html>";
        let flat = flatten_to(page, 8);
        assert!(matches!(flat.html, Cow::Borrowed(_)), "{}", flat.html);
        assert_eq!(flat.dropped, 0);
    }

    #[test]
    fn markup_inside_comments_scripts_and_attributes_is_not_counted() {
        for hidden in [
            format!("<!--{}-->", "<b>".repeat(50)),
            format!("<!--x{}--!>", "<b>".repeat(50)),
            format!("<script>{}</script >", "<b>".repeat(50)),
            format!("<style>{}</STYLE>", "<b>".repeat(50)),
            format!("<textarea>{}</textarea>", "<b>".repeat(50)),
            format!("<title>{}</title>", "<b>".repeat(50)),
            format!("<a title=\"{}\">x</a>", "<b>".repeat(50)),
            format!("<a title='{}'>x</a>", "<b>".repeat(50)),
            format!("<?php {} ?>", "<b".repeat(50)),
        ] {
            let page = format!("<html><body>{hidden}<i>kept</i></body></html>");
            let flat = flatten_to(&page, 5);
            assert_eq!(flat.dropped, 0, "{page}");
            assert!(matches!(flat.html, Cow::Borrowed(_)));
        }
    }

    #[test]
    fn what_html5ever_reads_as_tags_is_counted_where_a_naive_reader_would_not() {
        // `<![CDATA[` outside SVG is a bogus comment that ends at the first `>`;
        // `<!-->` is a whole comment; a quote inside an unquoted value or an attribute
        // name opens nothing; `</script` must be followed by a space, `/` or `>`.
        let b = "<b>".repeat(300);
        for trap in [
            format!("<![CDATA[>{b}]]>"),
            format!("<!-->{b}-->"),
            format!("<!--->{b}-->"),
            format!("<a x=y\">{b}\""),
            format!("<a x\"y>{b}\""),
            format!("<script></scriptx></script>{b}"),
        ] {
            let page = format!("<html><body>{trap}Kursk</body></html>");
            let flat = flatten_to(&page, 64);
            assert!(flat.dropped > 0, "{trap}");
            assert!(
                parsed_depth(&flat.html) <= 70,
                "{trap}: {}",
                parsed_depth(&flat.html)
            );
            assert!(text_of(&flat.html).contains("Kursk"));
        }
    }

    #[test]
    fn self_closing_and_foreign_elements_count_conservatively() {
        // `<div/>` opens a div in HTML: 3,000 of them nest 3,000 deep.
        let page = format!("<html><body>{}x</body></html>", "<div/>".repeat(3000));
        assert!(parsed_depth(&page) > 3000);
        assert!(parsed_depth(&flatten_to(&page, 64).html) <= 70);
        // Inside SVG, `<input>` is an element with content, and `<style>` holds markup.
        for inner in ["<input>", "<style><g>"] {
            let page = format!(
                "<html><body><svg>{}x</svg></body></html>",
                inner.repeat(2000)
            );
            assert!(parsed_depth(&page) > 2000, "{inner}");
            assert!(parsed_depth(&flatten_to(&page, 64).html) <= 70, "{inner}");
        }
    }

    #[test]
    fn malformed_tags_never_panic() {
        for s in [
            "<",
            "</",
            "<!",
            "<!-",
            "<!--",
            "<!---",
            "<a",
            "<a b",
            "<a b=",
            "<a b='",
            "<a b=\"x",
            "</a",
            "</>",
            "</ ",
            "<?",
            "<script>",
            "<script></scr",
            "<textarea></textarea",
            "<a/",
            "<a / >",
            "<a =b>",
            "<é>",
            "<aé>",
            "</é>",
            "<b>é<b>ü<b>",
            "<plaintext><b><b>",
        ] {
            let page = format!("{s}{}", "<b>".repeat(10));
            let _ = flatten_to(s, 1);
            let flat = flatten_to(&page, 2);
            // Only whole tags go: what is left is still valid UTF-8 text around them.
            assert!(flat.html.len() <= page.len());
        }
    }

    #[test]
    fn end_tags_of_dropped_elements_go_with_them() {
        let page = "<div><div><div><p>a</p><p>b</p></div></div></div><p>c</p>";
        let flat = flatten_to(page, 2);
        assert_eq!(flat.dropped, 3, "{}", flat.html);
        assert_eq!(flat.html, "<div><div>ab</div></div><p>c</p>");
    }

    #[test]
    fn too_deep_a_tree_is_refused_after_parsing() {
        let deep = format!(
            "<html><body>{}x</body></html>",
            "<span>".repeat(MAX_TREE_DEPTH + 10)
        );
        let doc = dom_query::Document::from(deep.as_str());
        let err = check_depth(&doc).unwrap_err();
        assert!(err.contains("levels deep"), "{err}");
        let flat = flatten(&deep);
        assert!(check_depth(&dom_query::Document::from(&*flat)).is_ok());
    }
}
