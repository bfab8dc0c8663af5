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
    // src/ and every directory its code reads at compile time (include_str!,
    // include_bytes!, migrate!).
    let dirs = compile_time_dirs();
    assert!(
        dirs.contains("data") && dirs.contains("migrations"),
        "{dirs:?}"
    );
    for dir in dirs.iter().map(String::as_str).chain(["src"]) {
        assert!(
            d.contains(&format!("COPY {dir} {dir}")),
            "the image build copies {dir}/"
        );
    }
    // Cargo refuses to build a manifest whose declared targets are missing, and the
    // build settings in .cargo/ are part of the build.
    let cargo_toml = std::fs::read_to_string(manifest().join("Cargo.toml")).unwrap();
    if cargo_toml.contains("[[bench]]") {
        assert!(
            d.contains("COPY benches benches"),
            "the image build copies benches/"
        );
    }
    if manifest().join(".cargo/config.toml").exists() {
        assert!(
            d.contains("COPY .cargo .cargo"),
            "the image build copies .cargo/"
        );
    }
    // The healthcheck the compose file runs exists in the image.
    let hc = compose()["services"]["linimasa"]["healthcheck"]["test"][1]
        .as_str()
        .unwrap()
        .to_string();
    assert!(d.contains(&hc), "{hc}");
}

/// The top-level directories of the files `src/` includes at compile time.
fn compile_time_dirs() -> std::collections::BTreeSet<String> {
    fn walk(dir: &std::path::Path, out: &mut std::collections::BTreeSet<String>) {
        let root = manifest();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for (mac, base) in [
                ("include_str!(\"", path.parent().unwrap().to_path_buf()),
                ("include_bytes!(\"", path.parent().unwrap().to_path_buf()),
                ("migrate!(\"", root.clone()),
            ] {
                for part in text.split(mac).skip(1) {
                    let Some(rel) = part.split('"').next() else {
                        continue;
                    };
                    // Resolved against the including file (the manifest for migrate!),
                    // then named by its first component under the manifest.
                    let mut full = base.clone();
                    for c in std::path::Path::new(rel).components() {
                        match c {
                            std::path::Component::ParentDir => {
                                full.pop();
                            }
                            std::path::Component::Normal(n) => full.push(n),
                            _ => {}
                        }
                    }
                    if let Ok(under) = full.strip_prefix(&root)
                        && let Some(first) = under.components().next()
                    {
                        let first = first.as_os_str().to_string_lossy().into_owned();
                        if first != "src" {
                            out.insert(first);
                        }
                    }
                }
            }
        }
    }
    let mut out = std::collections::BTreeSet::new();
    walk(&manifest().join("src"), &mut out);
    out
}
