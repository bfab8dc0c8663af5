//! The `linimasa` command line: serve, ingest, extract, annotate, migrate, openapi.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::api::ops::OpsConfig;
use crate::api::{self, AppState};
use crate::domain::Event;
use crate::ingest::{self, Defaults, Loaded};
use crate::knowledge::Knowledge;
use crate::pipeline::Extractor;
use crate::store::{self, Store};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://linimasa.db";

#[derive(Debug, Parser)]
#[command(
    name = "linimasa",
    version,
    about = "News articles about armed conflicts in, dated and located timelines out"
)]
pub struct Cli {
    /// Log format on standard error: text, or json (one object per line).
    #[arg(long, global = true, env = "LINIMASA_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// sqlite://PATH (created on first use) or postgres://…
    // `global`: accepted before or after a nested subcommand (`keys create`), like
    // every other flag of the command it belongs to.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

#[derive(Debug, clap::Args)]
pub struct ArticleArgs {
    /// Publication date (YYYY-MM-DD) that relative dates resolve against; JSON input's
    /// own `published_at` wins.
    #[arg(long, value_parser = ingest::parse_published)]
    pub published: Option<jiff::civil::Date>,
    /// The article's language (id, en, ru, uk); detected when absent.
    #[arg(long)]
    pub lang: Option<String>,
    /// An extra gazetteer file (columns of data/gazetteer/regions.tsv).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Create a key and print it once; only its hash is stored.
    Create {
        /// Who or what the key is for; shown in event histories.
        #[arg(long)]
        name: String,
    },
    /// List keys (never the keys themselves).
    List,
    /// Revoke a key by its id (key_…).
    Revoke { id: String },
}

#[derive(Debug, Subcommand)]
pub enum FeedsAction {
    /// Follow a feed (RSS, Atom, JSON Feed, news sitemap); `serve` polls it.
    Add {
        url: String,
        /// The language of its articles (id, en, ru, uk); detected when absent.
        #[arg(long)]
        language: Option<String>,
        /// Seconds between polls (default 900).
        #[arg(long)]
        interval: Option<i64>,
    },
    /// List the feeds followed, with how each one's last poll went.
    List,
    /// Stop following a feed, by its id (feed_…).
    Remove { id: String },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API.
    Serve {
        #[arg(long, env = "LINIMASA_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        #[command(flatten)]
        db: DbArgs,
        /// Ingest the built-in demo articles first (already stored ones are skipped).
        #[arg(long)]
        demo: bool,
        /// An extra gazetteer file (columns of data/gazetteer/regions.tsv).
        #[arg(long)]
        gazetteer: Option<PathBuf>,
        /// Seconds a request may take before it is answered 503.
        #[arg(long, env = "LINIMASA_REQUEST_TIMEOUT", default_value_t = 30)]
        request_timeout: u64,
        /// Reads per client address per minute (429 beyond); 0 = unlimited.
        #[arg(long, env = "LINIMASA_RATE_LIMIT", default_value_t = 1200)]
        rate_limit: u32,
        /// Milliseconds a read of the data version is trusted: writes through other
        /// instances (or `linimasa ingest`) reach this one's caches within this time;
        /// its own writes at once. 0 = ask the database on every read.
        #[arg(long, env = "LINIMASA_VERSION_TTL_MS", default_value_t = 1000)]
        version_ttl_ms: u64,
        /// MiB of memory for whole cached responses (0 = no response cache).
        #[arg(long, env = "LINIMASA_RESPONSE_CACHE_MB", default_value_t = 32)]
        response_cache_mb: usize,
        /// Seconds one SQL statement may run before it is stopped (PostgreSQL's
        /// statement_timeout; on SQLite a progress handler interrupts it): the request
        /// gets 503 and the connection is free again; 0 = no limit.
        #[arg(long, env = "LINIMASA_STATEMENT_TIMEOUT", default_value_t = 20)]
        statement_timeout: u64,
        /// Seconds a client has to send a request's line and headers; also how long
        /// a keep-alive connection may wait for its next request.
        #[arg(long, env = "LINIMASA_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
        header_timeout: u64,
        /// Seconds a request body may take to arrive (408 beyond).
        #[arg(long, env = "LINIMASA_BODY_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        body_timeout: u64,
        /// Seconds a connection may pass with no byte read or written before it is
        /// closed; 0 = never.
        #[arg(long, env = "LINIMASA_IDLE_TIMEOUT", default_value_t = 60)]
        idle_timeout: u64,
        /// Open connections one client address may hold (the next are closed at
        /// once); 0 = no cap.
        #[arg(long, env = "LINIMASA_MAX_CONNECTIONS_PER_IP", default_value_t = 64)]
        max_connections_per_ip: usize,
        /// Seconds: no feed is polled more often than this, whatever its interval.
        #[arg(long, env = "LINIMASA_MIN_FEED_INTERVAL", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=604_800))]
        min_feed_interval: u64,
        /// Milliseconds between two requests to one host (feeds and their pages).
        #[arg(long, env = "LINIMASA_FEED_HOST_GAP_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
        feed_host_gap_ms: u64,
        /// Feeds polled at once (each fetches its pages one at a time, in its host's turn).
        #[arg(long, env = "LINIMASA_FEED_WORKERS", default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..=1024))]
        feed_workers: u64,
        /// Let feeds and their pages come from loopback, private and link-local
        /// addresses (a feed server inside your own network; tests on loopback).
        /// Off by default, so a feed URL cannot reach into the server's network.
        #[arg(long, env = "LINIMASA_FEEDS_ALLOW_PRIVATE")]
        feeds_allow_private: bool,
    },
    /// Ingest articles: files, directories, JSONL, or - for standard input.
    Ingest {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        article: ArticleArgs,
        /// The article's URL (one article only).
        #[arg(long)]
        url: Option<String>,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Run the pipeline on one article and print its events as JSON; stores nothing.
    Extract {
        #[command(flatten)]
        article: ArticleArgs,
        /// A text or JSON file, or - for standard input.
        path: PathBuf,
    },
    /// Show what the pipeline read in one article as JSON: the cleaned text, each
    /// time expression (TIMEX3), place and actor, each sentence with its events or
    /// why none, and the events; stores nothing.
    Annotate {
        #[command(flatten)]
        article: ArticleArgs,
        /// A text, JSON or HTML file, or - for standard input.
        path: PathBuf,
    },
    /// Apply database migrations.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Manage the feeds `serve` follows.
    Feeds {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: FeedsAction,
    },
    /// Manage the API keys that writes (POST /articles, PATCH /events) need.
    Keys {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Fill a store for a demo or a benchmark: the built-in demo articles, or with
    /// --synthetic N, N realistic generated events written in bulk.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        /// Generate this many synthetic events instead of ingesting the demo articles.
        #[arg(long)]
        synthetic: Option<u64>,
        /// The synthetic generator's seed: the same seed gives the same events.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Score the extractor on the evaluation sets (see EVALUATION.md); writes every
    /// miss to <out>/eval-misses-<set>.tsv.
    Eval {
        /// The folder holding the evaluation sets.
        #[arg(long, default_value = "../shared/eval")]
        data: PathBuf,
        /// Where the misses files go.
        #[arg(long, default_value = "target/eval")]
        out: PathBuf,
        /// Only the article-body figure (html-body/), with the HTML path's speed.
        #[arg(long)]
        body: bool,
        /// Also score another extractor's output on html-body/ (JSON
        /// `{id: {"articleBody": text}}`), raw and after our cleaning; implies --body.
        #[arg(long, value_name = "FILE")]
        score_body: Vec<PathBuf>,
        /// Run only this set (repeatable): acled, ucdp, indotimex, timebank, robustness,
        /// published-date, devset (the hand-labelled development set), lgl, geovirus (geoparsing, geo/).
        #[arg(long = "set")]
        sets: Vec<String>,
    },
}

fn knowledge(extra: Option<&PathBuf>) -> anyhow::Result<Arc<Knowledge>> {
    Ok(match extra {
        Some(p) => Arc::new(Knowledge::with_extra_gazetteer(p)?),
        None => Knowledge::embedded(),
    })
}

fn check_lang(lang: &Option<String>) -> anyhow::Result<()> {
    if let Some(l) = lang
        && crate::pipeline::lang::normalise(l).is_none()
    {
        bail!("--lang {l:?} is not supported: use id, en, ru or uk");
    }
    Ok(())
}

/// The one article `command` (extract, annotate) reads from `path`, with the
/// extractor that reads it and where it came from, for messages.
fn one_article(
    command: &str,
    article: &ArticleArgs,
    path: &std::path::Path,
) -> anyhow::Result<(Extractor, String, crate::pipeline::events::ArticleInput)> {
    check_lang(&article.lang)?;
    let kb = knowledge(article.gazetteer.as_ref())?;
    let d = Defaults {
        published: article.published,
        url: None,
        language: article.lang.clone(),
    };
    let mut loaded = ingest::load(&[path.to_path_buf()], &d);
    if loaded.len() != 1 {
        bail!(
            "{command} takes one article; {} holds {}",
            path.display(),
            loaded.len()
        );
    }
    let Loaded { origin, article } = loaded.remove(0);
    let input = article.map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
    Ok((Extractor::new(kb), origin, input))
}

/// The output of `linimasa extract`.
#[derive(Serialize)]
struct ExtractOutput<'a> {
    language: &'a str,
    published: Option<&'a str>,
    title: Option<&'a str>,
    events: &'a [Event],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo {
            db,
            synthetic,
            seed,
        } => crate::synthetic::command(&db.database_url, synthetic, seed).await?,
        Command::Eval {
            data,
            out,
            body,
            score_body,
            sets,
        } => {
            let report = if body || !score_body.is_empty() {
                crate::eval::run_body(&data, &out, &score_body)?
            } else {
                crate::eval::run_sets(&data, &out, &sets)?
            };
            print!("{report}");
        }
        Command::Openapi => {
            let doc = api::openapi()
                .to_pretty_json()
                .context("serialising the OpenAPI document")?;
            println!("{doc}");
        }
        Command::Keys { db, action } => {
            let store = store::connect(&db.database_url).await?;
            match action {
                KeysAction::Create { name } => {
                    let name = name.trim();
                    if name.is_empty() || name.chars().count() > 100 {
                        bail!("--name takes 1 to 100 characters");
                    }
                    let (info, secret) = store.create_key(name).await?;
                    eprintln!("created {} ({}); it is shown only now:", info.id, info.name);
                    println!("{secret}");
                }
                KeysAction::List => {
                    for k in store.list_keys().await? {
                        let state = k
                            .revoked_at
                            .as_deref()
                            .map_or("active".to_string(), |r| format!("revoked {r}"));
                        println!("{}\t{}\tcreated {}\t{state}", k.id, k.name, k.created_at);
                    }
                }
                KeysAction::Revoke { id } => {
                    if !store.revoke_key(&id).await? {
                        bail!("no active key {id:?} (see linimasa keys list)");
                    }
                    eprintln!("revoked {id}");
                }
            }
        }
        Command::Feeds { db, action } => feeds_command(&db.database_url, action).await?,
        Command::Migrate { db } => {
            store::connect(&db.database_url).await?;
            eprintln!("migrated {}", db.database_url);
        }
        Command::Extract { article, path } => {
            let (extractor, origin, input) = one_article("extract", &article, &path)?;
            let x = extractor
                .extract(&input)
                .map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
            let out = ExtractOutput {
                language: &x.language,
                published: x.published.as_deref(),
                title: x.title.as_deref(),
                events: &x.events,
                warnings: &x.warnings,
            };
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut stdout, &out)?;
            writeln!(stdout)?;
        }
        Command::Annotate { article, path } => {
            let (extractor, origin, input) = one_article("annotate", &article, &path)?;
            let a = crate::pipeline::annotate::annotate(&extractor, &input)
                .map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut stdout, &a)?;
            writeln!(stdout)?;
        }
        Command::Ingest {
            db,
            article,
            url,
            paths,
        } => {
            check_lang(&article.lang)?;
            let kb = knowledge(article.gazetteer.as_ref())?;
            let d = Defaults {
                published: article.published,
                url: url.clone(),
                language: article.lang.clone(),
            };
            let loaded = ingest::load(&paths, &d);
            if url.is_some() && loaded.len() > 1 {
                bail!(
                    "--url names one article, but the input holds {}",
                    loaded.len()
                );
            }
            let store = store::connect(&db.database_url).await?;
            let extractor = Arc::new(Extractor::new(kb));
            let bulk = loaded.len() >= BULK;
            let failed = ingest_all(&*store, extractor, loaded).await;
            if bulk {
                store.optimize_text().await?;
            }
            if failed > 0 {
                bail!(
                    "{failed} article(s) could not be ingested (see above); the others were stored"
                );
            }
        }
        Command::Serve {
            bind,
            db,
            demo,
            gazetteer,
            request_timeout,
            rate_limit,
            version_ttl_ms,
            response_cache_mb,
            statement_timeout,
            header_timeout,
            body_timeout,
            idle_timeout,
            max_connections_per_ip,
            min_feed_interval,
            feed_host_gap_ms,
            feeds_allow_private,
            feed_workers,
        } => {
            if let Some((old, new)) = api::server::raise_file_limit() {
                tracing::info!(old, new, "open-file limit");
            }
            let kb = knowledge(gazetteer.as_ref())?;
            // Connect lazily: the service starts (and /readyz says 503) while the
            // database is still coming up, and migrates as soon as it answers.
            let store = store::connect_lazy_with(
                &db.database_url,
                &store::StoreOptions {
                    statement_timeout: (statement_timeout > 0)
                        .then(|| std::time::Duration::from_secs(statement_timeout)),
                    ..Default::default()
                },
            )?;
            let state = AppState::with_ops(
                store.clone(),
                kb.clone(),
                OpsConfig {
                    request_timeout: std::time::Duration::from_secs(request_timeout),
                    reads_per_minute: rate_limit,
                    version_ttl: std::time::Duration::from_millis(version_ttl_ms),
                    response_cache_bytes: response_cache_mb.saturating_mul(1024 * 1024),
                    body_timeout: std::time::Duration::from_secs(body_timeout),
                    ..OpsConfig::default()
                },
            );
            state
                .ready
                .store(false, std::sync::atomic::Ordering::SeqCst);
            let ready = state.ready.clone();
            let demo_store = store.clone();
            let extractor = state.extractor.clone();
            let versions = state.versions.clone();
            tokio::spawn(async move {
                let mut wait = std::time::Duration::from_millis(500);
                loop {
                    match demo_store.migrate().await {
                        Ok(()) => break,
                        Err(e) => {
                            tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "database not ready");
                            tokio::time::sleep(wait).await;
                            wait = (wait * 2).min(std::time::Duration::from_secs(30));
                        }
                    }
                }
                if demo {
                    let loaded = crate::demo::ARTICLES
                        .iter()
                        .flat_map(|(name, json)| {
                            ingest::parse_blob(name, json.as_bytes().to_vec(), &Defaults::default())
                        })
                        .collect();
                    ingest_all(&*demo_store, extractor, loaded).await;
                    versions.invalidate();
                }
                ready.store(true, std::sync::atomic::Ordering::SeqCst);
                tracing::info!("database migrated; ready");
            });
            let poller = crate::feeds::poll::spawn(
                state.clone(),
                crate::feeds::poll::PollConfig {
                    min_interval: std::time::Duration::from_secs(min_feed_interval),
                    parallel: feed_workers as usize,
                    fetch: crate::feeds::fetch::FetchConfig {
                        host_gap: std::time::Duration::from_millis(feed_host_gap_ms),
                        allow_private: feeds_allow_private,
                        ..Default::default()
                    },
                    ..Default::default()
                },
            )?;
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("binding {bind}"))?;
            let addr = listener.local_addr()?;
            tracing::info!(%addr, database = %redact(&db.database_url), "listening");
            eprintln!(
                "linimasa listening on http://{addr}  (try: curl 'http://{addr}/events?region=kursk')"
            );
            let server = api::server::ServerConfig {
                header_timeout: std::time::Duration::from_secs(header_timeout),
                idle_timeout: std::time::Duration::from_secs(idle_timeout),
                max_connections_per_ip,
            };
            // In-flight requests finish after SIGTERM / Ctrl-C; new connections are refused.
            api::server::serve(listener, api::router(state), server, shutdown_signal()).await?;
            poller.abort();
            tracing::info!("shut down");
        }
    }
    Ok(())
}

async fn feeds_command(database_url: &str, action: FeedsAction) -> anyhow::Result<()> {
    let store = store::connect(database_url).await?;
    match action {
        FeedsAction::Add {
            url,
            language,
            interval,
        } => {
            let new = crate::feeds::new_feed(&url, language.as_deref(), interval).map_err(|e| {
                let flag = match e.field {
                    "interval_s" => "--interval",
                    "language" => "--language",
                    _ => "URL",
                };
                anyhow::anyhow!("{flag}: {}", e.detail)
            })?;
            let (feed, created) = store.add_feed(&new).await?;
            let verb = if created {
                "following"
            } else {
                "already following"
            };
            eprintln!("{verb} {} every {} s", feed.url, feed.interval_s);
            println!("{}", feed.id);
        }
        FeedsAction::List => {
            for f in store.list_feeds().await? {
                let last = match (&f.last_fetched_at, f.last_status, &f.last_error) {
                    (None, _, _) => "never polled".to_string(),
                    (Some(at), status, err) => format!(
                        "polled {at} ({}){}",
                        status.map_or("no answer".into(), |s| format!("HTTP {s}")),
                        err.as_deref().map_or(String::new(), |e| format!(": {e}"))
                    ),
                };
                println!(
                    "{}\t{}\tevery {} s\t{} items, {} articles\t{last}\tnext {}",
                    f.id, f.url, f.interval_s, f.items_seen, f.articles_ingested, f.next_fetch_at
                );
            }
        }
        FeedsAction::Remove { id } => {
            if !store.delete_feed(&id).await? {
                bail!("no feed {id:?} (see linimasa feeds list)");
            }
            eprintln!("no longer following {id}");
        }
    }
    Ok(())
}

/// At most this many articles are written in one transaction by [`ingest_all`].
const BATCH: usize = 64;

/// Extracted articles waiting for the writer, at most (besides those that arrived out of
/// order): enough for two full batches.
const AHEAD: usize = 2 * BATCH;

/// Ingests every loaded article, printing a line for each; returns how many failed.
/// From this many articles on, `ingest` merges the full-text index when it is done.
const BULK: usize = 1_000;

pub async fn ingest_all(
    store: &dyn Store,
    extractor: Arc<Extractor>,
    loaded: Vec<Loaded>,
) -> usize {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::io::Write as _;
    type Extracted = (String, Result<crate::pipeline::events::Extraction, String>);
    let (mut failed, mut added, mut merged, mut skipped) = (0, 0, 0, 0);
    let total = loaded.len();
    // Extraction is CPU work: one worker per core takes the next article and hands its
    // extraction to the writer through a bounded channel, while the writer keeps the
    // input's order (and so the merges and messages are the same in every run).
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, total.max(1));
    let queue = Arc::new(std::sync::Mutex::new(loaded.into_iter().enumerate()));
    let (sender, mut extracted) = tokio::sync::mpsc::channel::<(usize, Extracted)>(AHEAD);
    for _ in 0..workers {
        let (queue, sender, extractor) = (queue.clone(), sender.clone(), extractor.clone());
        tokio::task::spawn_blocking(move || {
            loop {
                let next = match queue.lock() {
                    Ok(mut q) => q.next(),
                    Err(_) => None,
                };
                let Some((i, l)) = next else { break };
                let x = l.article.and_then(|input| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        extractor.extract(&input).map_err(|e| e.to_string())
                    }))
                    .unwrap_or_else(|_| Err("extraction failed".to_string()))
                });
                if sender.blocking_send((i, (l.origin, x))).is_err() {
                    break;
                }
            }
        });
    }
    drop(sender);
    let mut waiting: BTreeMap<usize, Extracted> = BTreeMap::new();
    let mut next = 0;
    while next < total {
        // The writer waits for the next article in order, then takes what is ready after
        // it, up to BATCH articles, into one transaction: commits are amortised when the
        // writer is the slow side, and an article is written as soon as it is extracted
        // when extraction is.
        while !waiting.contains_key(&next) {
            match extracted.recv().await {
                Some((i, x)) => {
                    waiting.insert(i, x);
                }
                None => break,
            }
        }
        while let Ok((i, x)) = extracted.try_recv() {
            waiting.insert(i, x);
        }
        let mut chunk = Vec::with_capacity(BATCH);
        while chunk.len() < BATCH {
            match waiting.remove(&next) {
                Some(x) => {
                    chunk.push(x);
                    next += 1;
                }
                None => break,
            }
        }
        if chunk.is_empty() {
            // The workers stopped early (they never do but for a broken runtime).
            failed += total - next;
            eprintln!("error   {} article(s) were not extracted", total - next);
            break;
        }
        let ok: Vec<&crate::pipeline::events::Extraction> =
            chunk.iter().filter_map(|(_, x)| x.as_ref().ok()).collect();
        let mut written = match store.ingest_batch(&ok).await {
            Ok(results) => results
                .into_iter()
                .map(|r| r.map_err(|e| e.to_string()))
                .collect::<Vec<_>>(),
            Err(e) => vec![Err(format!("not stored (its batch failed): {e}")); ok.len()],
        }
        .into_iter();
        // One write to standard output per batch, not one per line.
        let mut lines = String::new();
        for (origin, x) in &chunk {
            let result = match x {
                Err(e) => Err(e.clone()),
                Ok(x) => written
                    .next()
                    .unwrap_or_else(|| Err("not stored".to_string()))
                    .map(|o| (o, &x.warnings)),
            };
            match result {
                Ok((o, _)) if o.duplicate => {
                    skipped += 1;
                    let _ = writeln!(
                        lines,
                        "skipped {origin}: already stored as {}",
                        o.article_id
                    );
                }
                Ok((o, warnings)) => {
                    added += o.added.len();
                    merged += o.merged.len();
                    let _ = writeln!(
                        lines,
                        "added   {origin}: {} ({} new events, {} merged into existing ones)",
                        o.article_id,
                        o.added.len(),
                        o.merged.len()
                    );
                    for w in warnings {
                        let _ = writeln!(lines, "        note: {w}");
                    }
                }
                Err(e) => {
                    failed += 1;
                    // In order with the lines before it.
                    let mut out = std::io::stdout().lock();
                    let _ = out.write_all(lines.as_bytes());
                    let _ = out.flush();
                    lines.clear();
                    eprintln!("error   {origin}: {e}");
                }
            }
        }
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(lines.as_bytes());
        let _ = out.flush();
    }
    store.end_batches().await;
    println!(
        "{added} events added, {merged} merged, {skipped} articles skipped as already stored, {failed} failed"
    );
    failed
}

/// The URL without a password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
