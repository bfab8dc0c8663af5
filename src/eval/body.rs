//! The article-body figure: how much of a page's body text, as a person would copy it,
//! the HTML path gives the pipeline, on the development half of Zyte's
//! article-extraction benchmark (`../shared/eval/html-body/`). Texts are compared as
//! four-word shingles counted with multiplicity; the figure is reported twice: P/R/F1
//! from the sums over pages (as `../shared/eval/README.md` defines it) and the mean of
//! per-page P and R (as the benchmark's published scorer computes the figures its
//! authors report), so that ours sits beside theirs. Words are split the way that
//! scorer splits them (see [`words`]). Other extractors' output (a JSON object
//! `{id: {"articleBody": text}}`, the benchmark's output format) is scored the same way,
//! raw and after our cleaning.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Deserialize;

use super::{Figure, Measure, SetScore};
use crate::knowledge::Knowledge;
use crate::pipeline::{clean, html};

pub const HTML_BODY_DIR: &str = "html-body";

/// The words of a text as the benchmark's scorer reads them: maximal runs of word
/// characters (letters, digits, `_`), case kept; punctuation and white space only
/// separate words. ("U.S.-backed" is three words, "don't" two.)
pub fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Four consecutive words, counted with multiplicity. A text of one to three words is
/// one shingle of all of them, as in the benchmark's scorer.
fn shingles<'a>(w: &'a [&'a str]) -> HashMap<&'a [&'a str], usize> {
    let mut m = HashMap::new();
    if w.is_empty() {
        return m;
    }
    if w.len() < 4 {
        m.insert(w, 1);
        return m;
    }
    for s in w.windows(4) {
        *m.entry(s).or_insert(0) += 1;
    }
    m
}

/// True positives, false positives and false negatives of one page's shingles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    /// Per-page precision as the published scorer takes it: 1 when nothing is wrong
    /// (both texts empty included), 0 when nothing is right.
    fn precision(&self) -> f64 {
        if self.fp == 0 && self.fn_ == 0 {
            1.0
        } else if self.tp + self.fp == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }

    fn recall(&self) -> f64 {
        if self.fp == 0 && self.fn_ == 0 {
            1.0
        } else if self.tp + self.fn_ == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

/// Compares the extracted body `got` with the expected `gold`.
pub fn compare(gold: &str, got: &str) -> Counts {
    let (gw, pw) = (words(gold), words(got));
    let (g, p) = (shingles(&gw), shingles(&pw));
    let mut c = Counts::default();
    for (k, &n) in &g {
        let m = p.get(k).copied().unwrap_or(0);
        c.tp += n.min(m);
        c.fn_ += n.saturating_sub(m);
    }
    for (k, &m) in &p {
        c.fp += m.saturating_sub(g.get(k).copied().unwrap_or(0));
    }
    c
}

/// The two figures of one extractor over a set of pages.
pub fn figures(name: &str, pages: &[Counts]) -> [Figure; 2] {
    let sum = |f: fn(&Counts) -> usize| pages.iter().map(f).sum::<usize>();
    let (tp, fp, fn_) = (sum(|c| c.tp), sum(|c| c.fp), sum(|c| c.fn_));
    // The published scorer averages precision over pages that predicted something and
    // recall over pages that expect something.
    let mean = |v: Vec<f64>| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let p = mean(
        pages
            .iter()
            .filter(|c| c.tp + c.fp > 0)
            .map(Counts::precision)
            .collect(),
    );
    let r = mean(
        pages
            .iter()
            .filter(|c| c.tp + c.fn_ > 0)
            .map(Counts::recall)
            .collect(),
    );
    [
        Figure {
            name: format!("{name} shingle F1"),
            measure: Measure::F1 {
                p_num: tp,
                p_den: tp + fp,
                r_num: tp,
                r_den: tp + fn_,
            },
        },
        Figure {
            name: format!("{name} shingle F1, mean of pages"),
            measure: Measure::MeanF1 {
                p,
                r,
                pages: pages.len(),
            },
        },
    ]
}

#[derive(Deserialize)]
struct Gold {
    #[serde(default)]
    url: Option<String>,
    #[serde(rename = "articleBody")]
    article_body: String,
}

/// One page of the set: its id, URL, HTML and expected body.
pub struct Page {
    pub id: String,
    pub url: Option<String>,
    pub html: String,
    pub gold: String,
}

/// Reads the pages and `ground-truth.json` of the set in `dir`, in id order.
pub fn read_pages(dir: &Path) -> anyhow::Result<Vec<Page>> {
    let gt = dir.join("ground-truth.json");
    let gold: HashMap<String, Gold> = serde_json::from_slice(
        &std::fs::read(&gt).with_context(|| format!("reading {}", gt.display()))?,
    )
    .with_context(|| format!("parsing {}", gt.display()))?;
    let mut pages = Vec::with_capacity(gold.len());
    for (id, g) in gold {
        let path = dir.join("pages").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?,
        )
        .read_to_end(&mut bytes)
        .with_context(|| format!("decompressing {}", path.display()))?;
        pages.push(Page {
            id,
            url: g.url,
            // The set's pages are UTF-8 (the benchmark saved them so); a stray byte
            // must not stop the evaluation.
            html: String::from_utf8_lossy(&bytes).into_owned(),
            gold: g.article_body,
        });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    if pages.is_empty() {
        bail!("{} lists no pages", gt.display());
    }
    Ok(pages)
}

/// What the pipeline reads of a page: the HTML path's text, then our cleaning; and the
/// page's title (which cleaning keeps apart from the body).
pub fn pipeline_body(page: &Page, kb: &Knowledge) -> (String, String) {
    match html::extract(&page.html, page.url.as_deref()) {
        Ok(a) => {
            let cleaned = clean::clean_main_content(&a.text, a.title.as_deref(), kb);
            (a.text, cleaned.text)
        }
        Err(_) => (String::new(), String::new()),
    }
}

/// The figure of the HTML path, its speed, and its per-page counts written to
/// `<out>/eval-body-pages.tsv` (with the first words it missed and added: page text,
/// so the file stays under `target/`).
pub fn html_body(data: &Path, out: &Path) -> anyhow::Result<(SetScore, Duration, PathBuf)> {
    let pages = read_pages(&data.join(HTML_BODY_DIR))?;
    let kb = Knowledge::embedded();
    let t = Instant::now();
    let bodies: Vec<(String, String)> = pages.iter().map(|p| pipeline_body(p, &kb)).collect();
    let took = t.elapsed();
    let raw: Vec<Counts> = pages
        .iter()
        .zip(&bodies)
        .map(|(p, b)| compare(&p.gold, &b.0))
        .collect();
    let cleaned: Vec<Counts> = pages
        .iter()
        .zip(&bodies)
        .map(|(p, b)| compare(&p.gold, &b.1))
        .collect();
    let mut all = Vec::new();
    all.extend(figures("html-body", &cleaned));
    all.extend(figures("html-body before cleaning", &raw));
    let errors = bodies.iter().filter(|b| b.1.is_empty()).count();
    // The texts themselves, in the benchmark's output format, for reading and for
    // scoring with other tools.
    let texts: serde_json::Map<String, serde_json::Value> = pages
        .iter()
        .zip(&bodies)
        .map(|(p, b)| {
            (
                p.id.clone(),
                serde_json::json!({"articleBody": b.1, "beforeCleaning": b.0}),
            )
        })
        .collect();
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let texts_path = out.join("eval-body-texts.json");
    std::fs::write(&texts_path, serde_json::to_vec_pretty(&texts)?)
        .with_context(|| format!("writing {}", texts_path.display()))?;
    let path = write_pages(
        out,
        "eval-body-pages.tsv",
        &pages,
        &bodies.iter().map(|b| b.1.as_str()).collect::<Vec<_>>(),
    )?;
    Ok((
        SetScore {
            set: "html-body",
            rows: pages.len(),
            errors,
            figures: all,
            misses: Vec::new(),
        },
        took,
        path,
    ))
}

/// Scores another extractor's output, `{id: {"articleBody": text}}` (the benchmark's
/// output format) or `{id: text}`, raw and after our cleaning (with the page's title as
/// the HTML path finds it), on the pages of the set.
pub fn score_file(data: &Path, file: &Path, out: &Path) -> anyhow::Result<Vec<Figure>> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Entry {
        Text(String),
        Body {
            #[serde(rename = "articleBody")]
            article_body: Option<String>,
        },
    }
    let pages = read_pages(&data.join(HTML_BODY_DIR))?;
    let got: HashMap<String, Entry> = serde_json::from_slice(
        &std::fs::read(file).with_context(|| format!("reading {}", file.display()))?,
    )
    .with_context(|| format!("parsing {}", file.display()))?;
    let kb = Knowledge::embedded();
    let mut raw = Vec::new();
    let mut cleaned = Vec::new();
    let mut texts = Vec::new();
    let mut missing = Vec::new();
    for p in &pages {
        let text = match got.get(&p.id) {
            Some(Entry::Text(t)) => t.as_str(),
            Some(Entry::Body { article_body }) => article_body.as_deref().unwrap_or(""),
            None => {
                missing.push(p.id.as_str());
                ""
            }
        };
        let title = html::extract(&p.html, p.url.as_deref())
            .ok()
            .and_then(|a| a.title);
        let c = clean::clean_main_content(text, title.as_deref(), &kb).text;
        raw.push(compare(&p.gold, text));
        cleaned.push(compare(&p.gold, &c));
        texts.push(c);
    }
    if !missing.is_empty() {
        bail!(
            "{} has no text for {} of the {} pages (first: {})",
            file.display(),
            missing.len(),
            pages.len(),
            missing[0]
        );
    }
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("extractor");
    write_pages(
        out,
        &format!("eval-body-pages-{stem}.tsv"),
        &pages,
        &texts.iter().map(String::as_str).collect::<Vec<_>>(),
    )?;
    let mut v = Vec::new();
    v.extend(figures(stem, &raw));
    v.extend(figures(&format!("{stem} + our cleaning"), &cleaned));
    Ok(v)
}

/// Up to `n` shingles of `a` that `b` lacks, in text order, joined for reading.
fn lacking(a: &[&str], b: &[&str], n: usize) -> String {
    let mut have = shingles(b);
    let mut out = Vec::new();
    if a.len() < 4 {
        return String::new();
    }
    for s in a.windows(4) {
        match have.get_mut(s) {
            Some(k) if *k > 0 => *k -= 1,
            _ => {
                out.push(s.join(" "));
                if out.len() == n {
                    break;
                }
            }
        }
    }
    out.join(" | ")
}

fn write_pages(out: &Path, name: &str, pages: &[Page], got: &[&str]) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let path = out.join(name);
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?,
    );
    writeln!(
        w,
        "id\tf1\tprecision\trecall\ttp\tfp\tfn\turl\tmissed (first shingles)\tadded (first shingles)"
    )?;
    for (p, g) in pages.iter().zip(got) {
        let c = compare(&p.gold, g);
        let (pr, re) = (c.precision(), c.recall());
        let f1 = if pr + re > 0.0 {
            2.0 * pr * re / (pr + re)
        } else {
            0.0
        };
        let (gw, pw) = (words(&p.gold), words(g));
        writeln!(
            w,
            "{}\t{f1:.3}\t{pr:.3}\t{re:.3}\t{}\t{}\t{}\t{}\t{}\t{}",
            p.id,
            c.tp,
            c.fp,
            c.fn_,
            p.url.as_deref().unwrap_or(""),
            lacking(&gw, &pw, 8),
            lacking(&pw, &gw, 8),
        )?;
    }
    w.flush()?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_word_characters_with_case_kept() {
        assert_eq!(
            words("U.S.-backed forces, don't  stop_now\n«Київ» 2024"),
            [
                "U", "S", "backed", "forces", "don", "t", "stop_now", "Київ", "2024"
            ]
        );
    }

    #[test]
    fn shingles_count_with_multiplicity() {
        // Gold: a b c d a b c d (5 shingles: abcd, bcda, cdab, dabc, abcd).
        let c = compare("a b c d a b c d", "a b c d");
        assert_eq!(
            c,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 4
            }
        );
        let c = compare("a b c d", "x. a b c d a b c d");
        assert_eq!(
            c,
            Counts {
                tp: 1,
                fp: 5,
                fn_: 0
            }
        );
        // Short texts are one shingle; punctuation and case.
        assert_eq!(
            compare("Kyiv, Ukraine", "kyiv ukraine"),
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            compare("Kyiv, Ukraine", "Kyiv Ukraine."),
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(compare("", ""), Counts::default());
    }

    #[test]
    fn sums_and_means_of_pages() {
        let pages = [
            Counts {
                tp: 8,
                fp: 2,
                fn_: 0,
            },
            Counts {
                tp: 1,
                fp: 0,
                fn_: 1,
            },
            // Nothing predicted: counts for recall only.
            Counts {
                tp: 0,
                fp: 0,
                fn_: 5,
            },
        ];
        let [sum, mean] = figures("x", &pages);
        assert_eq!(
            sum.measure,
            Measure::F1 {
                p_num: 9,
                p_den: 11,
                r_num: 9,
                r_den: 15
            }
        );
        let Measure::MeanF1 { p, r, pages: n } = mean.measure else {
            panic!("{mean}")
        };
        assert_eq!(n, 3);
        assert!((p - (0.8 + 1.0) / 2.0).abs() < 1e-9);
        assert!((r - (1.0 + 0.5 + 0.0) / 3.0).abs() < 1e-9);
    }
}
