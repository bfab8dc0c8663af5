//! Headlines in the reader's language: agreement and case on a table of templates ×
//! places for Russian and Ukrainian; every demo event in each of the four languages has
//! a headline in that language that names its place; `lang` and `Accept-Language` on
//! every read, with `Vary` and the `ETag` following them; an editor's title wins.

use std::sync::Arc;

use linimasa::domain::Event;
use linimasa::headline::{self, Lang};
use linimasa::ingest::Defaults;
use linimasa::knowledge::Knowledge;
use serde_json::{Value, json};

use crate::common::*;

/// An event of `event_type` (with an ACLED sub-type) by `actors` (slug, role) in
/// `regions` and at the town `place` (GeoNames id, English name, region).
fn event(
    event_type: &str,
    sub: Option<&str>,
    actors: &[(&str, &str)],
    regions: &[&str],
    place: Option<(i64, &str, &str)>,
    killed: Option<u32>,
) -> Event {
    let kb = Knowledge::embedded();
    let regions: Vec<Value> = regions
        .iter()
        .map(|iso| {
            let r = kb.region(iso).expect("region in the gazetteer");
            json!({"slug": r.slug, "iso_code": r.iso_code, "name": r.name, "country": r.country})
        })
        .collect();
    let actors: Vec<Value> = actors
        .iter()
        .map(|(slug, role)| {
            let a = kb.actor(slug).expect("actor in the registry");
            json!({"slug": slug, "name": a.name, "country": a.country, "role": role})
        })
        .collect();
    let places: Vec<Value> = place
        .iter()
        .map(|(id, name, region)| {
            json!({"name": name, "lat": 0.0, "lon": 0.0, "region": region, "geonames_id": id})
        })
        .collect();
    serde_json::from_value(json!({
        "id": "evt_test", "date": "2024-08-06", "end_date": null, "date_precision": "day",
        "date_inferred": false, "event_type": event_type, "event_mode": null,
        "acled": sub.map(|s| json!({"event_type": if s.contains("attack") || s.contains("strike") {
            "Explosions/Remote violence" } else { "Battles" }, "sub_event_type": s})),
        "title": "", "summary": "s", "language": "en", "regions": regions, "places": places,
        "location": null, "actors": actors, "countries": [],
        "fatalities": killed.map(|n| json!({"low": n, "best": n, "high": n})),
        "confidence": 0.9, "sources": [], "status": "extracted", "created_at": "", "updated_at": ""
    }))
    .expect("an event")
}

const SUDZHA: (i64, &str, &str) = (486816, "Sudzha", "RU-KRS");
const AVDIIVKA: (i64, &str, &str) = (713122, "Avdiivka", "UA-14");
const NOVA_KAKHOVKA: (i64, &str, &str) = (699839, "Nova Kakhovka", "UA-65");
const KRYVYI_RIH: (i64, &str, &str) = (703845, "Kryvyi Rih", "UA-12");
const CHORNOBYL: (i64, &str, &str) = (710403, "Chornobyl", "UA-32");
const KHARKIV: (i64, &str, &str) = (706483, "Kharkiv", "UA-63");
const DNIPRO: (i64, &str, &str) = (709930, "Dnipro", "UA-12");

const FORCES_UA: &[(&str, &str)] = &[("ukraine-military", "initiator")];
const RUSSIA: &[(&str, &str)] = &[("russia", "initiator")];
const STRIKE: Option<&str> = Some("Shelling/artillery/missile attack");
const CAPTURE: Option<&str> = Some("Non-state actor overtakes territory");

#[test]
fn russian_and_ukrainian_headlines_agree_and_take_the_right_case() {
    let kb = Knowledge::embedded();
    // (event, Russian, Ukrainian): the verb agrees in number with its subject (plural
    // forces, singular state); the place is accusative after a transitive verb, dative
    // after "по" (the target of a strike) in both, locative after в/у.
    let table: Vec<(Event, &str, &str)> = vec![
        (
            event("assault", None, FORCES_UA, &["RU-KRS"], None, None),
            "ВСУ атакуют Курскую область",
            "ЗСУ атакують Курську область",
        ),
        (
            event("assault", None, RUSSIA, &["UA-63"], None, None),
            "Россия атакует Харьковскую область",
            "Росія атакує Харківську область",
        ),
        (
            event("assault", STRIKE, RUSSIA, &["UA-59"], None, Some(35)),
            "Россия наносит удар по Сумской области: 35 погибших",
            "Росія завдає удару по Сумській області: 35 загиблих",
        ),
        (
            event(
                "assault",
                STRIKE,
                &[],
                &["UA-12"],
                Some(KRYVYI_RIH),
                Some(21),
            ),
            "Удар по Кривому Рогу: 21 погибший",
            "Удар по Кривому Рогу: 21 загиблий",
        ),
        (
            event(
                "assault",
                CAPTURE,
                FORCES_UA,
                &["RU-KRS"],
                Some(SUDZHA),
                None,
            ),
            "ВСУ занимают Суджу",
            "ЗСУ займають Суджу",
        ),
        (
            event("assault", STRIKE, RUSSIA, &["UA-30"], None, None),
            "Россия наносит удар по Киеву",
            "Росія завдає удару по Києву",
        ),
        (
            event("assault", STRIKE, &[], &["UA-12"], Some(DNIPRO), Some(1)),
            "Удар по Днепру: 1 погибший",
            "Удар по Дніпру: 1 загиблий",
        ),
        (
            event("assault", CAPTURE, RUSSIA, &["UA-63"], Some(KHARKIV), None),
            "Россия занимает Харьков",
            "Росія займає Харків",
        ),
        (
            event("assault", None, &[], &["UA-63"], Some(KHARKIV), None),
            "Бои в Харькове",
            "Бої в Харкові",
        ),
        // A ministry or a council reports, orders or meets; it does not attack: the
        // forces are the subject, or nobody.
        (
            event(
                "assault",
                CAPTURE,
                &[
                    ("russia-mod", "initiator"),
                    ("russia-military", "initiator"),
                ],
                &["RU-KRS"],
                Some(SUDZHA),
                None,
            ),
            "Российские войска занимают Суджу",
            "Російські війська займають Суджу",
        ),
        (
            event(
                "assault",
                None,
                &[("unsc", "initiator")],
                &["UA-14"],
                Some(AVDIIVKA),
                None,
            ),
            "Бои в Авдеевке",
            "Бої в Авдіївці",
        ),
        (
            event("assault", None, &[], &["UA-14"], Some(AVDIIVKA), None),
            "Бои в Авдеевке",
            "Бої в Авдіївці",
        ),
        (
            event("assault", None, &[], &["UA-65"], Some(NOVA_KAKHOVKA), None),
            "Бои в Новой Каховке",
            "Бої в Новій Каховці",
        ),
        (
            event(
                "consult",
                None,
                &[("vladimir-putin", "initiator"), ("kim-jong-un", "target")],
                &["KP-01"],
                None,
                None,
            ),
            "Путин и Ким Чен Ын проводят переговоры в Пхеньяне",
            "Путін і Кім Чен Ин проводять переговори в Пхеньяні",
        ),
        (
            event("consult", None, &[], &["UA-30"], None, None),
            "Переговоры в Киеве",
            "Переговори в Києві",
        ),
        (
            event(
                "mobilize",
                None,
                &[("kpa", "initiator")],
                &["RU-KRS"],
                None,
                None,
            ),
            "Военные КНДР размещают войска в Курской области",
            "Військові КНДР розміщують війська в Курській області",
        ),
        (
            event("retreat", None, RUSSIA, &["UA-65"], None, None),
            "Россия отступает в Херсонской области",
            "Росія відступає в Херсонській області",
        ),
        (
            event("assault", None, &[], &["UA-32"], Some(CHORNOBYL), None),
            "Бои в Чернобыле",
            "Бої в Чорнобилі",
        ),
        (
            event("protest", None, &[], &["RU-AD"], None, None),
            "Протест в Республике Адыгея",
            "Протест у Республіці Адигея",
        ),
    ];
    for (e, ru, uk) in &table {
        assert_eq!(headline::headline(e, &kb, Lang::Ru), *ru);
        assert_eq!(headline::headline(e, &kb, Lang::Uk), *uk);
    }
    // The same events in English and Indonesian word order.
    assert_eq!(
        headline::headline(&table[0].0, &kb, Lang::En),
        "Ukrainian forces attack Kursk Oblast"
    );
    assert_eq!(
        headline::headline(&table[0].0, &kb, Lang::Id),
        "Pasukan Ukraina menyerang Oblast Kursk"
    );
    assert_eq!(
        headline::headline(&table[2].0, &kb, Lang::En),
        "Russia strikes Sumy Oblast; 35 killed"
    );
    assert_eq!(
        headline::headline(&table[2].0, &kb, Lang::Id),
        "Rusia menggempur Oblast Sumy; 35 orang tewas"
    );
}

/// Which script and words tell a headline's language apart.
fn in_language(h: &str, lang: Lang) -> bool {
    let cyrillic = h.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
    let uk_letters = h.chars().any(|c| "іїєґІЇЄҐ".contains(c));
    let ru_letters = h.chars().any(|c| "ыэъёЫЭЪЁ".contains(c));
    match lang {
        Lang::Ru => cyrillic && !uk_letters,
        Lang::Uk => cyrillic && !ru_letters,
        Lang::En | Lang::Id => !cyrillic,
    }
}

/// `name` and, in Russian and Ukrainian, its case forms.
fn case_forms(name: &str, lang: Lang) -> Vec<String> {
    use linimasa::headline::decline::{Case, Slavic, inflect};
    let slavic = match lang {
        Lang::Ru => Slavic::Ru,
        Lang::Uk => Slavic::Uk,
        _ => return vec![name.to_string()],
    };
    let mut v = vec![name.to_string()];
    v.extend([Case::Gen, Case::Acc, Case::Dat, Case::Loc].map(|c| inflect(slavic, name, c)));
    v
}

async fn demo_app() -> Vec<TestApp> {
    let apps = apps().await;
    for app in &apps {
        for (name, json) in linimasa::demo::ARTICLES {
            let mut l =
                linimasa::ingest::parse_blob(name, json.as_bytes().to_vec(), &Defaults::default());
            app.ingest(&l.remove(0).article.expect("demo article parses"))
                .await;
        }
    }
    apps
}

#[tokio::test]
async fn every_demo_event_has_a_headline_in_each_language_naming_its_place() {
    let kb: Arc<Knowledge> = Knowledge::embedded();
    for app in demo_app().await {
        let stored = app.events("/events?limit=1000").await;
        assert!(stored.len() >= 30, "{}", stored.len());
        for lang in Lang::ALL {
            let events = app
                .events(&format!("/events?limit=1000&lang={}", lang.code()))
                .await;
            assert_eq!(events.len(), stored.len());
            for e in &events {
                let h = e["title"].as_str().unwrap();
                assert!(h.chars().count() <= 90, "{h:?} is over 90 characters");
                assert!(!h.contains('…') && !h.contains("..."), "{h:?}");
                assert!(in_language(h, lang), "{:?}: {h:?} is not in it", lang);
                assert_eq!(e["lang"], lang.code());
                assert!(e["event_type_label"].is_string());
                // The place the headline names, in the language asked for (a town's
                // name, else its region's, else its country's), in some case form: its
                // stem (the name less its last two letters) is in the headline.
                let ev: Event = serde_json::from_value(e.clone()).unwrap();
                if let Some(place) = headline::place_name(&ev, &kb, lang) {
                    let forms = case_forms(&place, lang);
                    assert!(
                        forms.iter().any(|f| h.contains(f.as_str())),
                        "{lang:?}: {h:?} does not name {place:?} ({})",
                        e["id"]
                    );
                    assert!(in_language(&place, lang) || lang == Lang::Id, "{place:?}");
                }
                for r in e["regions"].as_array().unwrap() {
                    let iso = r["iso_code"].as_str().unwrap();
                    if let Some(name) = linimasa::headline::names::region(&kb, iso, lang) {
                        assert_eq!(r["name"], name.as_str());
                    }
                }
            }
        }
        // The same event, one id, four renderings; an Indonesian source's sentence is
        // the Indonesian summary.
        // (The day of the incursion, not a month-long event that overlaps it.)
        let on_the_day = |events: Vec<Value>| -> Value {
            events
                .into_iter()
                .find(|e| e["date"] == "2024-08-06")
                .expect("the incursion of 6 August 2024")
        };
        let q = "/events?region=kursk&from=2024-08-06&to=2024-08-06&type=assault";
        let kursk = on_the_day(app.events(&format!("{q}&lang=id")).await);
        assert_eq!(kursk["language"], "id", "{kursk:#}");
        let en = on_the_day(app.events(&format!("{q}&lang=en")).await);
        assert_eq!(en["id"], kursk["id"]);
        assert_eq!(en["language"], "en", "{en:#}");
        assert_ne!(kursk["summary"], en["summary"]);
        for lang in Lang::ALL {
            let one = app
                .get(&format!(
                    "/events/{}?lang={}",
                    kursk["id"].as_str().unwrap(),
                    lang.code()
                ))
                .await;
            assert_eq!(one.status, 200);
            eprintln!("{}: {}", lang.code(), one.body["title"]);
        }
    }
}

#[tokio::test]
async fn the_reader_language_is_chosen_by_lang_or_accept_language_and_cached_apart() {
    for app in demo_app().await {
        let by_param = app.get("/events?region=kursk&lang=ru").await;
        let by_header = app
            .request(
                axum::http::Request::get("/events?region=kursk")
                    .header("accept-language", "ru-RU,ru;q=0.9,en;q=0.5")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(by_param.body["events"], by_header.body["events"]);
        assert!(in_language(
            by_header.body["events"][0]["title"].as_str().unwrap(),
            Lang::Ru
        ));
        let vary: Vec<String> = by_header
            .headers
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .collect();
        assert!(
            vary.iter().any(|v| v.contains("accept-language")),
            "{vary:?}"
        );
        // Another language is another ETag; the same language spelt otherwise is not.
        let tag = |r: &Resp| r.headers["etag"].to_str().unwrap().to_string();
        let uk = app
            .request(
                axum::http::Request::get("/events?region=kursk")
                    .header("accept-language", "uk")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        let ru_again = app
            .request(
                axum::http::Request::get("/events?region=kursk")
                    .header("accept-language", "ru")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_ne!(tag(&uk), tag(&by_header));
        assert_eq!(tag(&ru_again), tag(&by_header));
        assert_ne!(uk.body["events"], by_header.body["events"]);

        // Every format takes it.
        for (path, needle) in [
            ("/events.csv?region=kursk&lang=uk", "Курськ"),
            ("/events.geojson?region=kursk&lang=uk", "Курськ"),
            ("/events.timeline.json?region=kursk&lang=uk", "Курськ"),
            ("/events.ics?region=kursk&lang=uk", "Курськ"),
            ("/events.ndjson?region=kursk&lang=uk", "Курськ"),
        ] {
            let (status, _, text) = crate::browser::raw_get(&app, path).await;
            assert_eq!(status, 200, "{path}");
            assert!(text.contains(needle), "{path}: {text}");
        }

        // A bad language is a 400 naming `lang`, on every read that takes it.
        for path in [
            "/events?lang=de",
            "/events.csv?lang=english",
            "/embed/timeline?lang=fr",
            "/events/stream?lang=xx",
        ] {
            assert_problem(&app.get(path).await, 400, Some("lang"));
        }
        let some = app.events("/events?limit=1").await;
        let id = some[0]["id"].as_str().unwrap();
        assert_problem(
            &app.get(&format!("/events/{id}?lang=de")).await,
            400,
            Some("lang"),
        );
    }
}

#[tokio::test]
async fn an_editors_title_wins_in_every_language() {
    for app in demo_app().await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let e = &app.events("/events?region=kursk&limit=1").await[0];
        let id = e["id"].as_str().unwrap();
        let r = app
            .request(
                axum::http::Request::patch(format!("/events/{id}"))
                    .header("content-type", "application/json")
                    .header("authorization", format!("Bearer {key}"))
                    .body(axum::body::Body::from(
                        json!({"title": "Kursk: what the desk wrote"}).to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 200, "{:#}", r.body);
        for lang in Lang::ALL {
            let r = app.get(&format!("/events/{id}?lang={}", lang.code())).await;
            assert_eq!(r.body["title"], "Kursk: what the desk wrote");
            assert_eq!(r.body["title_edited"], true);
        }
    }
}

#[tokio::test]
async fn facets_name_regions_countries_actors_and_types_in_the_readers_language() {
    for app in demo_app().await {
        let name_of = |r: &Resp, facet: &str, key: &str| -> Value {
            r.body[facet]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["key"] == key)
                .unwrap_or_else(|| panic!("{facet} {key}: {:#}", r.body))["name"]
                .clone()
        };
        let uk = app.get("/facets?lang=uk").await;
        assert_eq!(uk.status, 200);
        assert_eq!(name_of(&uk, "regions", "RU-KRS"), "Курська область");
        assert_eq!(name_of(&uk, "countries", "UA"), "Україна");
        assert_eq!(name_of(&uk, "actors", "ukraine-military"), "ЗСУ");
        assert_eq!(name_of(&uk, "event_types", "assault"), "напад");
        let id = app
            .request(
                axum::http::Request::get("/facets")
                    .header("accept-language", "id-ID,id;q=0.9")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(name_of(&id, "regions", "RU-KRS"), "Oblast Kursk");
        assert_eq!(
            name_of(&id, "actors", "ukraine-military"),
            "Pasukan Ukraina"
        );
        assert_eq!(name_of(&id, "event_types", "consult"), "pembicaraan");
        assert!(
            id.headers
                .get_all("vary")
                .iter()
                .any(|v| v.to_str().unwrap().contains("Accept-Language")),
            "{:?}",
            id.headers
        );
        // Without a language: the registry's English names, as before.
        let en = app.get("/facets").await;
        assert_eq!(name_of(&en, "regions", "RU-KRS"), "Kursk Oblast");
        assert_ne!(en.headers["etag"], uk.headers["etag"]);
    }
}

/// Whether an event has a source in Indonesian: the demo's Indonesian articles live
/// under `/id/`.
fn has_indonesian_source(e: &Value) -> bool {
    e["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["url"].as_str().is_some_and(|u| u.contains("/id/")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_indonesian_embed_shows_no_entry_in_another_language_where_indonesian_exists() {
    let app = demo_app().await.remove(0);
    let events = app.events("/events?limit=1000&lang=id").await;
    let with_id: Vec<&Value> = events.iter().filter(|e| has_indonesian_source(e)).collect();
    assert!(with_id.len() >= 10, "{}", with_id.len());
    for e in &events {
        // Every headline is Indonesian (the generated one, from the event's structure).
        assert!(in_language(e["title"].as_str().unwrap(), Lang::Id), "{e:#}");
    }
    for e in &with_id {
        // The body is the Indonesian source's sentence, not another language's.
        assert_eq!(e["language"], "id", "{e:#}");
        let texts: Vec<&str> = e["sources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["url"].as_str().is_some_and(|u| u.contains("/id/")))
            .map(|s| s["evidence"]["text"].as_str().unwrap())
            .collect();
        assert!(texts.contains(&e["summary"].as_str().unwrap()), "{e:#}");
    }

    // The page as a browser renders it.
    let Some(bin) = crate::browser::find_chromium() else {
        eprintln!("NOTICE: chromium is not installed; skipping the browser half of this test");
        return;
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let url = format!("http://{addr}/embed/timeline?lang=id&limit=100");
    let dom = tokio::task::spawn_blocking(move || {
        crate::browser::chromium_with(&bin, 8000, &["--dump-dom".to_string(), url])
    })
    .await
    .unwrap();
    server.abort();
    assert_eq!(dom.matches("<article ").count(), events.len(), "{dom}");
    // Every headline on the page is Indonesian, and every event with an Indonesian
    // source shows that source's sentence.
    for h2 in dom.split("<h2 ").skip(1) {
        let text = h2
            .split('>')
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap();
        assert!(in_language(text, Lang::Id), "{text:?}");
    }
    for e in &with_id {
        let summary = crate::browser::as_html_text(e["summary"].as_str().unwrap());
        assert!(dom.contains(&summary), "{summary} missing");
    }
}
