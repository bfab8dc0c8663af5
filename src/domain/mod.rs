//! The unit of everything: the event as served by the API and printed by `extract`
//! (DESIGN §2), and the validated value types it is made of.

pub mod date;
pub mod event;
pub mod fields;
pub mod patch;

pub use date::{EventDate, Precision};
pub use event::*;
