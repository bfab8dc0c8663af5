//! TimeBank 1.2 + AQUAINT (`timebank/`, the TempEval-3 training data) scored as
//! TempEval-3 scores time expressions (its `evaluate_entities.py`): gold `TIMEX3`s
//! outside `<DCT>` and predicted expressions are paired one to one where their spans
//! overlap (relaxed match; TempEval-3's normaliser gives a system entity the id of the
//! gold one it overlaps, so each is matched once); value F1 is the relaxed-match F1
//! times the share of matched pairs with exactly the gold value, i.e. precision =
//! right values / predictions and recall = right values / gold. DATE and TIME
//! together, each type, and every type (TempEval-3's own figure). Each document's
//! `CREATION_TIME` is the publication date.
//!
//! Sessions 8–13 scored a looser variant (every prediction overlapping a gold one
//! counts, each gold takes the prediction overlapping it most, so one gold may credit
//! two predictions); it is kept as a diagnostic figure.

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

/// TempEval-3's relaxed match, one to one: pairs of (prediction, gold) whose spans
/// overlap, the largest overlap first (the earlier gold, then prediction, on a tie);
/// each expression is in one pair at most. Returns, per gold, its prediction.
fn match_one_to_one(pred: &[(usize, usize)], gold: &[(usize, usize)]) -> Vec<Option<usize>> {
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (pi, &p) in pred.iter().enumerate() {
        for (gi, &g) in gold.iter().enumerate() {
            let o = overlap(p, g);
            if o > 0 {
                pairs.push((o, gi, pi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut of_gold = vec![None; gold.len()];
    let mut pred_taken = vec![false; pred.len()];
    for (_, gi, pi) in pairs {
        if of_gold[gi].is_none() && !pred_taken[pi] {
            of_gold[gi] = Some(pi);
            pred_taken[pi] = true;
        }
    }
    of_gold
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
    // TempEval-3's one-to-one counts, and the looser ones of sessions 8–13.
    let mut te3 = [Counts::default(); GROUPS.len()];
    let mut loose = [Counts::default(); GROUPS.len()];
    // Per half of the documents by sorted position (even: read, odd: held back).
    let mut halves = [[Counts::default(); GROUPS.len()]; 2];
    let (mut strict, mut matched, mut type_ok) = (0, 0, 0);
    let (mut pred_all, mut gold_all) = (0, 0);
    for (i, d) in docs.iter().enumerate() {
        let chars: Vec<char> = d.text.chars().collect();
        let half = &mut halves[i % 2];
        let pred = tag_document(tagger, "en", &d.text, Some(d.dct));
        pred_all += pred.len();
        gold_all += d.timexes.len();
        let pred_spans: Vec<(usize, usize)> = pred.iter().map(|p| (p.start, p.end)).collect();
        let gold_spans: Vec<(usize, usize)> = d.timexes.iter().map(|g| (g.start, g.end)).collect();
        let of_gold = match_one_to_one(&pred_spans, &gold_spans);
        let mut of_pred = vec![None; pred.len()];
        for (gi, pi) in of_gold.iter().enumerate() {
            if let Some(pi) = *pi {
                of_pred[pi] = Some(gi);
            }
        }
        for (pi, p) in pred.iter().enumerate() {
            let g = best_overlap(&d.timexes, (p.start, p.end), |g| (g.start, g.end));
            let right = g.is_some_and(|g| g.value == p.value);
            let m = of_pred[pi].map(|gi| &d.timexes[gi]);
            for (((t, h), l), (_, types)) in te3
                .iter_mut()
                .zip(half.iter_mut())
                .zip(loose.iter_mut())
                .zip(GROUPS)
            {
                if types.contains(&p.kind) {
                    let r = usize::from(m.is_some_and(|g| g.value == p.value));
                    t.pred += 1;
                    t.pred_found += usize::from(m.is_some());
                    t.pred_right += r;
                    h.pred += 1;
                    h.pred_right += r;
                    l.pred += 1;
                    l.pred_found += usize::from(g.is_some());
                    l.pred_right += usize::from(right);
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
        for (gi, g) in d.timexes.iter().enumerate() {
            let best = best_overlap(&pred, (g.start, g.end), |p| (p.start, p.end));
            let m = of_gold[gi].map(|pi| &pred[pi]);
            let right = m.is_some_and(|p| p.value == g.value);
            if let Some(p) = m {
                matched += 1;
                type_ok += usize::from(p.kind == g.kind);
                strict += usize::from((p.start, p.end) == (g.start, g.end));
            }
            for (((t, h), l), (_, types)) in te3
                .iter_mut()
                .zip(half.iter_mut())
                .zip(loose.iter_mut())
                .zip(GROUPS)
            {
                if types.contains(&g.kind) {
                    t.gold += 1;
                    t.gold_found += usize::from(m.is_some());
                    t.gold_right += usize::from(right);
                    h.gold += 1;
                    h.gold_right += usize::from(right);
                    l.gold += 1;
                    l.gold_found += usize::from(best.is_some());
                    l.gold_right += usize::from(best.is_some_and(|p| p.value == g.value));
                }
            }
            if right {
                continue;
            }
            let kind = type_name(g.kind);
            let shape = super::value_shape(&g.value);
            // An unmatched gold expression shows the prediction overlapping it most,
            // which another gold expression took.
            let shown = m.or(best);
            s.misses.push(Miss {
                id: d.id.clone(),
                metric: if m.is_some() { "value" } else { "span" },
                class: match (m, best) {
                    (None, None) => format!("missed {kind} {shape}"),
                    (None, Some(_)) => {
                        format!("missed {kind} {shape} (its overlap matched another)")
                    }
                    (Some(p), _) => format!("{kind}: {}", super::value_class(&g.value, &p.value)),
                },
                gold: format!("{} = {kind} {}", g.text, g.value),
                produced: shown.map_or("-".into(), |p| {
                    format!("{} = {} {}", p.text, type_name(p.kind), p.value)
                }),
                context: around(&chars, g.start, g.end),
            });
        }
    }
    let f1 = |c: &Counts| Measure::F1 {
        p_num: c.pred_right,
        p_den: c.pred,
        r_num: c.gold_right,
        r_den: c.gold,
    };
    for (c, (name, _)) in te3.iter().zip(GROUPS) {
        s.figures.push(Figure {
            name: format!("timebank {name} value F1"),
            measure: f1(c),
        });
    }
    for (c, (name, _)) in loose.iter().zip(GROUPS).take(2) {
        s.figures.push(Figure {
            name: format!(
                "timebank {name} value F1, any-overlap scorer of sessions 8-13 (diagnostic)"
            ),
            measure: f1(c),
        });
    }
    for (h, which) in halves
        .iter()
        .zip(["read half (even sorted positions)", "held-back half (odd)"])
    {
        for (c, (name, _)) in h.iter().zip(GROUPS).take(2) {
            s.figures.push(Figure {
                name: format!("timebank {name} value F1, {which} (diagnostic)"),
                measure: f1(c),
            });
        }
    }
    let all = te3[0];
    s.figures.extend([
        Figure {
            name: "timebank relaxed span F1 (all types)".into(),
            measure: Measure::F1 {
                p_num: matched,
                p_den: pred_all,
                r_num: matched,
                r_den: gold_all,
            },
        },
        Figure {
            name: "timebank strict span F1 (all types, diagnostic)".into(),
            measure: Measure::F1 {
                p_num: strict,
                p_den: pred_all,
                r_num: strict,
                r_den: gold_all,
            },
        },
        Figure::ratio(
            "timebank type accuracy of found expressions (diagnostic)",
            type_ok,
            matched,
        ),
        Figure::ratio(
            "timebank value accuracy of found expressions (all types, diagnostic)",
            all.gold_right,
            all.gold_found,
        ),
    ]);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relaxed_match_pairs_each_expression_once() {
        // Gold "10 p.m. Wednesday" (0..17) and "a week" (30..36); predictions "10 p.m."
        // (0..7), "Wednesday" (8..17), a long one over both golds (20..40), one outside.
        let gold = [(0, 17), (30, 36)];
        let pred = [(0, 7), (8, 17), (20, 40), (50, 55)];
        // "Wednesday" overlaps the first gold most (9 > 7): it takes it, "10 p.m." is
        // left unmatched (TempEval-3 counts one pair, not two).
        assert_eq!(match_one_to_one(&pred, &gold), [Some(1), Some(2)]);
        assert_eq!(match_one_to_one(&pred, &[]), Vec::<Option<usize>>::new());
        assert_eq!(match_one_to_one(&[], &gold), [None, None]);
        // One prediction over two gold expressions matches one of them only.
        assert_eq!(match_one_to_one(&[(0, 40)], &gold), [Some(0), None]);
    }

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
