//! docker-compose.yml and the Dockerfile, checked statically (no Docker engine runs
//! in CI): the wiring a new user relies on.

use yaml_rust2::{Yaml, YamlLoader};

use crate::common::manifest;

fn compose() -> Yaml {
    let text = std::fs::read_to_string(manifest().join("docker-compose.yml")).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

fn strings(y: &Yaml) -> Vec<String> {
    y.as_vec()
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn compose_runs_the_service_on_a_healthy_postgres() {
    let c = compose();
    let db = &c["services"]["db"];
    assert!(db["image"].as_str().unwrap().starts_with("postgres:"));
    assert!(
        strings(&db["healthcheck"]["test"])
            .join(" ")
            .contains("pg_isready")
    );
    let volume = db["volumes"][0].as_str().unwrap();
    assert!(volume.ends_with(":/var/lib/postgresql/data"));
    let named = volume.split(':').next().unwrap();
    assert!(
        !c["volumes"][named].is_badvalue(),
        "the database volume {named} is declared"
    );

    let app = &c["services"]["linimasa"];
    assert_eq!(app["build"].as_str(), Some("."));
    assert_eq!(
        app["depends_on"]["db"]["condition"].as_str(),
        Some("service_healthy")
    );
    let url = app["environment"]["DATABASE_URL"].as_str().unwrap();
    let env = &db["environment"];
    let (user, pass, name) = (
        env["POSTGRES_USER"].as_str().unwrap(),
        env["POSTGRES_PASSWORD"].as_str().unwrap(),
        env["POSTGRES_DB"].as_str().unwrap(),
    );
    assert_eq!(url, format!("postgres://{user}:{pass}@db:5432/{name}"));
    let cmd = strings(&app["command"]);
    assert_eq!(cmd[0], "serve");
    assert!(
        cmd.windows(2)
            .any(|w| w[0] == "--bind" && w[1].starts_with("0.0.0.0:")),
        "{cmd:?}"
    );
    assert!(app["ports"][0].as_str().unwrap().ends_with(":8080"));
    assert!(!app["healthcheck"]["test"].is_badvalue());
}

#[test]
fn dockerfile_builds_in_stages_and_runs_unprivileged() {
    let d = std::fs::read_to_string(manifest().join("Dockerfile")).unwrap();
    assert!(
        d.matches("\nFROM ").count() + usize::from(d.starts_with("FROM ")) >= 2,
        "multi-stage"
    );
    assert!(d.contains("COPY --from=build"));
    let user = d.lines().rfind(|l| l.starts_with("USER ")).unwrap();
    assert!(!user.contains("root"), "{user}");
    for dir in ["src", "data", "migrations"] {
        assert!(
            d.contains(&format!("COPY {dir} {dir}")),
            "the image build copies {dir}/"
        );
    }
    // The healthcheck the compose file runs exists in the image.
    let hc = compose()["services"]["linimasa"]["healthcheck"]["test"][1]
        .as_str()
        .unwrap()
        .to_string();
    assert!(d.contains(&hc), "{hc}");
}
