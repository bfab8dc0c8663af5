//! linimasa's integration tests, in one binary: the user's story on the real corpus
//! page, every filter and error through `Router::oneshot`, the command line as a user
//! runs it, and one request over a real socket.

mod annotate;
mod batch;
mod browser;
mod caching;
mod cli;
mod common;
mod concurrency;
mod crash;
mod deploy;
mod docs;
mod errors;
mod eval;
mod faults;
mod feeds;
mod filters;
mod formats;
mod fuzz_cases;
mod headlines;
mod hostile;
mod langid;
mod live;
mod openapi;
mod ops;
mod plans;
mod scoped;
mod security;
mod socket;
mod story;
mod timelinejs;
mod timelines;
mod timex_props;
mod write;
