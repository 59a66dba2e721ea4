//! Reusable pieces of the user interface.

pub mod chart;
pub mod finish_hold;
pub mod freshness_badge;
pub mod guard;
pub mod hydration_marker;
pub mod live;
pub mod messages;
pub mod nav;
pub mod record_table;
pub mod scheme_choice;
