//! Every mistake a user can make gets a clear problem+json that names the parameter.

use axum::body::Body;
use axum::http::Request;

use crate::common::*;

#[tokio::test]
async fn bad_parameters_are_400_naming_the_parameter() {
    for app in fixtures_apps().await {
        for (uri, param) in [
            ("/events?regoin=kursk", "regoin"),
            ("/events?from=2024-13", "from"),
            ("/events?from=2024-02-30", "from"),
            ("/events?to=yesterday", "to"),
            ("/events?cursor=bm90LWEtY3Vyc29y", "cursor"),
            ("/events?cursor=%%%", "cursor"),
            ("/events?limit=0", "limit"),
            ("/events?limit=1001", "limit"),
            ("/events?limit=ten", "limit"),
            ("/events?limit=10&limit=20", "limit"),
            ("/events?region=", "region"),
            ("/events?region=,", "region"),
            ("/events?region=%20,%20,", "region"),
            ("/events?country=,", "country"),
            ("/events?type=,", "type"),
            ("/events?actor=,", "actor"),
            ("/events?source=,", "source"),
            ("/facets?region=,", "region"),
            ("/events?q=%27", "q"),
            ("/events?q=*", "q"),
            ("/events?q=%22%22", "q"),
            ("/events?q=", "q"),
            ("/histogram?q=-%20-", "q"),
            ("/events?region=kurks", "region"),
            ("/events?actor=nobody-at-all", "actor"),
            ("/events?type=asault", "type"),
            ("/events?country=Atlantis", "country"),
            ("/events?sort=date_desc", "sort"),
            ("/events?min_confidence=2", "min_confidence"),
            ("/events?=kursk", "query"),
            ("/regions?=UA", "query"),
            ("/facets?%20=1", "query"),
            ("/histogram?=day", "query"),
            ("/embed/timeline?=x", "query"),
            ("/embed/timeline?title=a%00", "title"),
        ] {
            let r = app.get(uri).await;
            assert_problem(&r, 400, Some(param));
            assert!(
                r.body["detail"].as_str().unwrap().len() > 10,
                "{uri}: {}",
                r.body
            );
        }
    }
}

#[tokio::test]
async fn misspelt_names_get_suggestions() {
    for app in fixtures_apps().await {
        for (uri, want) in [
            ("/events?region=kurks", "kursk"),
            ("/events?type=asault", "assault"),
            ("/events?regoin=kursk", "region"),
            ("/events?region=khersn", "kherson"),
        ] {
            let r = app.get(uri).await;
            let s = r.suggestions();
            assert!(s.contains(&want), "{uri}: {s:?}");
            assert!(r.body["detail"].as_str().unwrap().contains(want));
        }
    }
}

#[tokio::test]
async fn a_cursor_from_the_other_sort_order_is_refused() {
    for app in fixtures_apps().await {
        let r = app.get("/events?limit=1&sort=-date").await;
        let c = r.body["next_cursor"].as_str().unwrap();
        let wrong = app
            .get(&format!("/events?limit=1&sort=date&cursor={c}"))
            .await;
        assert_problem(&wrong, 400, Some("cursor"));
    }
}

#[tokio::test]
async fn unknown_ids_paths_and_methods_are_problems_too() {
    for app in fixtures_apps().await {
        assert_problem(&app.get("/events/evt_doesnotexist").await, 404, None);
        assert_problem(&app.get("/articles/art_doesnotexist").await, 404, None);
        assert_problem(&app.get("/regions/atlantis").await, 404, None);
        assert_problem(&app.get("/no/such/path").await, 404, None);
        let r = app
            .request(Request::delete("/events").body(Body::empty()).unwrap())
            .await;
        assert_problem(&r, 405, None);
    }
}

#[tokio::test]
async fn hostile_input_never_panics_or_leaks() {
    for app in fixtures_apps().await {
        let before = app.events("/events?limit=1000").await.len();
        for q in [
            "region=%27%3B%20DROP%20TABLE%20events%3B%20--",
            "q=%22%20OR%201%3D1%20--",
            "q=NEAR(a%20b)%20AND%20*",
            "q=%F0%9F%92%A3%F0%9F%92%A3",
            "actor=%00",
            "from=9999-12-31",
            "from=0000",
            "cursor=MXxhc2N8OTk5OS0xMi0zMXxldnRfeA",
        ] {
            let r = app.get(&format!("/events?{q}")).await;
            assert!(r.status.as_u16() < 500, "{q}: {} {}", r.status, r.body);
        }
        assert_eq!(app.events("/events?limit=1000").await.len(), before);
    }
}

#[tokio::test]
async fn an_empty_cursor_is_the_first_page() {
    for app in fixtures_apps().await {
        let first = app.get("/events?limit=2").await;
        for uri in [
            "/events?limit=2&cursor=",
            "/facets?cursor=",
            "/histogram?cursor=",
        ] {
            let r = app.get(uri).await;
            assert_eq!(r.status, 200, "{uri}: {}", r.body);
        }
        let r = app.get("/events?limit=2&cursor=").await;
        assert_eq!(r.body["events"], first.body["events"]);
    }
}

#[tokio::test]
async fn updated_since_takes_any_rfc_3339_timestamp() {
    for app in fixtures_apps().await {
        // Past the last instant jiff represents (9999-12-30T22:00:00Z): nothing since.
        for uri in [
            "/events?updated_since=9999-12-31T23:59:59Z",
            "/events?updated_since=9999-12-31T23:59:59%2B14:00",
            "/events?updated_since=9999-12-31T23:59:59-12:00",
        ] {
            let r = app.get(uri).await;
            assert_eq!(r.status, 200, "{uri}: {}", r.body);
            assert_eq!(r.body["events"].as_array().unwrap().len(), 0, "{uri}");
        }
        let r = app.get("/events?updated_since=0001-01-01T00:00:00Z").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(!r.body["events"].as_array().unwrap().is_empty());
        for bad in ["9999-12-31T23:59:59", "9999-12-31T25:00:00Z", "tomorrow"] {
            let r = app.get(&format!("/events?updated_since={bad}")).await;
            assert_problem(&r, 400, Some("updated_since"));
        }
    }
}
