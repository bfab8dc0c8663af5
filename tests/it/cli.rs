//! The `linimasa` binary as a user runs it.

use std::process::{Command, Output};

use crate::common::*;

fn linimasa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linimasa"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn extract_prints_the_three_required_events_of_the_corpus_page() {
    let Some(page) = shared("corpus/tribunnews-putin-thanks-dprk-kursk.txt") else {
        return;
    };
    let o = linimasa(&[
        "extract",
        "--published",
        "2025-04-29",
        page.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["language"], "id");
    assert_eq!(out["published"], "2025-04-29");
    let events = out["events"].as_array().unwrap();
    let has = |date: &str, prec: &str, iso: Option<&str>| {
        events.iter().any(|e| {
            e["date"] == date && e["date_precision"] == prec && iso.is_none_or(|i| has_region(e, i))
        })
    };
    assert!(has("2025-04-28", "day", Some("RU-KRS")), "{events:#?}");
    assert!(has("2024-08-06", "day", Some("RU-KRS")), "{events:#?}");
    assert!(has("2024-06", "month", None), "{events:#?}");
    for e in events {
        for field in [
            "id",
            "date",
            "end_date",
            "date_precision",
            "date_inferred",
            "event_type",
            "title",
            "summary",
            "regions",
            "actors",
            "location",
            "confidence",
            "sources",
        ] {
            assert!(e.get(field).is_some(), "{field} missing");
        }
        let ev = &e["sources"][0]["evidence"];
        assert!(ev["end"].as_u64() > ev["start"].as_u64());
    }
}

#[test]
fn ingest_stores_once_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let fixture = manifest().join("tests/fixtures/articles/03-kherson.json");
    let first = linimasa(&["ingest", "--database-url", &url, fixture.to_str().unwrap()]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout(&first).contains("added"), "{}", stdout(&first));
    let second = linimasa(&["ingest", "--database-url", &url, fixture.to_str().unwrap()]);
    assert!(second.status.success());
    assert!(stdout(&second).contains("skipped"), "{}", stdout(&second));
    assert!(
        stdout(&second).contains("0 events added"),
        "{}",
        stdout(&second)
    );
}

#[test]
fn bad_input_gets_a_message_and_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let o = linimasa(&["extract", "--published", "29/04/2025", "-"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("published"));

    let missing = dir.path().join("nope.txt");
    let o = linimasa(&["ingest", "--database-url", &url, missing.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope.txt"));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"text\": 5}").unwrap();
    let good = manifest().join("tests/fixtures/articles/03-kherson.json");
    let o = linimasa(&[
        "ingest",
        "--database-url",
        &url,
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert!(!o.status.success(), "one bad file makes the run fail");
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.json"));
    assert!(
        stdout(&o).contains("added"),
        "the good file is still stored: {}",
        stdout(&o)
    );

    let o = linimasa(&["extract", "--lang", "klingon", good.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("klingon"));
}

#[test]
fn extract_reads_a_saved_html_page_and_its_publication_date() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        r#"<!doctype html><html lang="id"><head><title>Serangan di Kursk - Contoh</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Serangan di Kursk","datePublished":"2024-08-08T10:00:00+07:00"}</script>
</head><body><header><a href="/">Beranda</a> <a href="/dunia">Dunia</a></header><main><article>
<h1>Serangan di Kursk</h1>
<p>Pasukan Ukraina melancarkan serangan ke wilayah Kursk Rusia pada hari Selasa, menurut pejabat setempat yang dikutip kantor berita negara.</p>
<p>Gubernur Kursk menyatakan keadaan darurat di wilayah itu sehari kemudian, sementara ribuan warga dievakuasi dari distrik-distrik perbatasan.</p>
<p>Baca juga: Berita lain yang tidak berkaitan</p>
</article></main><footer>Hak Cipta 2024</footer></body></html>"#,
    )
    .unwrap();
    let o = linimasa(&["extract", page.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["published"], "2024-08-08", "from JSON-LD datePublished");
    assert_eq!(out["language"], "id");
    let events = out["events"].as_array().unwrap();
    assert!(
        events
            .iter()
            .any(|e| e["date"] == "2024-08-06" && has_region(e, "RU-KRS")),
        "\"pada hari Selasa\" before Thursday 8 August is the 6th: {events:#?}"
    );
    assert!(
        !o.stdout.windows(7).any(|w| w == b"Beranda"),
        "navigation dropped"
    );
}

#[test]
fn database_url_is_taken_before_or_after_a_nested_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("keys.db").display());
    // After the leaf (`keys create --database-url`), then before it (`keys --database-url
    // list`): both reach the same store.
    let o = linimasa(&["keys", "create", "--database-url", &url, "--name", "after"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).trim().starts_with("lm_"), "{}", stdout(&o));
    let o = linimasa(&["keys", "--database-url", &url, "create", "--name", "before"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = linimasa(&["keys", "list", "--database-url", &url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed = stdout(&o);
    assert!(
        listed.contains("after") && listed.contains("before"),
        "{listed}"
    );
    let id = listed.split('\t').next().unwrap().to_string();
    let o = linimasa(&["keys", "revoke", &id, "--database-url", &url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Every command that opens a store takes it after its own name.
    for args in [
        vec!["migrate", "--database-url", &url],
        vec!["demo", "--database-url", &url, "--synthetic", "3"],
    ] {
        let o = linimasa(&args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// A CMS placeholder date (`0001-01-01`) once dated a page's events in year 0 and made
/// `linimasa ingest` fail with "stored data is corrupt". Events dated before year 1000
/// or more than a year after publication are dropped with a warning; the article is
/// stored.
#[test]
fn impossible_event_dates_are_dropped_and_the_ingest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let page = dir.path().join("placeholder.txt");
    std::fs::write(
        &page,
        "Russian forces shelled Kherson on Tuesday, killing two civilians, regional officials said.\n\
         Ukrainian troops struck a Russian ammunition depot near Melitopol on Monday.\n",
    )
    .unwrap();
    for published in ["0001-01-01", "0999-06-01"] {
        let o = linimasa(&[
            "ingest",
            "--database-url",
            &url,
            "--published",
            published,
            page.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{published}: {err}");
        assert!(!err.contains("corrupt"), "{published}: {err}");
    }
    let o = linimasa(&[
        "extract",
        "--published",
        "0001-01-01",
        page.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["events"].as_array().map(Vec::len), Some(0), "{out}");
    assert!(
        out["warnings"].to_string().contains("before year 1000"),
        "{out}"
    );
}
