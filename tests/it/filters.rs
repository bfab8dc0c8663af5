//! Every `GET /events` filter on our own fixture articles (tests/fixtures/articles).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::*;

fn ids(events: &[Value]) -> BTreeSet<String> {
    events
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn region_by_slug_code_and_name_in_four_languages() {
    for app in fixtures_apps().await {
        let by_slug = app.events("/events?region=kursk").await;
        assert_eq!(dates(&by_slug), ["2024-08-06"]);
        for q in [
            "RU-KRS",
            "ru-krs",
            "Kursk%20Oblast",
            "oblast%20Kursk",
            "wilayah%20kursk",
            "%D0%9A%D1%83%D1%80%D1%81%D0%BA%D0%B0%D1%8F%20%D0%BE%D0%B1%D0%BB%D0%B0%D1%81%D1%82%D1%8C", // Курская область
            "%D0%9A%D0%A3%D0%A0%D0%A1%D0%9A%D0%90%D0%AF%20%D0%9E%D0%91%D0%9B%D0%90%D0%A1%D0%A2%D0%AC", // КУРСКАЯ ОБЛАСТЬ
            "%D0%9A%D1%83%D1%80%D1%81%D1%8C%D0%BA%D0%B0%20%D0%BE%D0%B1%D0%BB%D0%B0%D1%81%D1%82%D1%8C", // Курська область
        ] {
            assert_eq!(
                ids(&app.events(&format!("/events?region={q}")).await),
                ids(&by_slug),
                "region={q}"
            );
        }
        // Accent-insensitive.
        assert_eq!(
            ids(&app.events("/events?region=Kh%C3%A9rson").await),
            ids(&app.events("/events?region=kherson").await)
        );
    }
}

#[tokio::test]
async fn comma_means_any_of() {
    for app in fixtures_apps().await {
        let both = app.events("/events?region=kursk,kherson").await;
        assert_eq!(dates(&both), ["2022-11-11", "2024-08-06"]);
        assert!(
            both.iter()
                .all(|e| has_region(e, "RU-KRS") || has_region(e, "UA-65"))
        );
    }
}

#[tokio::test]
async fn country_actor_and_type() {
    for app in fixtures_apps().await {
        let ua = app.events("/events?country=UA").await;
        assert!(!ua.is_empty());
        assert!(
            ua.iter()
                .all(|e| e["countries"].as_array().unwrap().iter().any(|c| c == "UA"))
        );
        assert!(
            ua.iter().any(|e| has_region(e, "UA-65")) && ua.iter().any(|e| has_region(e, "UA-23"))
        );
        assert!(!ua.iter().any(|e| has_region(e, "RU-BEL")));
        assert_eq!(ids(&app.events("/events?country=Ukraine").await), ids(&ua));

        let agree = app.events("/events?type=agree").await;
        assert!(!agree.is_empty());
        assert!(agree.iter().all(|e| e["event_type"] == "agree"));
        assert_eq!(ids(&app.events("/events?type=AGREE").await), ids(&agree));

        let putin = app.events("/events?actor=vladimir-putin").await;
        assert!(!putin.is_empty());
        assert!(putin.iter().all(|e| {
            e["actors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["slug"] == "vladimir-putin")
        }));
        assert_eq!(ids(&app.events("/events?actor=Putin").await), ids(&putin));
    }
}

#[tokio::test]
async fn date_windows_overlap_and_are_inclusive() {
    for app in fixtures_apps().await {
        let y2024 = app.events("/events?from=2024&to=2024").await;
        assert!(!y2024.is_empty());
        assert!(
            y2024
                .iter()
                .all(|e| e["date"].as_str().unwrap().starts_with("2024"))
        );
        assert_eq!(
            ids(&app.events("/events?from=2024-01-01&to=2024-12-31").await),
            ids(&y2024)
        );

        // Inclusive on both ends.
        let day = app.events("/events?from=2024-08-06&to=2024-08-06").await;
        assert_eq!(dates(&day), ["2024-08-06"]);
        let after = app.events("/events?from=2024-08-07").await;
        assert!(
            after
                .iter()
                .all(|e| e["date"].as_str().unwrap() >= "2024-08-07")
        );

        // A month-precision event overlaps a window inside its month; a day event outside it does not.
        let early_june = app.events("/events?from=2024-06-01&to=2024-06-02").await;
        assert_eq!(dates(&early_june), ["2024-06"], "{early_june:#?}");
        assert_eq!(early_june[0]["date_precision"], "month");

        // `from` after `to` is no mistake (the schema allows it): the events whose
        // interval spans the gap, here the month-precision event of June.
        let gap = app.events("/events?from=2024-06-20&to=2024-06-10").await;
        assert_eq!(dates(&gap), ["2024-06"], "{gap:#?}");
        assert!(
            app.events("/events?from=2024-12&to=2024-01")
                .await
                .is_empty()
        );
    }
}

#[tokio::test]
async fn full_text_source_and_confidence() {
    for app in fixtures_apps().await {
        let hits = app.events("/events?q=Pyongyang%20treaty").await;
        assert!(!hits.is_empty());
        assert!(
            hits.iter()
                .all(|e| e["summary"].as_str().unwrap().contains("Pyongyang")
                    || e["title"].as_str().unwrap().contains("Pyongyang")
                    || e["sources"].to_string().contains("Pyongyang"))
        );
        assert!(app.events("/events?q=zzzunknownword").await.is_empty());

        let other = app.events("/events?source=other.example.org").await;
        assert_eq!(dates(&other), ["2024-08-06"]);

        let all = app.events("/events").await;
        let sure = app.events("/events?min_confidence=0.9").await;
        assert!(
            sure.iter()
                .all(|e| e["confidence"].as_f64().unwrap() >= 0.9)
        );
        assert!(sure.len() <= all.len());
    }
}

#[tokio::test]
async fn cursor_pages_cover_everything_once_in_order() {
    for app in fixtures_apps().await {
        let all = app.events("/events").await;
        assert!(all.len() >= 5, "{}", all.len());
        for sort in ["date", "-date"] {
            let mut seen = Vec::new();
            let mut uri = format!("/events?limit=2&sort={sort}");
            loop {
                let r = app.get(&uri).await;
                assert_eq!(r.status, 200, "{}", r.body);
                let page = r.body["events"].as_array().unwrap().clone();
                assert!(page.len() <= 2);
                seen.extend(page.iter().map(|e| {
                    (
                        e["date"].as_str().unwrap().to_string(),
                        e["id"].as_str().unwrap().to_string(),
                    )
                }));
                match r.body["next"].as_str() {
                    Some(next) => {
                        let link = r.headers.get("link").unwrap().to_str().unwrap();
                        assert_eq!(link, format!("<{next}>; rel=\"next\""));
                        assert!(next.contains(&format!(
                            "cursor={}",
                            r.body["next_cursor"].as_str().unwrap()
                        )));
                        uri = next.to_string();
                    }
                    None => {
                        assert!(r.body["next_cursor"].is_null());
                        assert!(r.headers.get("link").is_none());
                        break;
                    }
                }
            }
            assert_eq!(seen.len(), all.len(), "{sort}");
            let mut sorted = seen.clone();
            sorted.sort();
            if sort == "-date" {
                sorted.reverse();
            }
            assert_eq!(seen, sorted, "{sort}");
            assert_eq!(
                seen.iter().map(|x| x.1.clone()).collect::<BTreeSet<_>>(),
                ids(&all)
            );
        }
    }
}

#[tokio::test]
async fn one_event_and_the_facets() {
    for app in fixtures_apps().await {
        let kursk = app.events("/events?region=kursk").await;
        let id = kursk[0]["id"].as_str().unwrap();
        let one = app.get(&format!("/events/{id}")).await;
        assert_eq!(one.status, 200);
        assert_eq!(one.body, kursk[0]);

        // First-level regions worldwide: Indonesia's 38 provinces (admin1, not ISO's
        // island groups), found by slug, ISO code or name.
        let id = app.get("/regions?country=ID").await;
        let provinces = id.body["regions"].as_array().unwrap();
        assert_eq!(provinces.len(), 38, "{provinces:?}");
        assert!(provinces.iter().any(|r| r["iso_code"] == "ID-PT"));
        assert!(!provinces.iter().any(|r| r["iso_code"] == "ID-PP"));
        for q in [
            "papua",
            "ID-AC",
            "Jawa%20Barat",
            "gaza-ps",
            "Papua%20Tengah",
        ] {
            let r = app.get(&format!("/events?region={q}")).await;
            assert_eq!(r.status, 200, "region={q}: {:?}", r.body);
        }
        let near = app.get("/events?region=jawa-bart").await;
        assert_eq!(near.status, 400);
        assert!(
            near.body["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "jawa-barat"),
            "{:?}",
            near.body
        );

        let regions = app.get("/regions?country=RU").await;
        let krs = regions.body["regions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["iso_code"] == "RU-KRS")
            .unwrap();
        assert_eq!(krs["event_count"], 1);
        assert_eq!(krs["slug"], "kursk");
        let detail = app.get("/regions/kursk").await;
        assert_eq!(detail.body["iso_code"], "RU-KRS");
        assert!(
            detail.body["names"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == "Курской области")
        );

        let types = app.get("/event-types").await;
        let list = types.body["event_types"].as_array().unwrap();
        assert_eq!(list.len(), 16);
        let total: i64 = list
            .iter()
            .map(|t| t["event_count"].as_i64().unwrap())
            .sum();
        assert_eq!(total as usize, app.events("/events?limit=1000").await.len());

        let actors = app.get("/actors").await;
        let first = &actors.body["actors"][0];
        assert!(first["event_count"].as_i64().unwrap() >= 1, "{first}");

        assert_eq!(app.get("/healthz").await.body["status"], "ok");
        assert_eq!(app.get("/readyz").await.body["status"], "ready");
    }
}

#[tokio::test]
async fn facets_and_histograms_count_what_the_filter_matches() {
    for app in fixtures_apps().await {
        let all = app.events("/events?limit=1000").await;
        let f = app.get("/facets").await.body;
        assert_eq!(
            f["total"].as_u64().unwrap() as usize,
            all.len(),
            "{}",
            app.backend
        );
        for r in f["regions"].as_array().unwrap() {
            let n = app
                .events(&format!(
                    "/events?limit=1000&region={}",
                    r["key"].as_str().unwrap()
                ))
                .await
                .len();
            assert_eq!(
                r["count"].as_u64().unwrap() as usize,
                n,
                "{}: {r}",
                app.backend
            );
            assert!(r["name"].is_string());
        }
        let months: u64 = f["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["count"].as_u64().unwrap())
            .sum();
        assert_eq!(months as usize, all.len());
        let kursk = app.get("/facets?region=kursk").await.body;
        assert_eq!(kursk["total"], 1);
        assert_eq!(kursk["regions"][0]["key"], "RU-KRS");

        for interval in ["day", "week", "month", "year"] {
            let h = app.get(&format!("/histogram?interval={interval}")).await;
            assert_eq!(h.status, 200, "{}", h.body);
            let buckets = h.body["buckets"].as_array().unwrap();
            let sum: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
            assert_eq!(sum as usize, all.len(), "{} {interval}", app.backend);
            if interval == "week" {
                for b in buckets {
                    let d: jiff::civil::Date = b["start"].as_str().unwrap().parse().unwrap();
                    assert_eq!(
                        d.weekday(),
                        jiff::civil::Weekday::Monday,
                        "{}: {b}",
                        app.backend
                    );
                }
            }
        }
        let monthly = app
            .get("/histogram?region=kursk,kherson&from=2022")
            .await
            .body;
        let starts: Vec<&str> = monthly["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["start"].as_str().unwrap())
            .collect();
        assert_eq!(starts.first(), Some(&"2022-11"));
        assert_eq!(starts.last(), Some(&"2024-08"));
        assert_eq!(starts.len(), 22, "every month between, empty ones too");
        assert_problem(
            &app.get("/histogram?interval=fortnight").await,
            400,
            Some("interval"),
        );
        assert_problem(&app.get("/facets?regoin=x").await, 400, Some("regoin"));
    }
}

/// Full text covers every source of a merged event: a word that only a later source
/// holds finds the event (on SQLite the later text is appended to the event's
/// full-text row).
#[tokio::test]
async fn full_text_finds_a_word_of_any_source() {
    for app in apps_with(&["01-kursk-offensive.json", "02-kursk-offensive-again.json"]).await {
        let all = app.events("/events").await;
        let merged = all
            .iter()
            .find(|e| e["sources"].as_array().is_some_and(|s| s.len() > 1))
            .expect("the two reports merge into one event");
        let words = |v: &serde_json::Value| -> Vec<String> {
            v.as_str()
                .unwrap_or("")
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() > 4)
                .map(str::to_lowercase)
                .collect()
        };
        let sources = merged["sources"].as_array().unwrap();
        let mut earlier: Vec<String> = words(&merged["title"]);
        earlier.extend(words(&merged["summary"]));
        earlier.extend(words(&sources[0]["evidence"]["text"]));
        earlier.extend(words(&sources[0]["title"]));
        let later = words(&sources[1]["evidence"]["text"])
            .into_iter()
            .find(|w| !earlier.contains(w))
            .expect("the later report has a word of its own");
        let hits = app.events(&format!("/events?q={later}")).await;
        assert!(
            hits.iter().any(|e| e["id"] == merged["id"]),
            "{}: q={later} misses {}",
            app.backend,
            merged["id"]
        );
    }
}
