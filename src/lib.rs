//! linimasa reads news articles about armed conflicts, turns them into dated, located,
//! sourced events, and serves them as filtered timelines over HTTP.
//!
//! - [`pipeline`]: article → events (pure; no HTTP, no SQL)
//! - [`store`]: the `Store` trait and its backends
//! - [`api`]: the HTTP layer
//! - [`cli`]: the `linimasa` command
//! - [`headline`]: headlines from an event's structure, and events in the reader's language
//! - [`knowledge`]: gazetteer, actors and lexicons from `data/`
//! - [`morph`]: inflection of the lexicon's lemmas

pub mod api;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod eval;
pub mod feeds;
pub mod headline;
pub mod ingest;
pub mod knowledge;
pub mod morph;
pub mod pipeline;
pub mod store;
pub mod synthetic;
pub mod text;
