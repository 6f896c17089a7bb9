//! The periodic status report: what a programme office files on its cycle
//! (the US rip-and-replace recipients every 90 days, a department to its
//! board): as of the plan's `status_date`, per owner and overall, sites
//! completed, in progress and not started; devices removed, replaced and
//! disposed of; money committed to date against the forecast, the committed
//! timeline and the budget; a RAG status with its rule; the challenges
//! behind late sites; and the public targets met and at risk.
//!
//! `figures` computes the report as plain data from the plan, the current
//! timeline and the committed one; `render` turns it into status.md,
//! status.html, status.csv and status.xlsx. Pure: no file is read here.

pub mod figures;
pub mod render;

pub use figures::{compute, Group, Rag, StatusReport};
