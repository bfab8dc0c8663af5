//! One rule for the text fields of every write body (articles, corrections, saved
//! timelines): no NUL and no other control character (Unicode `Cc`: C0, DEL, C1). A
//! multi-line field ([`Kind::Text`]: a summary, a description) may hold tabs and line
//! breaks; a one-line field ([`Kind::Line`]: a title, a name, a URL, a filter) may
//! not. Such characters reach exports raw (CSV cells, iCalendar lines, the embed
//! page's `<title>`), PostgreSQL refuses NUL and SQLite keeps it, so they are refused
//! at the door, naming the field. An article's body is the exception: text from a real
//! page may hold stray control characters, which [`strip_controls`] removes instead.

/// What a field may hold besides printable text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line: no control character at all.
    Line,
    /// Several lines: tab, line feed and carriage return, no other control character.
    Text,
}

/// Whether a multi-line field may hold `c`.
fn allowed_in_text(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
}

/// `value` checked for control characters; the error says which and where.
pub fn check(field: &str, value: &str, kind: Kind) -> Result<(), String> {
    let Some((i, c)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !(kind == Kind::Text && allowed_in_text(c)))
    else {
        return Ok(());
    };
    let what = match c {
        '\0' => "a NUL character".to_string(),
        '\t' | '\n' | '\r' => format!(
            "a tab or line break (U+{:04X}): {field} is one line",
            c as u32
        ),
        _ => format!("the control character U+{:04X}", c as u32),
    };
    Err(format!("{field} contains {what} at character {i}"))
}

/// `s` without its control characters other than tab, line feed and carriage return.
pub fn strip_controls(s: String) -> String {
    if s.chars().all(|c| !c.is_control() || allowed_in_text(c)) {
        return s;
    }
    s.chars()
        .filter(|&c| !c.is_control() || allowed_in_text(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_control_characters_are_refused_naming_the_field() {
        let e = check("title", "a\u{0}b", Kind::Line).unwrap_err();
        assert!(
            e.starts_with("title contains a NUL character at character 1"),
            "{e}"
        );
        for c in ['\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
            assert!(
                check("summary", &format!("x{c}"), Kind::Text).is_err(),
                "{c:?}"
            );
        }
        assert!(
            check("title", "two\nlines", Kind::Line)
                .unwrap_err()
                .contains("one line")
        );
        assert!(check("summary", "two\r\nlines\tand a tab", Kind::Text).is_ok());
        assert!(check("title", "Kursk — «Курск» 🇺🇦", Kind::Line).is_ok());
        // U+2028 is a line separator but not a control character (`Zl`): kept.
        assert!(check("title", "a\u{2028}b", Kind::Line).is_ok());
    }

    #[test]
    fn an_article_body_loses_its_stray_control_characters_and_keeps_its_lines() {
        assert_eq!(
            strip_controls("On 6\u{0} August\u{b}\u{85} 2024\n\tUkraine\r\n".into()),
            "On 6 August 2024\n\tUkraine\r\n"
        );
        let clean = "nothing to do".to_string();
        assert_eq!(strip_controls(clean.clone()), clean);
    }
}
