//! The ingest pipeline: pure functions from an article to events, in the order of
//! DESIGN §3: clean → language → sentences → time expressions → places and actors →
//! event candidates (`detect`) → factuality → dating → merge; `events` runs them in
//! that order. It knows nothing of HTTP or SQL.

pub mod annotate;
pub mod bounds;
pub mod charset;
pub mod clean;
pub mod dating;
pub mod detect;
pub mod events;
pub mod factuality;
pub mod fatalities;
pub mod html;
pub mod lang;
pub mod merge;
mod parity;
pub mod places;
pub mod published;
pub mod scene;
pub mod sentences;
pub mod timex;

pub use events::{Extraction, Extractor};
