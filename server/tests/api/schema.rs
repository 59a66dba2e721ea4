//! The two migration folders describe one schema: after migrating a fresh SQLite and a fresh PostgreSQL
//! database, both have the same tables, columns, types, nullability, keys, indexes and number of checks.

use std::collections::{BTreeMap, BTreeSet};

use app::store::Db;

use crate::helpers::{Backend, spawn_app};

/// One table as both backends can describe it, with names sorted so column order does not matter.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// Column name to (type, not null).
    columns: BTreeMap<String, (&'static str, bool)>,
    primary_key: BTreeSet<String>,
    /// (columns, referenced table, referenced columns).
    foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>)>,
    /// (columns in index order, unique, partial); the primary key's own index left out.
    indexes: BTreeSet<(Vec<String>, bool, bool)>,
    checks: usize,
}

/// SQLite's declared types, in the common vocabulary: its INTEGER is 64-bit.
fn sqlite_type(declared: &str) -> &'static str {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" | "BIGINT" => "int64",
        "TEXT" => "text",
        "BOOLEAN" => "bool",
        "REAL" => "float64",
        "BLOB" => "bytes",
        _ => "unknown",
    }
}

/// PostgreSQL's types in the same vocabulary; a 32-bit integer has no SQLite twin and stays apart.
fn postgres_type(data_type: &str) -> &'static str {
    match data_type {
        "bigint" => "int64",
        "integer" => "int32",
        "text" => "text",
        "boolean" => "bool",
        "double precision" => "float64",
        "bytea" => "bytes",
        _ => "unknown",
    }
}

/// How many CHECK constraints a `CREATE TABLE` statement declares.
fn checks_in(sql: &str) -> usize {
    sql.to_ascii_uppercase().replace("CHECK(", "CHECK (").matches("CHECK (").count()
}

async fn sqlite_schema(pool: &sqlx::SqlitePool) -> BTreeMap<String, Table> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = BTreeMap::new();
    for (name, sql) in &tables {
        let mut table = Table { checks: checks_in(sql), ..Table::default() };
        let columns: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)")
                .bind(name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (column, declared, not_null, pk) in columns {
            if pk > 0 {
                table.primary_key.insert(column.clone());
            }
            // A primary key column is never null on either backend, whatever SQLite's flag says.
            table.columns.insert(column, (sqlite_type(&declared), not_null == 1 || pk > 0));
        }
        let keys: Vec<(i64, String, String, Option<String>)> =
            sqlx::query_as("SELECT id, \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq")
                .bind(name)
                .fetch_all(pool)
                .await
                .unwrap();
        let mut by_id: BTreeMap<i64, (Vec<String>, String, Vec<String>)> = BTreeMap::new();
        for (id, from, target, to) in keys {
            let entry = by_id.entry(id).or_insert_with(|| (Vec::new(), target.clone(), Vec::new()));
            entry.0.push(from);
            // `REFERENCES t` without a column names t's primary key, which is `id` in this schema.
            entry.2.push(to.unwrap_or_else(|| "id".into()));
        }
        table.foreign_keys = by_id.into_values().collect();
        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)")
                .bind(name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, unique, origin, partial) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
                .bind(&index)
                .fetch_all(pool)
                .await
                .unwrap();
            table.indexes.insert((columns.into_iter().map(|(c,)| c).collect(), unique == 1, partial == 1));
        }
        schema.insert(name.clone(), table);
    }
    schema
}

/// The column lists of a constraint definition such as `FOREIGN KEY (a, b) REFERENCES t(c, d)`.
fn columns_between(text: &str) -> Vec<String> {
    let inner = text.split_once('(').and_then(|(_, rest)| rest.split_once(')')).map_or("", |(inside, _)| inside);
    inner.split(',').map(|c| c.trim().trim_matches('"').to_owned()).filter(|c| !c.is_empty()).collect()
}

async fn postgres_schema(pool: &sqlx::PgPool) -> BTreeMap<String, Table> {
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = BTreeMap::new();
    for (name,) in &tables {
        let mut table = Table::default();
        let columns: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1",
        )
        .bind(name)
        .fetch_all(pool)
        .await
        .unwrap();
        for (column, data_type, nullable) in columns {
            table.columns.insert(column, (postgres_type(&data_type), nullable == "NO"));
        }
        let constraints: Vec<(String, String)> = sqlx::query_as(
            "SELECT contype::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::regclass",
        )
        .bind(name)
        .fetch_all(pool)
        .await
        .unwrap();
        for (kind, definition) in constraints {
            match kind.as_str() {
                "p" => table.primary_key = columns_between(&definition).into_iter().collect(),
                "f" => {
                    let (from, to) = definition.split_once("REFERENCES ").expect("a foreign key references a table");
                    let target = to.split('(').next().unwrap_or_default().trim().to_owned();
                    table.foreign_keys.insert((columns_between(from), target, columns_between(to)));
                }
                "c" => table.checks += 1,
                _ => {}
            }
        }
        let indexes: Vec<(Vec<String>, bool, bool)> = sqlx::query_as(
            "SELECT array_agg(a.attname::text ORDER BY k.position), i.indisunique, i.indpred IS NOT NULL
             FROM pg_index i
             CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
             GROUP BY i.indexrelid, i.indisunique, i.indpred IS NOT NULL",
        )
        .bind(name)
        .fetch_all(pool)
        .await
        .unwrap();
        table.indexes = indexes.into_iter().collect();
        schema.insert(name.clone(), table);
    }
    schema
}

#[tokio::test]
async fn sqlite_and_postgresql_migrations_make_the_same_schema() {
    let Some(postgres) = spawn_app(Backend::Postgres).await else { return };
    let sqlite = spawn_app(Backend::Sqlite).await.expect("SQLite always runs");
    let (Db::Sqlite { pool: lite, .. }, Db::Postgres(pg)) = (&sqlite.db, &postgres.db) else {
        panic!("one database of each kind");
    };
    let (lite, pg) = (sqlite_schema(lite).await, postgres_schema(pg).await);
    assert!(lite.len() > 10 && lite.contains_key("audit_log"), "the schema was read: {:?}", lite.keys());
    assert_eq!(lite.keys().collect::<Vec<_>>(), pg.keys().collect::<Vec<_>>(), "the same tables");
    let differ: Vec<String> = lite
        .iter()
        .filter(|(name, table)| pg.get(*name) != Some(*table))
        .map(|(name, table)| format!("{name}:\n  SQLite     {table:?}\n  PostgreSQL {:?}", pg.get(name)))
        .collect();
    assert!(differ.is_empty(), "tables that differ:\n{}", differ.join("\n"));
}
