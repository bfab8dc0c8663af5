//! Many instances, one database: processes that ingest the same article at the same
//! moment store it once.

use std::process::Command;

use crate::common::*;

#[tokio::test]
async fn parallel_ingests_of_one_article_store_it_once() {
    let fixture = manifest().join("tests/fixtures/articles/01-kursk-offensive.json");
    let mut targets = Vec::new();
    let sqlite = app().await;
    let dir = tempfile::tempdir().unwrap();
    targets.push((
        "sqlite",
        format!("sqlite://{}", dir.path().join("shared.db").display()),
        sqlite,
    ));
    if let Some(pg) = postgres_app().await {
        let url = pg.database_url.clone();
        targets.push(("postgres", url, pg));
    }
    for (backend, url, _app) in &targets {
        // Create the schema first, as an operator's `linimasa migrate` would.
        let m = Command::new(env!("CARGO_BIN_EXE_linimasa"))
            .args(["migrate", "--database-url", url])
            .output()
            .unwrap();
        assert!(m.status.success(), "{}", String::from_utf8_lossy(&m.stderr));
        let children: Vec<_> = (0..6)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_linimasa"))
                    .args(["ingest", "--database-url", url, fixture.to_str().unwrap()])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        for o in &outs {
            assert!(
                o.status.success(),
                "{backend}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let stdouts: Vec<String> = outs
            .iter()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .collect();
        let says = |word: &str| {
            stdouts
                .iter()
                .filter(|o| o.lines().any(|l| l.starts_with(word)))
                .count()
        };
        assert_eq!(
            (says("added "), says("skipped ")),
            (1, 5),
            "{backend}: exactly one process stores the article: {stdouts:#?}"
        );

        let store = linimasa::store::connect(url).await.unwrap();
        let all = store
            .list_events(&linimasa::store::EventQuery {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(all.len(), 2, "{backend}: {all:#?}");
        assert!(
            all.iter().all(|e| e.sources.len() == 1),
            "{backend}: no duplicate sources"
        );
    }
}
