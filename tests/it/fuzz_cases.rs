//! Every committed fuzz input, replayed through the same checks the fuzz targets make
//! (`fuzz/src/checks.rs`): the seeds (`fuzz/seeds/TARGET/`) and every case a fuzzer
//! or a bug report found (`fuzz/regressions/TARGET/`).

#[path = "../../fuzz/src/checks.rs"]
mod checks;

use crate::common::manifest;

fn replay(target: &str, check: impl Fn(&[u8])) -> usize {
    let mut n = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(manifest().join("fuzz").join(dir).join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            let name = f.display().to_string();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
            assert!(outcome.is_ok(), "{name} fails its check again");
            n += 1;
        }
    }
    n
}

#[test]
fn committed_fuzz_cases_pass_their_checks() {
    assert!(replay("article_text", |d| checks::article_file(d, "txt")) >= 6);
    assert!(replay("article_html", |d| checks::article_file(d, "html")) >= 6);
    assert!(replay("article_json", checks::article_json) >= 8);
    assert!(replay("events_params", checks::events_params) >= 14);
}
