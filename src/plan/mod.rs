//! Plan files: raw serde types, validation into the typed `Plan`, and the
//! located diagnostics that point at the offending value.

mod model;

pub use model::*;
