//! One statement type for both databases, and the two places it runs: the pool ([`Db`]) or a write
//! transaction ([`WriteTx`]).
//!
//! A [`Query`] is SQL text with `$1`-style placeholders (both drivers accept them) plus its values. It is
//! written once and run on either backend by plain async methods: no macro, no hidden `?` or `.await`.
//!
//! ```ignore
//! let mut tx = db.write().await?;
//! let (id,): (i64,) = query("INSERT INTO users (email) VALUES ($1) RETURNING id").bind(email).fetch_one(&mut tx).await?;
//! tx.commit().await?;
//! ```
//!
//! Dropping a [`WriteTx`] without [`WriteTx::commit`] rolls it back, as a sqlx transaction does.

use std::borrow::Cow;

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Arguments, Database, Encode, FromRow, Postgres, Sqlite, Type};

use super::{Db, StoreError};

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A boolean (an integer 0 or 1 on SQLite).
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An integer or NULL.
    MaybeInt(Option<i64>),
    /// Text.
    Text(String),
    /// Text or NULL.
    MaybeText(Option<String>),
}

impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<&i64> for Arg {
    fn from(v: &i64) -> Self {
        Arg::Int(*v)
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::MaybeInt(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_owned())
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(v.clone())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::MaybeText(v.map(str::to_owned))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::MaybeText(v)
    }
}

/// A row type both drivers can decode (any `#[derive(sqlx::FromRow)]` struct or tuple of plain columns).
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// SQL text and the values of its placeholders, in order.
#[derive(Debug, Clone, Default)]
#[must_use = "a query does nothing until it is run"]
pub struct Query {
    text: Cow<'static, str>,
    args: Vec<Arg>,
}

/// A query over fixed text whose placeholders (`$1`, `$2`, ...) are bound in order with [`Query::bind`].
pub fn query(text: impl Into<Cow<'static, str>>) -> Query {
    Query { text: text.into(), args: Vec::new() }
}

impl Query {
    /// The value of the next placeholder already in the text.
    pub fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Appends SQL text (for statements built piece by piece).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.to_mut().push_str(text);
        self
    }

    /// Appends a new placeholder bound to `value`.
    pub fn push_bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        self.args.push(value.into());
        let n = self.args.len();
        self.text.to_mut().push_str(&format!("${n}"));
        self
    }

    /// Appends `($n, $n+1, ...)` bound to `values`; callers ensure there is at least one.
    pub fn push_bind_list<V: Into<Arg>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        self.push("(");
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(value);
        }
        self.push(")")
    }

    /// The SQL text so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The bound values, in placeholder order.
    pub fn args(&self) -> &[Arg] {
        &self.args
    }

    /// Runs a statement; returns how many rows it changed.
    pub async fn execute<'c>(self, on: impl Into<On<'c>>) -> Result<u64, StoreError> {
        let text = self.text.as_ref();
        Ok(match on.into() {
            On::Pool(Db::Sqlite { pool, .. }) => {
                sqlx::query_with(text, args::<Sqlite>(&self.args)?).execute(pool).await?.rows_affected()
            }
            On::Pool(Db::Postgres(pool)) => {
                sqlx::query_with(text, args::<Postgres>(&self.args)?).execute(pool).await?.rows_affected()
            }
            On::Tx(tx) => match &mut tx.inner {
                Inner::Sqlite(t) => {
                    sqlx::query_with(text, args::<Sqlite>(&self.args)?).execute(t.connection()).await?.rows_affected()
                }
                Inner::Postgres(t) => {
                    sqlx::query_with(text, args::<Postgres>(&self.args)?).execute(&mut **t).await?.rows_affected()
                }
            },
        })
    }

    /// All rows.
    pub async fn fetch_all<'c, T: Row>(self, on: impl Into<On<'c>>) -> Result<Vec<T>, StoreError> {
        let text = self.text.as_ref();
        Ok(match on.into() {
            On::Pool(Db::Sqlite { pool, .. }) => {
                sqlx::query_as_with(text, args::<Sqlite>(&self.args)?).fetch_all(pool).await
            }
            On::Pool(Db::Postgres(pool)) => {
                sqlx::query_as_with(text, args::<Postgres>(&self.args)?).fetch_all(pool).await
            }
            On::Tx(tx) => match &mut tx.inner {
                Inner::Sqlite(t) => {
                    sqlx::query_as_with(text, args::<Sqlite>(&self.args)?).fetch_all(t.connection()).await
                }
                Inner::Postgres(t) => {
                    sqlx::query_as_with(text, args::<Postgres>(&self.args)?).fetch_all(&mut **t).await
                }
            },
        }?)
    }

    /// The first row, if any.
    pub async fn fetch_optional<'c, T: Row>(self, on: impl Into<On<'c>>) -> Result<Option<T>, StoreError> {
        let text = self.text.as_ref();
        Ok(match on.into() {
            On::Pool(Db::Sqlite { pool, .. }) => {
                sqlx::query_as_with(text, args::<Sqlite>(&self.args)?).fetch_optional(pool).await
            }
            On::Pool(Db::Postgres(pool)) => {
                sqlx::query_as_with(text, args::<Postgres>(&self.args)?).fetch_optional(pool).await
            }
            On::Tx(tx) => match &mut tx.inner {
                Inner::Sqlite(t) => {
                    sqlx::query_as_with(text, args::<Sqlite>(&self.args)?).fetch_optional(t.connection()).await
                }
                Inner::Postgres(t) => {
                    sqlx::query_as_with(text, args::<Postgres>(&self.args)?).fetch_optional(&mut **t).await
                }
            },
        }?)
    }

    /// Exactly the first row; [`StoreError::NotFound`] when there is none.
    pub async fn fetch_one<'c, T: Row>(self, on: impl Into<On<'c>>) -> Result<T, StoreError> {
        self.fetch_optional(on).await?.ok_or(StoreError::NotFound)
    }
}

/// Where a [`Query`] runs: any pooled connection, or the connection of a write transaction.
pub enum On<'c> {
    /// A connection from the pool, for one statement.
    Pool(&'c Db),
    /// The transaction's own connection.
    Tx(&'c mut WriteTx),
}

impl<'c> From<&'c Db> for On<'c> {
    fn from(db: &'c Db) -> Self {
        On::Pool(db)
    }
}

impl<'c> From<&'c mut WriteTx> for On<'c> {
    fn from(tx: &'c mut WriteTx) -> Self {
        On::Tx(tx)
    }
}

/// A write transaction that holds the write lock from its start: on SQLite a turn in this process's writer
/// queue, whose work shares a commit with the writers queued with it ([`super::group_commit`]), under
/// `BEGIN IMMEDIATE`; on PostgreSQL writers queue on the row locks they take. Commit it with
/// [`WriteTx::commit`], which returns once the write is durable; dropping it rolls its work back.
pub struct WriteTx {
    inner: Inner,
}

enum Inner {
    Sqlite(super::group_commit::Turn),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Db {
    /// Begins a write transaction, waiting at most [`super::WAIT_LIMIT`] for another writer of this process.
    pub async fn write(&self) -> Result<WriteTx, StoreError> {
        match self {
            Db::Sqlite { pool, writer } => Ok(WriteTx { inner: Inner::Sqlite(writer.begin(pool).await?) }),
            Db::Postgres(pool) => Ok(WriteTx { inner: Inner::Postgres(pool.begin().await?) }),
        }
    }
}

impl WriteTx {
    /// Makes the transaction's writes durable and visible.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            Inner::Sqlite(turn) => turn.commit().await?,
            Inner::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Whether this transaction runs on PostgreSQL (for the few statements only it needs, such as row locks).
    pub fn is_postgres(&self) -> bool {
        matches!(self.inner, Inner::Postgres(_))
    }
}

/// The driver's argument list for `values`: the one place values meet a backend's types.
fn args<'q, DB: Database>(values: &'q [Arg]) -> Result<<DB as Database>::Arguments<'q>, StoreError>
where
    bool: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
{
    let mut out = <DB as Database>::Arguments::<'q>::default();
    for value in values {
        match value {
            Arg::Bool(v) => out.add(*v),
            Arg::Int(v) => out.add(*v),
            Arg::MaybeInt(v) => out.add(*v),
            Arg::Text(v) => out.add(v.as_str()),
            Arg::MaybeText(v) => out.add(v.as_deref()),
        }
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_number_their_placeholders_in_order() {
        let mut q = query("SELECT id FROM t WHERE a = ");
        q.push_bind(1_i64).push(" AND b IN ").push_bind_list(["x", "y"]);
        assert_eq!(q.text(), "SELECT id FROM t WHERE a = $1 AND b IN ($2, $3)");
        assert_eq!(q.args, vec![Arg::Int(1), Arg::Text("x".into()), Arg::Text("y".into())]);
    }

    #[test]
    fn fixed_text_binds_values_in_order() {
        let q = query("UPDATE t SET a = $1, b = $2 WHERE id = $3").bind(true).bind(None::<i64>).bind("k");
        assert_eq!(q.args, vec![Arg::Bool(true), Arg::MaybeInt(None), Arg::Text("k".into())]);
    }
}
