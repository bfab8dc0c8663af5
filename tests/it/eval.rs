//! The evaluation of EVALUATION.md on the externally labelled sets in `../shared/eval`
//! (skipped with a notice when absent): every figure stays above a floor set just
//! below what was measured, the sets keep their sizes, and no article of the news sets
//! makes the extractor panic or fail.

use std::time::Instant;

use linimasa::eval;

use crate::common::shared;

/// Floors just below the figures EVALUATION.md reports: a drop under one is a
/// regression; a rise is welcome (then raise the floor).
/// (UCDP region cannot pass about 0.78: the rest of its rows' headlines never name the
/// gold region in words the gazetteer knows; see EVALUATION.md.)
const FLOORS: &[(&str, f64)] = &[
    ("acled date accuracy", 0.99),
    ("acled region accuracy", 0.97),
    ("acled event type accuracy", 0.96),
    // 0.752 (610/811) since session 9's vague-trigger rule (four rows fewer than 614;
    // EVALUATION.md names them): lowered knowingly, not to be lowered again.
    ("ucdp region accuracy", 0.750),
    // Issue 15: ≥ 0.95 over the rows that name a place in Ukraine or Russia; session 13's
    // Russian spellings of Ukrainian towns gave 613/644 = 0.952.
    (
        "ucdp region accuracy over rows naming a place in Ukraine or Russia (not classed B/C in data/eval/ucdp-region-misses.tsv)",
        0.95,
    ),
    ("ucdp date resolution", 0.015),
    ("indotimex strict span F1", 0.79),
    ("indotimex relaxed span F1", 0.91),
    ("indotimex DATE value accuracy", 0.905),
    // TempEval-3's one-to-one relaxed match since session 14 (session 17: 0.828 / 0.820 / 0.941).
    ("timebank DATE+TIME value F1", 0.827),
    ("timebank all types value F1", 0.819),
    ("timebank relaxed span F1 (all types)", 0.94),
    ("html-body shingle F1", 0.97),
    ("html-body shingle F1, mean of pages", 0.965),
    ("published-date accuracy", 0.91),
    // The hand-labelled development set (data/eval/devset-labels.tsv): session 11 left
    // recall 40/94 and precision 40/69; session 12 (events) 46/94 and 46/70; session 14
    // (events) 48/94 and 48/69, (dating) 47/94 and 47/64, both merged 49/94 and 49/68;
    // session 15 (places) 55/94 and 55/69, (dating) 50/94 and 50/69, (detect) 51/94 and
    // 51/69; merged: see EVALUATION.md, "Session 15, merged"; session 16 (precision)
    // 57/94 and 57/70; session 17 (places) 61/94 (0.649) and 61/70 (0.871); session 18
    // (detect: year-less weekday datelines) 62/94 (0.660) and 62/72 (0.861).
    ("devset all recall", 0.65),
    ("devset all precision", 0.86),
    // Session 17 (detect): annexation typed `assault` as the labelling guide says, 57/57
    // paired events of the right type (54/57 before).
    ("devset all type accuracy", 0.97),
    // Geoparsing (geo/): LGL and GeoVirus through `annotate` (EVALUATION.md, issue 15).
    // Session 11: LGL 0.884 / 0.857 / admin1 0.792 / exact GeoNames id 0.804;
    // GeoVirus 0.864 / 0.814. GeoVirus recall was 0.882: the 57 continent mentions
    // ("Africa", "Asia") it found were towns of those names (Mahdia, Tunisia; Asia,
    // Philippines), now no place (lowered knowingly, not to be lowered again).
    // Session 12: LGL 0.891 / 0.858 / admin1 0.793 / id 0.805; GeoVirus 0.869 / 0.822.
    ("lgl toponym recall", 0.885),
    ("lgl accuracy@161km", 0.852),
    ("lgl admin1 accuracy", 0.788),
    (
        "lgl exact GeoNames id (of found toponyms with a gold id)",
        0.795,
    ),
    ("geovirus toponym recall", 0.862),
    ("geovirus accuracy@161km", 0.815),
];

/// Denominators: a parsing or selection change that silently shrinks a set fails here.
const DENOMINATORS: &[(&str, usize)] = &[
    ("acled date accuracy", 400),
    ("acled region accuracy", 400),
    ("acled event type accuracy", 400),
    ("ucdp region accuracy", 811),
    (
        "ucdp region accuracy over rows naming a place in Ukraine or Russia (not classed B/C in data/eval/ucdp-region-misses.tsv)",
        644,
    ),
    ("ucdp date resolution", 486),
    ("indotimex DATE value accuracy", 112),
    // TimeBank + AQUAINT: 1,822 TIMEX3 outside <DCT>, 1,535 of them DATE or TIME.
    ("timebank all types value F1", 1822),
    ("timebank DATE+TIME value F1", 1535),
    ("html-body shingle F1", 71736),
    ("html-body shingle F1, mean of pages", 92),
    ("published-date accuracy", 724),
    ("devset all recall", 94),
    ("devset all control pages with events", 20),
    // Gold toponyms with a point: LGL 4,462 of 5,088 (the rest are untagged), GeoVirus all.
    ("lgl toponym recall", 4462),
    ("geovirus toponym recall", 2170),
];

#[test]
fn evaluation_figures_hold_their_floors() {
    let Some(data) = shared("eval") else {
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    let report = eval::run(&data, out.path()).expect("the evaluation runs");
    println!("{report}");
    println!("evaluation took {:.1} s", t.elapsed().as_secs_f64());

    for (name, floor) in FLOORS {
        let f = report
            .figure(name)
            .unwrap_or_else(|| panic!("no figure {name:?}"));
        assert!(f.value() >= *floor, "{f} fell below its floor {floor}");
    }
    for (name, den) in DENOMINATORS {
        let f = report.figure(name).expect(name);
        let got = match f.measure {
            eval::Measure::Ratio { den, .. } => den,
            eval::Measure::F1 { r_den, .. } => r_den,
            eval::Measure::MeanF1 { pages, .. } => pages,
        };
        assert_eq!(got, *den, "{f}: the denominator changed");
    }
    // Every miss is written down where EVALUATION.md says.
    for set in [
        "acled",
        "ucdp",
        "indotimex",
        "timebank",
        "published-date",
        "devset",
        "lgl",
        "geovirus",
    ] {
        let p = out.path().join(format!("eval-misses-{set}.tsv"));
        let text = std::fs::read_to_string(&p).expect("misses file");
        assert!(text.starts_with("id\tmetric\tclass\tgold\tproduced\tcontext\n"));
    }

    let control = report
        .figure("devset all events on control pages (per page)")
        .expect("devset control figure");
    if let eval::Measure::Ratio { num, .. } = control.measure {
        // None on 20 pages since session 11: the target.
        assert_eq!(num, 0, "{control}: an event on a control page");
    }

    // Robustness: every article goes through; none panics or errors. An article that is
    // only a headline is read as its own body, so none is left without one.
    let sizes = [("news-en", 447), ("news-id", 9)];
    for (r, (set, n)) in report.robustness.iter().zip(sizes) {
        assert_eq!((r.set, r.articles), (set, n));
        assert!(r.panics.is_empty(), "{set}: panics: {:?}", r.panics);
        assert!(r.errors.is_empty(), "{set}: errors: {:?}", r.errors);
        assert!(
            r.headline_only.is_empty(),
            "{set}: articles left without a body: {:?}",
            r.headline_only
        );
    }
}
