//! How PostgreSQL finds a search's newest matching messages: in widening windows of the
//! newest messages, read newest first, because its GIN index yields every match of a word
//! before the newest can be picked.

use super::{AnyQuery, CANDIDATES, Candidate, SearchRequest, bind, candidate, ticket_filters};
use crate::error::{Result, StoreError};
use sqlx::{AnyPool, AssertSqlSafe, Row};

/// How many of the newest message ids are searched first, then next, before all of them.
const WINDOWS: &[i64] = &[5_000, 50_000, 500_000, i64::MAX];
/// How many of those windows are always walked: reading 50,000 ids costs a few milliseconds
/// whatever the words, and an agent's department may hold few of the newest 5,000, too few
/// to judge how common the words are by.
const ALWAYS_WALKED: usize = 2;
/// How many index rows the rarest word of a query may hold for its posting list to be the
/// cheap way through a wide window (a few tens of milliseconds of reading). At a million
/// tickets a word outside the statistics' most common ones is bounded at about 34,000.
const RARE_WORD_ROWS: f64 = 50_000.0;

/// Where a window's SQL takes its order (see `candidates`).
const ORDER: &str = "/*order*/";

/// The newest matching messages of tickets that pass the filters, newest first.
///
/// Each window is read one of two ways. Walked: newest first through a b-tree, each row's
/// words checked, stopping at the limit or the window's start, a cost bounded by the window
/// whatever the words. Or as the planner chooses, which for words in the index means their
/// GIN posting lists: cheap for a rare word, but for common ones the whole lists, a cost that
/// grows with the store. The planner cannot tell the two apart (it takes words to occur
/// independently, and "khieu" and "nai" do not: 10 times more rows than it expects at a
/// million tickets), so the search decides: the first windows are walked, and a later one
/// too when its rarest word is common by the index's statistics (`rarest_word_rows`), or
/// when the matches found so far, scaled to the window's size, would fill the limit; the
/// posting lists of rare words are the cheap way. The statistics are needed beside what was
/// found: the newest messages may not say a word the older ones often do (at a million
/// tickets, 0 of a sales agent's matches in the newest 50,000 ids and 500 in the next
/// 450,000: 10 ms walked against 125-150 ms through the posting lists).
pub(super) async fn candidates(
    pool: &AnyPool,
    request: &SearchRequest,
    department: Option<&str>,
) -> Result<Vec<Candidate>> {
    in_windows(pool, request, department, WINDOWS).await
}

/// A window's SQL, read either way, and the filters' texts it binds after the words.
struct WindowSql<'a> {
    texts: Vec<&'a str>,
    /// In the index's own order, for a walk.
    walked: String,
    /// In an order no index gives, for the posting lists: ordered by the id, the planner,
    /// expecting a rare word's few rows to be spread evenly, walks a b-tree to find them (a
    /// word found nowhere: the whole primary key, past the time bound).
    listed: String,
}

/// Parameters: `$1` the words, the filters' texts, then the window's first id (not
/// included), its last id and how many rows are wanted.
fn window_sql<'a>(request: &'a SearchRequest, department: Option<&'a str>) -> WindowSql<'a> {
    let f = &request.filter;
    let mut texts: Vec<&str> = Vec::new();
    let by_index_alone =
        f.status.is_none() && f.kind.is_none() && f.from.is_none() && f.until.is_none();
    let sql = if by_index_alone {
        texts.extend(department);
        by_the_index_alone(department.is_some())
    } else {
        let mut sql = String::from(
            "SELECT m.id AS message_id, m.ticket_id
             FROM search_index f
             JOIN messages m ON m.id = f.message_id
             JOIN tickets t ON t.id = m.ticket_id
             WHERE f.words @@ to_tsquery('simple', $1)",
        );
        let n = ticket_filters(&mut sql, &mut texts, department, f);
        if department.is_some() {
            // The index's own copy, so PostgreSQL can read one department's rows.
            sql.push_str(" AND f.department = $2");
        }
        sql.push_str(&format!(
            " AND f.message_id > ${} AND f.message_id <= ${} ORDER BY {ORDER} LIMIT ${}",
            n + 1,
            n + 2,
            n + 3
        ));
        sql
    };
    let walked_order = match (by_index_alone, department) {
        (true, Some(_)) => "-f.message_id",
        _ => "f.message_id DESC",
    };
    WindowSql {
        texts,
        walked: sql.replace(ORDER, walked_order),
        listed: sql.replace(ORDER, "f.message_id + 0 DESC"),
    }
}

/// [`candidates`] through these windows (the tests' are small).
async fn in_windows(
    pool: &AnyPool,
    request: &SearchRequest,
    department: Option<&str>,
    windows: &[i64],
) -> Result<Vec<Candidate>> {
    let f = &request.filter;
    let WindowSql {
        texts,
        walked: walked_sql,
        listed: listed_sql,
    } = window_sql(request, department);
    let query_text = request.query.to_tsquery();

    let mut tx = pool.begin().await?;
    // A query is bounded in time by the server itself. It is not compiled: the walked
    // windows' estimates are high enough to start PostgreSQL's JIT, whose compiling cost 15-50
    // ms per window at a million tickets, more than the window's reading. And it is planned
    // for its own bounds and limit each time, not once for any (a generic plan).
    sqlx::query(
        "SELECT set_config('statement_timeout', '3000', true), set_config('jit', 'off', true),
                set_config('plan_cache_mode', 'force_custom_plan', true)",
    )
    .execute(&mut *tx)
    .await?;
    // Within one department the windows start at its newest message: a quiet department's
    // matches lie behind every newer message of the busy ones.
    let newest = match department {
        Some(d) => sqlx::query(
            "SELECT COALESCE((SELECT message_id FROM search_index WHERE department = $1
                              ORDER BY -message_id LIMIT 1), 0) AS n",
        )
        .bind(d.to_owned()),
        None => sqlx::query("SELECT COALESCE(MAX(message_id), 0) AS n FROM search_index"),
    };
    let newest = newest
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::bounded)?;
    let newest: i64 = newest.try_get("n")?;
    let mut rows = Vec::new();
    let mut walking = false;
    let mut after = newest;
    let mut common_words = false;
    for (i, window) in windows.iter().enumerate() {
        if i == ALWAYS_WALKED {
            common_words = rarest_word_rows(&mut tx, request.query.words())
                .await?
                .is_some_and(|rows| rows > RARE_WORD_ROWS);
        }
        // A walk's cost is bounded by its window; the last window is the rest of the store,
        // walked only when what was found says it will fill quickly (two common words that
        // are rarely together would otherwise be checked row by row to the oldest).
        let bounded = *window != i64::MAX;
        let walk = i < ALWAYS_WALKED || (common_words && bounded) || {
            let (this, next) = (windows[i - 1].min(newest), (*window).min(newest));
            rows.len() as i64 * (next / this.max(1)) >= CANDIDATES
        };
        if walk != walking {
            sqlx::query(
                "SELECT set_config('enable_bitmapscan', $1, true),
                        set_config('enable_seqscan', $1, true)",
            )
            .bind(if walk { "off" } else { "on" })
            .execute(&mut *tx)
            .await?;
            walking = walk;
        }
        // Each window reads only the ids the one before did not, for what is still wanted.
        let upto = after;
        after = newest.saturating_sub(*window);
        let sql = if walk { &walked_sql } else { &listed_sql };
        let query: AnyQuery<'_> = sqlx::query(AssertSqlSafe(sql.clone()));
        let older = bind(query, query_text.clone(), &texts, f)
            .bind(after)
            .bind(upto)
            .bind(CANDIDATES - rows.len() as i64)
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::bounded)?;
        rows.extend(older);
        if rows.len() as i64 >= CANDIDATES || after <= 0 {
            break;
        }
    }
    tx.commit().await?;
    rows.iter().map(candidate).collect()
}

/// How many rows of the index hold the rarest of these words, by PostgreSQL's statistics of
/// the index (`pg_stats.most_common_elems`, kept by ANALYZE); a word not among the most
/// common counts as often as the least common of them, a bound from above. `None` before the
/// index has statistics.
async fn rarest_word_rows(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    words: &[String],
) -> Result<Option<f64>> {
    let row = sqlx::query(
        "SELECT (c.reltuples * (
             SELECT min(COALESCE(
                 (SELECT u.f FROM unnest(s.most_common_elems::text::text[],
                                         s.most_common_elem_freqs) AS u(e, f)
                   WHERE u.e = w),
                 (SELECT min(f) FROM unnest(s.most_common_elem_freqs[
                     1:cardinality(s.most_common_elems::text::text[])]) AS f)))
             FROM unnest(string_to_array($1, ' ')) AS w))::FLOAT8 AS n
         FROM pg_stats s JOIN pg_class c ON c.oid = 'search_index'::regclass
         WHERE s.schemaname = current_schema() AND s.tablename = 'search_index'
           AND s.attname = 'words'",
    )
    // Folded words are letters and digits only, so a space parts them.
    .bind(words.join(" "))
    .fetch_optional(&mut **tx)
    .await
    .map_err(StoreError::bounded)?;
    Ok(match row {
        Some(r) => r.try_get::<Option<f64>, _>("n")?,
        None => None,
    })
}

/// A search that filters on nothing but the department reads the index alone for its
/// window, then joins the few rows found to their tickets. Joined from the start, the
/// planner walked every department's rows through the primary key or started from the
/// tickets. One department's rows are read through `(department, -message_id)` (migration
/// 0008), newest first in a forward scan that both conditions bound, an order the primary key
/// cannot give: 5-8 ms for a window of 50,000 ids at a million tickets, against 38 ms through
/// `(department, message_id)`, where a backward scan stops only at the department's end
/// (docs/BENCHMARKS.md). The limit inside is exact: every row of the index carries its
/// ticket's department, kept by the same transaction as a transfer (`reindex_ticket`); the
/// ticket's own department is still checked outside, as the rule (RT-4).
///
/// Parameters: `$1` the words, then the department if any, then the window's first id (not
/// included), its last id and how many rows are wanted.
fn by_the_index_alone(one_department: bool) -> String {
    let (window, rule) = if one_department {
        (
            "f.department = $2 AND -f.message_id < -$3::BIGINT AND -f.message_id >= -$4::BIGINT
             ORDER BY /*order*/ LIMIT $5",
            "JOIN tickets t ON t.id = m.ticket_id AND t.department = $2",
        )
    } else {
        (
            "f.message_id > $2 AND f.message_id <= $3 ORDER BY /*order*/ LIMIT $4",
            // Every message has its ticket: nothing to check, so no join.
            "",
        )
    };
    format!(
        "WITH found AS MATERIALIZED (
             SELECT f.message_id FROM search_index f
             WHERE f.words @@ to_tsquery('simple', $1) AND {window})
         SELECT m.id AS message_id, m.ticket_id
         FROM found JOIN messages m ON m.id = found.message_id
         {rule}
         ORDER BY m.id DESC"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BulkTicket, Location, SearchFilter, Store};
    use hotro_core::intake::{self, NewTicket, Source};
    use hotro_core::search::SearchQuery;
    use hotro_core::{Actor, Policy};
    use jiff::{Timestamp, ToSpan};
    use sqlx::Executor;
    use std::sync::Arc;

    /// Windows small enough for 40 tickets to cross them all: the first two walked, the
    /// rest through the posting lists (no statistics yet, and too few found to walk).
    const SMALL: &[i64] = &[4, 8, 16, i64::MAX];

    /// Ticket n (code n + 1): three old ones about a rare word, then a common one; Design's
    /// one in three, Technical's the rest.
    fn ticket(policy: &Policy, n: i64, at: Timestamp) -> BulkTicket {
        let input = NewTicket {
            kind: Some("request".into()),
            topic: Some(
                if n % 3 == 0 {
                    "custom_design"
                } else {
                    "hosting_domain"
                }
                .into(),
            ),
            customer_name: Some(format!("Khách {n}")),
            customer_email: Some(format!("khach{n}@example.vn")),
            subject: Some(
                if n < 3 {
                    "Bảo hành điều hoà"
                } else {
                    "Hỏi hợp đồng"
                }
                .into(),
            ),
            description: Some("Xin hỗ trợ.".into()),
            ..NewTicket::default()
        };
        BulkTicket {
            intake: intake::validate(&input, Source::Public, policy, at).unwrap(),
            actor: Actor::Customer,
            tracking_hash: format!("h{n}"),
            received_at: at,
            steps: Vec::new(),
        }
    }

    /// Every shape of window (by the index alone or joined to the tickets' filters, for one
    /// department or all) and both ways of reading one (walked, or through the posting lists
    /// in `listed` order) give, slice after slice, what one window over the whole store
    /// gives: the same matching messages, newest first, none twice.
    #[tokio::test]
    async fn windows_read_both_ways_find_what_one_window_finds() {
        let url = hotro_testkit::fresh_postgres_url().await;
        let store = Store::open(&Location::Url(url)).await.unwrap();
        let policy = Arc::new(Policy::builtin());
        let start: Timestamp = "2026-06-01T02:00:00Z".parse().unwrap();
        store.record_policy(policy.clone(), start).await.unwrap();
        let batch = (0..40)
            .map(|n| ticket(&policy, n, start + n.minutes()))
            .collect();
        store
            .receive_many(batch, "HT".into(), policy.clone())
            .await
            .unwrap();
        for words in ["dieu hoa", "hop dong", "ho tro"] {
            for (status, department) in [
                (None, None),
                (None, Some("design")),
                (Some("new"), None),
                (Some("new"), Some("design")),
            ] {
                let request = SearchRequest {
                    query: SearchQuery::parse("q", words).unwrap(),
                    filter: SearchFilter {
                        status: status.map(str::to_owned),
                        ..SearchFilter::default()
                    },
                    limit: 20,
                    offset: 0,
                };
                let ids = |found: Vec<Candidate>| {
                    found
                        .iter()
                        .map(|c| (c.message_id, c.ticket_id))
                        .collect::<Vec<_>>()
                };
                let small = in_windows(&store.pool, &request, department, SMALL).await;
                let whole = in_windows(&store.pool, &request, department, &[i64::MAX]).await;
                let (small, whole) = (ids(small.unwrap()), ids(whole.unwrap()));
                let case = format!("{words} {status:?} {department:?}");
                assert!(!whole.is_empty(), "{case}");
                assert_eq!(small, whole, "{case}");
            }
        }
    }

    /// The statistics query on a real PostgreSQL: an index where "khieu" and "nai" are in
    /// every other row and each row has a word of its own.
    #[tokio::test]
    async fn rarest_word_rows_reads_the_index_statistics() {
        sqlx::any::install_default_drivers();
        let url = hotro_testkit::fresh_postgres_url().await;
        let pool = AnyPool::connect(&url).await.unwrap();
        let mut tx = pool.begin().await.unwrap();
        // No statistics yet: nothing to go by.
        tx.execute("CREATE TABLE search_index (message_id BIGINT PRIMARY KEY, words TSVECTOR)")
            .await
            .unwrap();
        let words = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(
            rarest_word_rows(&mut tx, &words(&["khieu"])).await.unwrap(),
            None
        );
        tx.execute(
            "INSERT INTO search_index
             SELECT g, to_tsvector('simple', CASE WHEN g % 2 = 0 THEN 'khieu nai' ELSE 'hoa don'
                                              END || ' rieng' || g)
             FROM generate_series(1, 4000) AS g",
        )
        .await
        .unwrap();
        tx.execute("ANALYZE search_index").await.unwrap();
        let common = rarest_word_rows(&mut tx, &words(&["khieu", "nai"]))
            .await
            .unwrap()
            .unwrap();
        assert!((1_800.0..=2_200.0).contains(&common), "{common}");
        // A word outside the most common ones is bounded by the least common of them, and a
        // query is as rare as its rarest word.
        let rare = rarest_word_rows(&mut tx, &words(&["khieu", "rieng17"]))
            .await
            .unwrap()
            .unwrap();
        assert!(rare < common / 10.0, "{rare} against {common}");
    }
}
