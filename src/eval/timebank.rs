//! TimeBank 1.2 + AQUAINT (`timebank/`, the TempEval-3 training data) scored as
//! TempEval-3 scores time expressions: a gold `TIMEX3` outside `<DCT>` is found when a
//! predicted expression overlaps its span; its value is right when the overlapping
//! prediction (the one overlapping most) has exactly the gold value. Precision is
//! over predicted expressions, recall over gold ones; DATE and TIME together, and
//! every type. Each document's `CREATION_TIME` is the publication date.

use std::path::Path;

use anyhow::{Context, bail};

use super::{Figure, Measure, Miss, SetScore, overlap, parse_day, tag_document};
use crate::pipeline::timex::{TimeTagger, TimexType};

pub const TIMEBANK_DIR: &str = "timebank";

/// A TimeML document: the text of `<TEXT>`, its creation time and its gold TIMEX3s
/// (offsets in characters of the text).
#[derive(Debug, Clone, PartialEq)]
pub struct TmlDoc {
    pub id: String,
    pub dct: jiff::civil::Date,
    pub text: String,
    pub timexes: Vec<GoldTimex3>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldTimex3 {
    pub start: usize,
    pub end: usize,
    pub kind: TimexType,
    pub value: String,
    pub text: String,
}

fn timex_type(s: &str) -> Option<TimexType> {
    Some(match s {
        "DATE" => TimexType::Date,
        "TIME" => TimexType::Time,
        "DURATION" => TimexType::Duration,
        "SET" => TimexType::Set,
        _ => return None,
    })
}

/// Reads one `.tml` document.
pub fn parse_tml(id: &str, xml: &str) -> anyhow::Result<TmlDoc> {
    let doc = roxmltree::Document::parse(xml).with_context(|| format!("{id}: not XML"))?;
    let root = doc.root_element();
    let dct = root
        .descendants()
        .find(|n| n.has_tag_name("DCT"))
        .and_then(|d| d.descendants().find(|n| n.has_tag_name("TIMEX3")))
        .and_then(|t| t.attribute("value"))
        .with_context(|| format!("{id}: no <DCT> TIMEX3 value"))?;
    let dct = dct
        .get(..10)
        .and_then(parse_day)
        .with_context(|| format!("{id}: DCT {dct:?} is not a day"))?;
    let body = root
        .descendants()
        .find(|n| n.has_tag_name("TEXT"))
        .with_context(|| format!("{id}: no <TEXT>"))?;
    let mut out = TmlDoc {
        id: id.to_string(),
        dct,
        text: String::new(),
        timexes: Vec::new(),
    };
    let mut chars = 0usize;
    walk(body, &mut out, &mut chars)?;
    Ok(out)
}

fn walk(node: roxmltree::Node, doc: &mut TmlDoc, chars: &mut usize) -> anyhow::Result<()> {
    for child in node.children() {
        if let Some(t) = child.text().filter(|_| child.is_text()) {
            doc.text.push_str(t);
            *chars += t.chars().count();
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let start = *chars;
        let from = doc.text.len();
        walk(child, doc, chars)?;
        if child.has_tag_name("TIMEX3") {
            let kind = child.attribute("type").unwrap_or_default();
            let Some(kind) = timex_type(kind) else {
                bail!("{}: TIMEX3 of type {kind:?}", doc.id);
            };
            doc.timexes.push(GoldTimex3 {
                start,
                end: *chars,
                kind,
                value: child.attribute("value").unwrap_or_default().to_string(),
                text: doc.text[from..].to_string(),
            });
        }
    }
    Ok(())
}

/// Every `.tml` file under `dir` (sorted by path), parsed.
pub fn read_dir(dir: &Path) -> anyhow::Result<Vec<TmlDoc>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "tml") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap_or_default().to_string_lossy();
            let xml =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            parse_tml(&id, &xml)
        })
        .collect()
}

/// Counts for one group of types: predictions and gold of those types, found gold,
/// predictions overlapping some gold, and right values on each side.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    pred: usize,
    pred_found: usize,
    pred_right: usize,
    gold: usize,
    gold_found: usize,
    gold_right: usize,
}

const GROUPS: [(&str, &[TimexType]); 6] = [
    (
        "all types",
        &[
            TimexType::Date,
            TimexType::Time,
            TimexType::Duration,
            TimexType::Set,
        ],
    ),
    ("DATE+TIME", &[TimexType::Date, TimexType::Time]),
    ("DATE", &[TimexType::Date]),
    ("TIME", &[TimexType::Time]),
    ("DURATION", &[TimexType::Duration]),
    ("SET", &[TimexType::Set]),
];

fn type_name(t: TimexType) -> &'static str {
    match t {
        TimexType::Date => "DATE",
        TimexType::Time => "TIME",
        TimexType::Duration => "DURATION",
        TimexType::Set => "SET",
    }
}

/// A few words either side of a span, for reading a miss.
fn around(chars: &[char], start: usize, end: usize) -> String {
    let a = start.saturating_sub(60);
    let b = (end + 60).min(chars.len());
    let s = |x: usize, y: usize| -> String { chars[x.min(y)..y].iter().collect() };
    format!("{}[{}]{}", s(a, start), s(start, end), s(end, b)).replace('\n', " ")
}

/// Of `items`, the one whose span overlaps `at` most (the earlier on a tie).
fn best_overlap<T>(
    items: &[T],
    at: (usize, usize),
    span: impl Fn(&T) -> (usize, usize),
) -> Option<&T> {
    items
        .iter()
        .filter(|x| overlap(span(x), at) > 0)
        .max_by(|a, b| {
            overlap(span(a), at)
                .cmp(&overlap(span(b), at))
                .then(span(b).0.cmp(&span(a).0))
        })
}

/// Scores the tagger on every document of `dir` (see the module comment).
pub fn timebank(tagger: &TimeTagger, dir: &Path) -> anyhow::Result<SetScore> {
    let docs = read_dir(dir)?;
    if docs.is_empty() {
        bail!("{} holds no .tml documents", dir.display());
    }
    let mut s = SetScore {
        set: "timebank",
        rows: docs.len(),
        ..Default::default()
    };
    let mut counts = [Counts::default(); GROUPS.len()];
    let (mut strict_p, mut strict_r, mut type_ok, mut found_n) = (0, 0, 0, 0);
    let (mut pred_all, mut gold_all) = (0, 0);
    for d in &docs {
        let chars: Vec<char> = d.text.chars().collect();
        let pred = tag_document(tagger, "en", &d.text, Some(d.dct));
        pred_all += pred.len();
        gold_all += d.timexes.len();
        for p in &pred {
            let g = best_overlap(&d.timexes, (p.start, p.end), |g| (g.start, g.end));
            let right = g.is_some_and(|g| g.value == p.value);
            if g.is_some_and(|g| (g.start, g.end) == (p.start, p.end)) {
                strict_p += 1;
            }
            for (c, (_, types)) in counts.iter_mut().zip(GROUPS) {
                if types.contains(&p.kind) {
                    c.pred += 1;
                    c.pred_found += usize::from(g.is_some());
                    c.pred_right += usize::from(right);
                }
            }
            if g.is_none() {
                s.misses.push(Miss {
                    id: d.id.clone(),
                    metric: "span",
                    class: format!("spurious {}", type_name(p.kind)),
                    gold: "-".into(),
                    produced: format!("{} = {} {}", p.text, type_name(p.kind), p.value),
                    context: around(&chars, p.start, p.end),
                });
            }
        }
        for g in &d.timexes {
            let best = best_overlap(&pred, (g.start, g.end), |p| (p.start, p.end));
            let right = best.is_some_and(|p| p.value == g.value);
            if let Some(p) = best {
                found_n += 1;
                type_ok += usize::from(p.kind == g.kind);
                strict_r += usize::from((p.start, p.end) == (g.start, g.end));
            }
            for (c, (_, types)) in counts.iter_mut().zip(GROUPS) {
                if types.contains(&g.kind) {
                    c.gold += 1;
                    c.gold_found += usize::from(best.is_some());
                    c.gold_right += usize::from(right);
                }
            }
            if right {
                continue;
            }
            let kind = type_name(g.kind);
            let shape = super::value_shape(&g.value);
            s.misses.push(Miss {
                id: d.id.clone(),
                metric: if best.is_some() { "value" } else { "span" },
                class: match best {
                    None => format!("missed {kind} {shape}"),
                    Some(p) => format!("{kind}: {}", super::value_class(&g.value, &p.value)),
                },
                gold: format!("{} = {kind} {}", g.text, g.value),
                produced: best.map_or("-".into(), |p| {
                    format!("{} = {} {}", p.text, type_name(p.kind), p.value)
                }),
                context: around(&chars, g.start, g.end),
            });
        }
    }
    for (c, (name, _)) in counts.iter().zip(GROUPS) {
        s.figures.push(Figure {
            name: format!("timebank {name} value F1"),
            measure: Measure::F1 {
                p_num: c.pred_right,
                p_den: c.pred,
                r_num: c.gold_right,
                r_den: c.gold,
            },
        });
    }
    let all = counts[0];
    s.figures.extend([
        Figure {
            name: "timebank relaxed span F1 (all types)".into(),
            measure: Measure::F1 {
                p_num: all.pred_found,
                p_den: pred_all,
                r_num: all.gold_found,
                r_den: gold_all,
            },
        },
        Figure {
            name: "timebank strict span F1 (all types, diagnostic)".into(),
            measure: Measure::F1 {
                p_num: strict_p,
                p_den: pred_all,
                r_num: strict_r,
                r_den: gold_all,
            },
        },
        Figure::ratio(
            "timebank type accuracy of found expressions (diagnostic)",
            type_ok,
            found_n,
        ),
    ]);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tml_document_gives_its_text_its_creation_time_and_character_offsets() {
        let xml = r#"<?xml version="1.0" ?>
<TimeML><DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-13" functionInDocument="CREATION_TIME">19980213</TIMEX3></DCT>
<TEXT>Prices – as of <TIMEX3 tid="t1" type="DATE" value="1998-02-12">yesterday</TIMEX3> &amp; for <TIMEX3 tid="t2" type="DURATION" value="P3D">three <EVENT eid="e1">days</EVENT></TIMEX3>, <EVENT eid="e2">fell</EVENT>.</TEXT>
</TimeML>"#;
        let d = parse_tml("X1", xml).unwrap();
        assert_eq!(d.dct, jiff::civil::date(1998, 2, 13));
        assert_eq!(d.text, "Prices – as of yesterday & for three days, fell.");
        let chars: Vec<char> = d.text.chars().collect();
        let got: Vec<(String, TimexType, &str, String)> = d
            .timexes
            .iter()
            .map(|t| {
                (
                    chars[t.start..t.end].iter().collect(),
                    t.kind,
                    t.value.as_str(),
                    t.text.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "yesterday".into(),
                    TimexType::Date,
                    "1998-02-12",
                    "yesterday".into()
                ),
                (
                    "three days".into(),
                    TimexType::Duration,
                    "P3D",
                    "three days".into()
                )
            ]
        );
        assert!(parse_tml("bad", "<TimeML><TEXT>x</TEXT></TimeML>").is_err());
    }
}
