//! HTML bytes to text: a page saved in windows-1251, KOI8-R or ISO-8859-1 is decoded
//! by what it says it is, in the order the WHATWG encoding sniffing algorithm gives
//! (byte order mark, then the transport's `charset`, then `<meta charset>` or `<meta
//! http-equiv="Content-Type">` near the top), with `encoding_rs` (the WHATWG
//! Encoding Standard's decoders, labels and aliases). One departure: bytes that are
//! valid UTF-8 and not plain ASCII are read as UTF-8 whatever the `<meta>` says (a
//! page re-saved as UTF-8 keeps its old declaration; text in a single-byte encoding is
//! almost never valid UTF-8 by chance).

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into the page a `<meta>` declaration is looked for (the standard's
/// prescan reads 1024 bytes; generous, as real pages put scripts first).
const PRESCAN_BYTES: usize = 4096;

/// The encoding a `<meta charset=…>` or `<meta http-equiv="Content-Type"
/// content="…; charset=…">` near the top of the page names.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = find(&lower[start..], b">").map_or(lower.len(), |j| start + j);
        let tag = &lower[start..end];
        if let Some(j) = find(tag, b"charset") {
            let rest = &tag[j + b"charset".len()..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..label_end]) {
                    // The standard: a page cannot declare itself UTF-16 in ASCII.
                    return Some(
                        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                            UTF_8
                        } else {
                            enc
                        },
                    );
                }
            }
        }
        from = end.max(start + 1);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// The `charset` parameter of a `Content-Type` value (`text/html; charset=KOI8-R`).
pub fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| Encoding::for_label(v.trim().trim_matches(['"', '\'']).as_bytes()))
            .flatten()
    })
}

/// The page's text and the name of the encoding it was read in. `declared` is the
/// transport's `Content-Type` (an HTTP header), when there was one. Malformed bytes
/// become U+FFFD, as a browser shows them; decoding never fails.
pub fn decode_html(bytes: &[u8], declared: Option<&str>) -> (String, &'static str) {
    let (enc, bom_len) = match Encoding::for_bom(bytes) {
        Some((enc, len)) => (enc, len),
        None => {
            let enc = declared.and_then(charset_param).unwrap_or_else(|| {
                if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
                    UTF_8
                } else {
                    meta_charset(bytes).unwrap_or_else(|| {
                        if std::str::from_utf8(bytes).is_ok() {
                            UTF_8
                        } else {
                            // The standard's fallback for an undeclared legacy page
                            // in a Western locale.
                            WINDOWS_1252
                        }
                    })
                }
            });
            (enc, 0)
        }
    };
    let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
    (text.into_owned(), enc.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        let (b, _, unmappable) = enc.encode(s);
        assert!(!unmappable, "{s} fits {}", enc.name());
        b.into_owned()
    }

    const RU: &str = "Российские войска обстреляли Херсон 3 мая 2023 года.";

    #[test]
    fn windows_1251_by_meta_charset_and_http_equiv() {
        for head in [
            r#"<meta charset="windows-1251">"#,
            r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1251" />"#,
            "<META CHARSET=cp1251>",
        ] {
            let page = format!("<html><head>{head}</head><body><p>{RU}</p></body></html>");
            let bytes = encode(encoding_rs::WINDOWS_1251, &page);
            assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
            let (text, name) = decode_html(&bytes, None);
            assert_eq!(name, "windows-1251", "{head}");
            assert!(text.contains(RU), "{head}: {text}");
        }
    }

    #[test]
    fn koi8_r_by_the_transport_header_over_the_meta() {
        let page = format!(r#"<meta charset="windows-1251"><p>{RU}</p>"#);
        let bytes = encode(encoding_rs::KOI8_R, &page);
        let (text, name) = decode_html(&bytes, Some("text/html; charset=KOI8-R"));
        assert_eq!(name, "KOI8-R");
        assert!(text.contains(RU));
    }

    #[test]
    fn latin1_utf8_boms_and_undeclared_pages() {
        let fr = "Publié le 19 février 2019 à Genève";
        let bytes = encode(
            WINDOWS_1252,
            &format!(r#"<meta charset="iso-8859-1"><p>{fr}</p>"#),
        );
        assert!(decode_html(&bytes, None).0.contains(fr));
        // Undeclared and not UTF-8: the standard's windows-1252.
        let bytes = encode(WINDOWS_1252, &format!("<p>{fr}</p>"));
        assert!(decode_html(&bytes, None).0.contains(fr));
        // Valid UTF-8 outweighs a stale declaration.
        let page = format!(r#"<meta charset="windows-1251"><p>{RU}</p>"#);
        assert!(decode_html(page.as_bytes(), None).0.contains(RU));
        // A UTF-8 byte order mark is dropped, not read as text.
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(b"<p>x</p>");
        assert_eq!(decode_html(&bom, None).0, "<p>x</p>");
        assert_eq!(decode_html(b"", None).0, "");
    }
}
