//! Saved timelines: a named filter, served in every format.

use axum::body::Body;
use axum::http::Request;
use serde_json::json;

use crate::common::*;

fn put(slug: &str, key: Option<&str>, body: serde_json::Value) -> Request<Body> {
    let mut r =
        Request::put(format!("/timelines/{slug}")).header("content-type", "application/json");
    if let Some(k) = key {
        r = r.header("authorization", format!("Bearer {k}"));
    }
    r.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn editors_save_a_filter_and_dashboards_read_it_in_every_format() {
    for app in fixtures_apps().await {
        let (_, key) = app.store.create_key("desk").await.unwrap();
        let body = json!({"title": "Kursk and Kherson", "description": "Two fronts", "filter": "region=kursk,kherson&from=2022"});
        assert_problem(
            &app.request(put("two-fronts", None, body.clone())).await,
            401,
            None,
        );
        let created = app
            .request(put("two-fronts", Some(&key), body.clone()))
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["created_by"], "desk");

        let direct = app.events("/events?region=kursk,kherson&from=2022").await;
        let saved = app.events("/timelines/two-fronts").await;
        assert_eq!(saved, direct, "{}", app.backend);
        let list = app.get("/timelines").await;
        assert_eq!(list.body["timelines"][0]["slug"], "two-fronts");

        // Paging stays on the timeline's own URL.
        let page = app.get("/timelines/two-fronts?limit=1").await;
        assert!(
            page.body["next"]
                .as_str()
                .unwrap()
                .starts_with("/timelines/two-fronts?limit=1&cursor=")
        );
        let next = app.get(page.body["next"].as_str().unwrap()).await;
        assert_eq!(next.body["events"][0], direct[1]);

        let csv = {
            use tower::ServiceExt;
            let req = Request::get("/timelines/two-fronts.csv?dl=1")
                .body(Body::empty())
                .unwrap();
            app.router.clone().oneshot(req).await.unwrap()
        };
        assert_eq!(csv.status(), 200);
        assert!(
            csv.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("two-fronts.csv")
        );
        let tl = app.get("/timelines/two-fronts.timeline.json").await;
        assert_eq!(tl.body["title"]["text"]["headline"], "Kursk and Kherson");
        assert_eq!(tl.body["events"].as_array().unwrap().len(), direct.len());

        // The saved filter is fixed; mistakes name the parameter.
        assert_problem(
            &app.get("/timelines/two-fronts?region=sumy").await,
            400,
            Some("region"),
        );
        assert_problem(&app.get("/timelines/nope").await, 404, None);
        let bad = app
            .request(put(
                "bad",
                Some(&key),
                json!({"title": "x", "filter": "region=kurks"}),
            ))
            .await;
        assert_problem(&bad, 400, Some("filter.region"));
        assert!(
            bad.body["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "kursk")
        );
        assert_problem(
            &app.request(put("Bad_Slug", Some(&key), body.clone())).await,
            400,
            Some("slug"),
        );
        assert_problem(
            &app.request(put(
                "x",
                Some(&key),
                json!({"title": "x", "filter": "limit=5"}),
            ))
            .await,
            400,
            Some("filter"),
        );

        let replaced = app
            .request(put(
                "two-fronts",
                Some(&key),
                json!({"title": "Kursk only", "filter": "region=kursk"}),
            ))
            .await;
        assert_eq!(replaced.status, 200);
        assert_eq!(app.events("/timelines/two-fronts").await.len(), 1);

        let del = Request::delete("/timelines/two-fronts")
            .header("authorization", format!("Bearer {key}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.request(del).await.status, 204);
        assert_problem(&app.get("/timelines/two-fronts").await, 404, None);
    }
}
