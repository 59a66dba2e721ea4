//! Reusable pieces of the user interface.

pub mod hydration_marker;
