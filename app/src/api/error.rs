//! The one error type every server function returns: a code, from which its HTTP status, the words a person
//! reads and the form field it concerns all follow. Plain form posts carry only the code in the URL
//! (`?error=code`); the words live here, once, and are never read from a URL.

use serde::{Deserialize, Serialize};

use crate::domain::profile::code_enum;

/// Why a server function refused or failed. Serialized as its code (`"hold_unavailable"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
#[error("{}", self.message())]
pub enum AppError {
    // Access.
    /// Not signed in.
    SignIn,
    /// The role may not do this.
    Forbidden,
    /// The role needs a second factor, and this session has none yet.
    SecondFactor,
    /// It belongs to another organization or coordinator.
    NotYours,
    /// A provider administrator invited someone outside their organization.
    InviteOutside,
    /// No such thing (or no longer).
    NotFound,
    // Failures that are not the caller's.
    /// Something failed on the server; the cause is logged there, never shown.
    Internal,
    /// The browser could not reach the server.
    Unreachable,
    /// The request could not be read (a stale page or a hand-made request).
    BadRequest,
    // Signing in.
    /// Wrong email or password.
    Credentials,
    /// Wrong or reused second-factor code at sign-in.
    Code,
    /// Wrong code while confirming the set-up of a second factor.
    SetupCode,
    /// Too many attempts.
    Throttled,
    /// Password under 8 characters.
    TooShort,
    /// Password over 128 characters.
    TooLong,
    /// Password on the common-password list.
    TooCommon,
    /// Invitation or reset link invalid, expired or used.
    Link,
    /// Display name too long.
    DisplayName,
    /// No second-factor set-up to confirm.
    NoSetup,
    // Administration.
    /// Not an email address.
    Email,
    /// No role chosen.
    Role,
    /// A provider account without an organization.
    Organization,
    /// That name, email or code is in use.
    Taken,
    /// An administrator tried to disable their own account.
    SelfDisable,
    /// Organization name empty or too long.
    OrganizationName,
    /// Category code malformed or family missing.
    CategoryCode,
    /// Category name or unit missing.
    CategoryName,
    /// A taxonomy term that is not a code.
    TaxonomyTerm,
    /// A website that is not an http(s) address.
    Website,
    /// A retirement without its confirmation.
    ConfirmRetire,
    // Describing services and sites.
    /// No status chosen.
    Status,
    /// No age group chosen.
    AgeGroups,
    /// No trafficking type chosen.
    TraffickingTypes,
    /// No gender chosen.
    Genders,
    /// Ages not whole numbers from 0 to 120.
    Ages,
    /// Languages not codes.
    Languages,
    /// Ages contradict the age groups.
    AgeRules,
    /// Site name or address too long.
    SiteName,
    /// Opening hours too long.
    Hours,
    /// No file, or one that is neither a package, a JSON list nor a sheet.
    ImportFile,
    /// Not a phone number.
    Phone,
    /// More services in one bulk update than allowed.
    TooManyServices,
    /// No town chosen, or not one of Connecticut's.
    Town,
    /// Service name empty or too long.
    ServiceName,
    /// No category chosen, or not one the taxonomy has.
    Category,
    /// Starting counts that are not whole numbers, or more free than in total.
    ServiceCounts,
    /// The service is retired: it takes no more changes.
    Retired,
    // Coordinating.
    /// A search with too many filters.
    SearchTooBroad,
    /// A need or closing carried a field Continuum does not record.
    UnknownField,
    /// A need without its required fields.
    NeedFields,
    /// A need that breaks a rule (household, services, languages).
    NeedInvalid,
    /// No outcome chosen for a need.
    Outcome,
    /// Neither arrived nor release chosen for a hold.
    HoldOutcome,
    /// Unmet or out-of-region outcome without a reason.
    ReasonRequired,
    /// Reasons given for an outcome that takes none.
    ReasonsNotAllowed,
    /// The need is closed already.
    AlreadyClosed,
    /// Units out of range.
    HoldUnits,
    /// Hold duration out of range.
    HoldDuration,
    /// Not enough fresh free units at this instant.
    HoldUnavailable,
    /// The service is not accepting referrals.
    HoldNotAccepting,
    /// The hold has ended already.
    HoldEnded,
    /// The coordinator holds as many units as they may.
    HoldLimit,
    /// The coordinator has as many alerts as they may.
    AlertLimit,
    // Oversight periods.
    /// A date that is not a day from 2000 to today.
    BadDate,
    /// A period that does not start on a Monday.
    NotMonday,
    /// A period that does not end on a Sunday.
    NotSunday,
    /// A period whose last week has not ended.
    WeekNotOver,
    /// A period that ends before it starts.
    PeriodReversed,
    /// A period over two years.
    PeriodTooLong,
    /// A region scheme that is neither planning regions nor counties.
    BadScheme,
}

// Every error with its code (its serialized form, and what a URL may carry) and the words a person reads;
// `ALL`, `code()`, `label()` and `parse()` come from the table.
code_enum!(AppError {
    SignIn => "sign_in" / "Sign in to continue.",
    Forbidden => "forbidden" / "You do not have access to this.",
    SecondFactor => "second_factor" / "Set up two-factor authentication on your account page first.",
    NotYours => "not_yours" / "That belongs to another organization or coordinator: you cannot change it.",
    InviteOutside => "invite_outside" / "You can only invite colleagues into your own organization.",
    NotFound => "not_found" / "That does not exist, or no longer does.",
    Internal => "internal" / "Something went wrong on our side. Please try again.",
    Unreachable => "unreachable" / "Continuum could not be reached. Check the connection and try again.",
    BadRequest => "bad_request" / "The request could not be read. Reload the page and try again.",
    Credentials => "credentials" / "The email or password is not right.",
    Code => "code" / "That code is not right or was already used. Use the next code from your authenticator app, or a recovery code.",
    SetupCode => "setup_code" / "That code is not right. Enter the current 6-digit code from your app.",
    Throttled => "throttled" / "Too many attempts. Wait a while and try again, or ask an administrator to unlock the account.",
    TooShort => "too_short" / "Use at least 8 characters.",
    TooLong => "too_long" / "Use at most 128 characters.",
    TooCommon => "too_common" / "That password is too common: it appears in lists attackers try first. Choose another.",
    Link => "link" / "This link is invalid, expired or already used. Ask for a new one.",
    DisplayName => "display_name" / "Use at most 80 characters for your name.",
    NoSetup => "no_setup" / "Start the set-up again.",
    Email => "email" / "Enter an email address such as name@example.org.",
    Role => "role" / "Choose a role.",
    Organization => "organization" / "Provider accounts need an organization.",
    Taken => "taken" / "That name, email or code is already in use.",
    SelfDisable => "self_disable" / "You cannot disable your own account.",
    OrganizationName => "organization_name" / "Enter a name of 1 to 120 characters.",
    CategoryCode => "category_code" / "Use a code of lowercase letters and underscores, and choose a family.",
    CategoryName => "category_name" / "Enter a name and a unit.",
    TaxonomyTerm => "taxonomy_term" / "A taxonomy term is a code of at most 60 letters, digits and . - _ : such as BH-1800.8500.",
    Website => "website" / "Enter a website address starting with https:// (at most 200 characters).",
    ConfirmRetire => "confirm_retire" / "Tick the box to confirm: retiring cannot be undone.",
    Status => "status" / "Choose a status.",
    AgeGroups => "age_groups" / "Choose at least one age group.",
    TraffickingTypes => "trafficking_types" / "Choose at least one trafficking type.",
    Genders => "genders" / "Choose at least one gender served.",
    Ages => "ages" / "Ages are whole numbers from 0 to 120.",
    Languages => "languages" / "Languages are codes such as en, es, pt, separated by commas.",
    AgeRules => "age_rules" / "The ages contradict the age groups, or the minimum is above the maximum.",
    SiteName => "site_name" / "Enter a name (at most 120 characters) and an address of at most 200.",
    Phone => "phone" / "Enter a phone number such as 860-555-0100.",
    Hours => "hours" / "Enter the hours in at most 120 characters, such as 24/7 or Mon–Fri 9am–5pm.",
    ImportFile => "import_file" / "Choose the file to import: a .zip package, a .json list or a .csv sheet.",
    TooManyServices => "too_many_services" / "Update at most 200 services at once.",
    Town => "town" / "Choose the town the site is in.",
    ServiceName => "service_name" / "Enter a service name of 1 to 120 characters.",
    Category => "category" / "Choose the kind of service from the list.",
    Retired => "retired" / "This is retired: its history is kept, and it takes no more changes.",
    ServiceCounts => "service_counts" / "Enter the total and how many are free now as whole numbers, free at most the total.",
    SearchTooBroad => "search_too_broad" / "Choose fewer regions, categories or languages.",
    UnknownField => "unknown_field" / "The form carried a field Continuum does not record.",
    NeedFields => "need_fields" / "Choose a town (or, if it is not known, a planning region), age group, trafficking type and urgency.",
    NeedInvalid => "need_invalid" / "Check the need: choose at least one service, a household of 1 to 12 and at most five languages.",
    Outcome => "outcome" / "Choose an outcome.",
    HoldOutcome => "hold_outcome" / "Choose arrived or release.",
    ReasonRequired => "reason_required" / "Choose at least one reason the need was not met.",
    ReasonsNotAllowed => "reasons_not_allowed" / "Reasons apply only when the need was not met or was met outside the region.",
    AlreadyClosed => "already_closed" / "This need is already closed.",
    HoldUnits => "hold_units" / "Hold between 1 and 20 units.",
    HoldDuration => "hold_duration" / "A hold lasts between 5 minutes and 24 hours.",
    HoldUnavailable => "hold_unavailable" / "No longer available: someone else took the last units, or the count is out of date.",
    HoldNotAccepting => "hold_not_accepting" / "This service is not accepting referrals right now.",
    HoldEnded => "hold_ended" / "This hold has already ended.",
    HoldLimit => "hold_limit" / "You hold as many units as one coordinator may. Release a hold you no longer need first.",
    AlertLimit => "alert_limit" / "You have as many alerts as one coordinator may. Delete one first.",
    BadDate => "bad_date" / "That is not a date Continuum can use: enter a day from 2000-01-01 to today, as YYYY-MM-DD.",
    NotMonday => "not_monday" / "Periods are whole weeks: start on a Monday.",
    NotSunday => "not_sunday" / "Periods are whole weeks: end on a Sunday.",
    WeekNotOver => "week_not_over" / "Only weeks that have ended are published: end on a Sunday before today.",
    PeriodReversed => "period_reversed" / "The period ends before it starts: check the two dates.",
    PeriodTooLong => "period_too_long" / "Choose at most two years at a time.",
    BadScheme => "bad_scheme" / "Group towns by planning regions or counties.",
});

impl AppError {
    /// The words a person reads.
    pub fn message(self) -> &'static str {
        self.label()
    }

    /// The HTTP status a server function answers with.
    pub fn status(self) -> u16 {
        use AppError::*;
        match self {
            SignIn | Credentials | Code => 401,
            Forbidden | SecondFactor | NotYours | InviteOutside => 403,
            NotFound => 404,
            Taken | SelfDisable | NoSetup | Retired | HoldEnded | AlreadyClosed | HoldUnavailable
            | HoldNotAccepting => 409,
            Link => 410,
            Throttled => 429,
            Internal => 500,
            Unreachable => 503,
            BadRequest | SearchTooBroad | BadDate | NotMonday | NotSunday | WeekNotOver | PeriodReversed
            | PeriodTooLong | BadScheme => 400,
            _ => 422,
        }
    }

    /// The form field it concerns, for errors that belong beside one input.
    pub fn field(self) -> Option<&'static str> {
        use AppError::*;
        Some(match self {
            TooShort | TooLong | TooCommon => "password",
            Code | SetupCode => "code",
            DisplayName => "display_name",
            Email => "email",
            Role => "role",
            Organization => "organization_id",
            OrganizationName | SiteName | CategoryName => "name",
            CategoryCode => "code",
            Status => "status",
            AgeGroups => "ages",
            TraffickingTypes => "types",
            Genders => "genders",
            Ages | AgeRules => "min_age",
            Languages => "languages",
            Phone => "intake_phone",
            Hours => "hours",
            ImportFile => "file",
            TaxonomyTerm => "taxonomy_term",
            Website => "website",
            ConfirmRetire => "confirm",
            Town => "town_id",
            ServiceName => "name",
            Category => "category",
            ServiceCounts => "total",
            Outcome | HoldOutcome => "outcome",
            HoldUnits => "units",
            HoldDuration => "minutes",
            _ => return None,
        })
    }
}

impl From<crate::domain::hold::HoldError> for AppError {
    fn from(e: crate::domain::hold::HoldError) -> Self {
        use crate::domain::hold::HoldError;
        match e {
            HoldError::BadUnits => AppError::HoldUnits,
            HoldError::BadDuration => AppError::HoldDuration,
            HoldError::NoLongerAvailable => AppError::HoldUnavailable,
            HoldError::NotAccepting => AppError::HoldNotAccepting,
            HoldError::AlreadyEnded(_) => AppError::HoldEnded,
            HoldError::NotFound => AppError::NotFound,
            HoldError::LimitReached => AppError::HoldLimit,
        }
    }
}

impl From<crate::domain::need::NeedError> for AppError {
    fn from(e: crate::domain::need::NeedError) -> Self {
        use crate::domain::need::NeedError;
        match e {
            NeedError::ReasonRequired => AppError::ReasonRequired,
            NeedError::ReasonsNotAllowed => AppError::ReasonsNotAllowed,
            NeedError::AlreadyClosed => AppError::AlreadyClosed,
            NeedError::NotFound => AppError::NotFound,
            _ => AppError::NeedInvalid,
        }
    }
}

impl From<crate::domain::oversight::FilterError> for AppError {
    fn from(e: crate::domain::oversight::FilterError) -> Self {
        use crate::domain::oversight::FilterError;
        match e {
            FilterError::BadDate(_) => AppError::BadDate,
            FilterError::NotMonday => AppError::NotMonday,
            FilterError::NotSunday => AppError::NotSunday,
            FilterError::WeekNotOver => AppError::WeekNotOver,
            FilterError::Reversed => AppError::PeriodReversed,
            FilterError::TooLong => AppError::PeriodTooLong,
            FilterError::BadScheme => AppError::BadScheme,
        }
    }
}

impl From<crate::domain::account::PasswordError> for AppError {
    fn from(e: crate::domain::account::PasswordError) -> Self {
        use crate::domain::account::PasswordError;
        match e {
            PasswordError::TooShort => AppError::TooShort,
            PasswordError::TooLong => AppError::TooLong,
            PasswordError::TooCommon => AppError::TooCommon,
        }
    }
}

/// What the framework itself reports (a network failure on the client, an unreadable request on the server)
/// becomes one of ours; its details are logged, never shown.
impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(_) => AppError::Unreachable,
            E::Args(_) | E::MissingArg(_) => AppError::BadRequest,
            other => {
                tracing::warn!(error = %other, "server function machinery failed");
                AppError::Internal
            }
        }
    }
}

/// Framework failures inside a server function (a missing extractor, missing state) are ours: logged, and
/// answered as [`AppError::Internal`].
impl From<leptos::prelude::ServerFnError> for AppError {
    fn from(e: leptos::prelude::ServerFnError) -> Self {
        tracing::error!(error = %e, "server function failed");
        AppError::Internal
    }
}

impl From<leptos::server_fn::error::ServerFnErrorErr> for AppError {
    fn from(e: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        tracing::error!(error = %e, "server function failed");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;

    #[test]
    fn every_code_reads_back_as_itself_and_is_serialized_as_its_code() {
        let mut seen = std::collections::HashSet::new();
        for &e in AppError::ALL {
            assert!(seen.insert(e.code()), "{} twice", e.code());
            assert_eq!(AppError::parse(e.code()), Some(e));
            assert_eq!(serde_json::to_string(&e).unwrap(), format!("\"{}\"", e.code()));
            assert!(e.message().ends_with('.'), "{e:?} reads as a sentence");
        }
        assert_eq!(AppError::parse("<script>"), None, "text from a URL never becomes words");
    }

    #[test]
    fn statuses_say_whose_fault_it_is() {
        assert_eq!(AppError::SignIn.status(), 401);
        assert_eq!(AppError::NotYours.status(), 403);
        assert_eq!(AppError::HoldUnavailable.status(), 409);
        assert_eq!(AppError::HoldUnits.status(), 422);
        assert_eq!(AppError::Internal.status(), 500);
    }
}
