//! Integration tests: each starts the real server on port 0 against a throwaway database, on SQLite and on
//! PostgreSQL (`TEST_DATABASE_URL`, default a local server; skipped when unreachable unless `CI` or
//! `TEST_DATABASE_URL` is set).

mod accounts;
mod audit;
mod authz;
mod helpers;

mod capacity;
mod concurrency;
mod coordinator;
mod demo;
mod directory;
mod directory_upkeep;
mod fixtures;
mod gaps;
mod group_commit;
mod hardening;
mod holds;
mod hsds;
mod import;
mod invariants;
mod limits;
mod needs;
mod oversight;
mod pages;
mod provider;
mod reference;
mod rollup;
mod schema;
mod search;
mod second_factor;
mod security;
mod series;
mod sessions;
mod startup;
