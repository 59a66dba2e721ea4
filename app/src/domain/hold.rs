//! Holds: a coordinator keeps units of a service for a bounded time while arranging a placement.

use serde::{Deserialize, Serialize};

use super::profile::code_enum;

/// Default hold length: two hours.
pub const DEFAULT_HOLD_MINUTES: i64 = 120;
/// Longest hold: 24 hours.
pub const MAX_HOLD_MINUTES: i64 = 24 * 60;
/// Most units one hold may take.
pub const MAX_HOLD_UNITS: i64 = 20;

/// A valid hold request: 1 to [`MAX_HOLD_UNITS`] units for 5 minutes to 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldRequest {
    units: i64,
    minutes: i64,
}

impl HoldRequest {
    /// Validates units and duration (`None` means the default two hours).
    pub fn new(units: i64, minutes: Option<i64>) -> Result<Self, HoldError> {
        let minutes = minutes.unwrap_or(DEFAULT_HOLD_MINUTES);
        if !(1..=MAX_HOLD_UNITS).contains(&units) {
            return Err(HoldError::BadUnits);
        }
        if !(5..=MAX_HOLD_MINUTES).contains(&minutes) {
            return Err(HoldError::BadDuration);
        }
        Ok(Self { units, minutes })
    }
    /// Units to hold.
    pub fn units(self) -> i64 {
        self.units
    }
    /// Duration in minutes.
    pub fn minutes(self) -> i64 {
        self.minutes
    }
}

/// Where a hold is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldState {
    /// Units reserved until the expiry time.
    Held,
    /// The survivor arrived: the units are used.
    Confirmed,
    /// Given back before expiry.
    Released,
    /// Ran out of time; units freed.
    Expired,
}

code_enum!(HoldState {
    Held => "held" / "Held",
    Confirmed => "confirmed" / "Arrived",
    Released => "released" / "Released",
    Expired => "expired" / "Expired",
});

impl HoldState {
    /// The state at `now` of a hold stored as `self` that runs out at `expires_at` (Unix seconds): a held
    /// hold is expired from its expiry instant on, whether or not the sweeper has written it down. The SQL
    /// that sums active holds (`state = 'held' AND expires_at > now`) is tested against this rule.
    pub fn as_of(self, expires_at: i64, now: i64) -> Self {
        if self == HoldState::Held && expires_at <= now { HoldState::Expired } else { self }
    }
}

/// A hold as its coordinator and the provider see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// Id.
    pub id: i64,
    /// Held service.
    pub service_id: i64,
    /// Units held.
    pub units: i64,
    /// State at read time (an expired-but-unswept hold reads as expired).
    pub state: HoldState,
    /// When it was placed.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it runs out.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The need it serves, if recorded.
    pub need_id: Option<i64>,
}

/// Why a hold request or transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum HoldError {
    /// Units out of range.
    #[error("Hold between 1 and 20 units.")]
    BadUnits,
    /// Duration out of range.
    #[error("A hold lasts between 5 minutes and 24 hours.")]
    BadDuration,
    /// Not enough fresh, free units at this instant.
    #[error("No longer available: someone else took the last units, or the count is out of date.")]
    NoLongerAvailable,
    /// The service is not accepting referrals or is closed.
    #[error("This service is not accepting referrals right now.")]
    NotAccepting,
    /// The hold has already ended (confirmed, released or expired).
    #[error("This hold has already ended ({0:?}).")]
    AlreadyEnded(HoldState),
    /// No such hold or service.
    #[error("No such hold or service.")]
    NotFound,
    /// The coordinator already holds as many units as one coordinator may.
    #[error("You hold as many units as one coordinator may. Release a hold you no longer need first.")]
    LimitReached,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_hold_expires_at_its_expiry_instant_and_other_states_stay() {
        assert_eq!(HoldState::Held.as_of(100, 99), HoldState::Held);
        assert_eq!(HoldState::Held.as_of(100, 100), HoldState::Expired);
        assert_eq!(HoldState::Confirmed.as_of(100, 200), HoldState::Confirmed);
    }

    #[test]
    fn holds_default_to_two_hours_and_are_bounded() {
        assert_eq!(HoldRequest::new(1, None).unwrap().minutes(), 120);
        assert_eq!(HoldRequest::new(1, Some(24 * 60 + 1)), Err(HoldError::BadDuration));
        assert_eq!(HoldRequest::new(0, None), Err(HoldError::BadUnits));
        assert_eq!(HoldRequest::new(21, None), Err(HoldError::BadUnits));
    }
}
