//! The OpenAPI document: served, complete, and identical to the committed file.

use crate::common::*;

#[tokio::test]
async fn served_spec_matches_the_committed_file() {
    let app = app().await;
    let served = app.get("/openapi.json").await;
    assert_eq!(served.status, 200);
    let path = manifest().join("openapi/openapi.json");
    let committed: serde_json::Value = std::fs::read_to_string(&path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    assert!(
        served.body == committed,
        "openapi/openapi.json is out of date; regenerate it with:\n\n    cargo run -- openapi > openapi/openapi.json\n"
    );
}

#[tokio::test]
async fn spec_is_openapi_3_1_and_documents_every_route() {
    let app = app().await;
    let spec = app.get("/openapi.json").await.body;
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for p in [
        "/events",
        "/events/{id}",
        "/regions",
        "/regions/{slug}",
        "/actors",
        "/event-types",
        "/articles/{id}",
        "/healthz",
        "/readyz",
    ] {
        assert!(spec["paths"][p]["get"].is_object(), "{p} undocumented");
        assert!(spec["paths"][p]["get"]["operationId"].is_string());
    }
    for (p, method) in [("/articles", "post"), ("/annotate", "post")] {
        assert!(
            spec["paths"][p][method]["operationId"].is_string(),
            "{method} {p} undocumented"
        );
    }
    let annotation = &spec["components"]["schemas"]["Annotation"]["properties"];
    for field in [
        "language",
        "published",
        "title",
        "text",
        "times",
        "places",
        "actors",
        "sentences",
        "events",
    ] {
        assert!(
            annotation[field].is_object(),
            "Annotation.{field} undocumented"
        );
    }
    let params: Vec<&str> = spec["paths"]["/events"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for want in [
        "region", "country", "actor", "type", "from", "to", "q", "limit", "cursor", "sort",
    ] {
        assert!(params.contains(&want), "{want} missing from {params:?}");
    }
    assert!(
        spec["paths"]["/events"]["get"]["responses"]["400"]["content"]["application/problem+json"]
            .is_object()
    );
    assert!(spec["components"]["schemas"]["Event"]["example"].is_object());
}

/// The document says what is accepted (issue 20, item 10; schemathesis checks it with
/// positive_data_acceptance): the statuses an editor may set, slugs, dates that exist,
/// and an article's `text` or `html` but not both.
#[tokio::test]
async fn spec_states_what_the_server_accepts() {
    let app = app().await;
    let spec = app.get("/openapi.json").await.body;
    let schemas = &spec["components"]["schemas"];
    assert_eq!(
        schemas["EditableStatus"]["enum"],
        serde_json::json!(["edited", "verified", "hidden"])
    );
    let put = &spec["paths"]["/timelines/{slug}"]["put"]["parameters"][0]["schema"];
    assert!(put["pattern"].is_string(), "{put}");
    let events = spec["paths"]["/events"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let pattern = |name: &str| {
        let p = events.iter().find(|p| p["name"] == name).unwrap();
        regex::Regex::new(p["schema"]["pattern"].as_str().unwrap()).unwrap()
    };
    let from = pattern("from");
    for ok in ["2024", "2024-08", "2024-02-29", "2000-02-29"] {
        assert!(from.is_match(ok), "{ok}");
    }
    for bad in [
        "2024-02-30",
        "2023-02-29",
        "1900-02-29",
        "2024-13",
        "2024-04-31",
    ] {
        assert!(!from.is_match(bad), "{bad}");
    }
    let since = pattern("updated_since");
    assert!(since.is_match("2026-11-01T00:00:00Z") && since.is_match("2026-11-01"));
    assert!(!since.is_match("00") && !since.is_match("2026-11-01T24:00:00Z"));
    let body =
        &spec["paths"]["/articles"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(
        body["allOf"][1]["oneOf"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
}
