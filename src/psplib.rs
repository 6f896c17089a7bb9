//! TODO: placeholder, replaced by its owner.
