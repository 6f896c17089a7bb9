//! TODO(issue) — placeholder module, replaced by its owner.
