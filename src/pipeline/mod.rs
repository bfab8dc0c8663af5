//! The ingest pipeline: pure functions from an article to events, in the order of
//! DESIGN §3: clean (`clean`) → language (`lang`) → sentences
//! (`sentences`, within `bounds`) → event candidates (`detect`: triggers, captions,
//! the conflict gate) → places and actors (`places`, `scene`) → per sentence: time
//! expressions (`timex`, read in order by `dating`) → factuality (`factuality`) →
//! dating (`dating`: each act with its own clause's time) → events (`assemble`) →
//! merge (`merge`, then `dating`'s ledes and `scene`'s article focus). `events` is the
//! orchestrator that runs them in that order and nothing else; `annotate` shows what
//! each stage found. It knows nothing of HTTP or SQL.

pub mod annotate;
pub mod assemble;
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
