//! PL-1 (issue 15): the published policy page says only what is enforced. Every sentence of
//! the page is a heading, a fact (the publication date, the versions) or a named promise
//! (`data-promise`), and every promise names the tests that hold the code to it — tests that
//! exist in this workspace. A sentence added to the page without its enforcing test, or a
//! test renamed away from its promise, fails here.

use hotro_core::Policy;
use hotro_server::{App, AppState, Clock, ServerConfig, Settings};
use hotro_store::{Location, Store};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Each promise of the page and the tests that enforce it: test functions (`fn name`) of the
/// workspace, or browser flows (`e2e/tests`, by their title's start).
const ENFORCED_BY: &[(&str, &[&str])] = &[
    (
        "intro",
        &[
            "sl6_alerts_fire_once_warning_at_the_next_opening_escalation_at_breach",
            "sl2_state_moves_from_on_time_to_warning_to_breached_and_a_reply_meets_it",
        ],
    ),
    (
        "channels",
        &[
            "qf2_same_content_any_channel_same_priority_and_deadlines",
            "complaint_by_mail_is_treated_as_through_the_api",
            "rt3_mail_ingest_classifies_sqlite",
            "chat_is_routed_like_the_public_api",
        ],
    ),
    (
        "channels.triage",
        &[
            "unplaced_mail_goes_to_triage_and_the_agent_classifies_it",
            "RT-2/RT-3: mail the rules cannot place waits in triage",
        ],
    ),
    (
        "channels.doors",
        &[
            "ch1_mail_ingest_sqlite",
            "imap_story",
            "CH-2/TR-2/CP-1/CP-4: complaint",
            "CH-3: widget → ticket",
            "CH-4: a walk-in is recorded",
            "ch4_staff_channels_are_refused_on_the_public_form",
            "chat_is_routed_like_the_public_api",
            "confirmation_on_the_channel_used",
        ],
    ),
    (
        "contact",
        &["pl1_policy_page_publishes_the_enforced_values"],
    ),
    (
        "hours",
        &[
            "sl1_builtin_hours_are_the_contract_calendars",
            "sl1_sales_across_weekend_lunch_tet_and_culture_day",
            "sl1_technical_across_weekend_tet_and_culture_day",
        ],
    ),
    (
        "holidays.closed",
        &[
            "sl2_acknowledgement_due_skips_the_weekend_and_tet",
            "sl1_office_across_weekend_tet_and_culture_day",
        ],
    ),
    (
        "duty",
        &[
            "holiday_duty",
            "seed001_holiday_duty_covers_urgent_work_of_departments_that_are_off",
        ],
    ),
    (
        "holidays",
        &[
            "sl1_year_2026_computed",
            "sl1_overrides_add_remove_and_make_up",
        ],
    ),
    (
        "limits.acknowledge",
        &[
            "sl2_feedback_is_acknowledged_within_48_clock_hours_a_complaint_within_48_working_hours",
            "sl2_acknowledgement_due_skips_the_weekend_and_tet",
        ],
    ),
    (
        "limits.resolve",
        &[
            "sl3_the_seven_day_limit_is_for_technical_issues_only",
            "sl3_working_days_unit_counts_department_days",
        ],
    ),
    (
        "limits.first_answer",
        &["seed002_a_first_answer_clock_is_met_by_a_written_answer_or_an_invitation"],
    ),
    (
        "limits.paused",
        &[
            "sl5_waiting_for_the_customer_pauses_and_keeps_the_working_time_left",
            "sl5_pause_preserves_the_remaining_working_time",
        ],
    ),
    ("limits.next_issue", &["sla_story_sqlite"]),
    (
        "limits.warning",
        &[
            "sl6_alerts_fire_once_warning_at_the_next_opening_escalation_at_breach",
            "sl6_warning_names_agent_and_leads_and_breach_assigns_the_lead",
            "sl6_notifications_are_the_callers_and_escalations_are_for_leads",
        ],
    ),
    (
        "time_bar.service_quality",
        &["sl4_time_bar_counts_vietnamese_days_with_the_policys_limits"],
    ),
    (
        "time_bar.business",
        &["sl4_time_bar_counts_vietnamese_days_with_the_policys_limits"],
    ),
    (
        "time_bar.late",
        &[
            "sl4_time_barred_complaint_is_accepted_marked_and_answered",
            "sl4_the_late_complaint_is_answered_in_writing_in_its_intake",
        ],
    ),
    (
        "replies.written",
        &[
            "rp1_an_email_answer_goes_out_and_replaces_the_notice",
            "cp2_a_complaint_resolves_only_with_an_outcome",
            "cp2_complaint_cannot_close_without_an_answer",
            "cp2_accept_records_the_proposed_outcome",
        ],
    ),
    (
        "replies.greeting",
        &[
            "rp2_greeting_is_required_on_every_channel",
            "rp2_a_chat_is_greeted_once_per_conversation",
        ],
    ),
    (
        "replies.closing",
        &["rp2_email_replies_end_with_the_closing"],
    ),
];

/// The built-in policy with its optional parts turned on, so that every kind of promise the
/// page can make is on it: the company's contact and seed 002's first-answer clock.
fn everything_policy() -> Policy {
    let text = hotro_core::policy::DEFAULT_POLICY_TOML
        .replace(
            "# [contact]\n# hotline = \"1900 xxxx\"\n# email = \"hotro@example.vn\"",
            "[contact]\nhotline = \"1900 6680\"\nemail = \"hotro@example.vn\"",
        )
        .replace(
            "# [[sla.first_answer]]\n# kinds = [\"complaint\"]\n# within = 48\n# unit = \"hours\"",
            "[[sla.first_answer]]\nkinds = [\"complaint\"]\nwithin = 48\nunit = \"hours\"",
        );
    let policy = Policy::from_toml(&text).unwrap();
    assert!(policy.contact.hotline.is_some() && !policy.sla.first_answer.is_empty());
    policy
}

async fn page(lang: &str) -> String {
    let dir = hotro_testkit::temp_dir();
    let store = Store::open(&Location::DataDir(dir.path().to_owned()))
        .await
        .unwrap();
    let policy = Arc::new(everything_policy());
    let now: Timestamp = "2026-11-20T02:00:00Z".parse().unwrap();
    store.record_policy(policy.clone(), now).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = App::new(
        store,
        policy,
        Clock::from_fn(move || now),
        Settings {
            public_url: base.clone(),
        },
    );
    tokio::spawn(hotro_server::serve(
        listener,
        AppState::new(app, ServerConfig::default()),
    ));
    let body = reqwest::get(format!("{base}/policy?lang={lang}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    drop(dir);
    body
}

/// The text of the page's article, each piece with what it is inside of: a heading, a fact,
/// a promise (its id) or nothing. The page is the server's own well-formed markup, so a walk
/// over its tags is enough.
fn pieces(html: &str) -> Vec<(String, Option<String>)> {
    let start = html.find("<article").expect("the page has its article");
    let end = html[start..].find("</article>").unwrap() + start;
    let article = &html[start..end];
    let mut stack: Vec<(String, Option<String>)> = Vec::new();
    let mut out = Vec::new();
    let mut rest = article;
    while let Some(open) = rest.find('<') {
        let text = rest[..open].trim();
        if !text.is_empty() {
            let within = stack.iter().rev().find_map(|(name, mark)| {
                mark.clone()
                    .or_else(|| matches!(name.as_str(), "h1" | "h2").then(|| "heading".into()))
            });
            out.push((text.to_owned(), within));
        }
        let close = rest[open..].find('>').unwrap() + open;
        let tag = &rest[open + 1..close];
        if let Some(name) = tag.strip_prefix('/') {
            if let Some(at) = stack.iter().rposition(|(n, _)| n == name.trim()) {
                stack.truncate(at);
            }
        } else {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let mark = attribute(tag, "data-promise")
                .map(|p| format!("promise:{p}"))
                .or_else(|| attribute(tag, "data-fact").map(|f| format!("fact:{f}")));
            if !matches!(name.as_str(), "br" | "img" | "meta" | "input") && !tag.ends_with('/') {
                stack.push((name, mark));
            }
        }
        rest = &rest[close + 1..];
    }
    out
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[at..].find('"')? + at;
    Some(tag[at..end].to_owned())
}

/// Every `.rs` file of the workspace's crates and every browser flow, as one text to search.
fn workspace_sources() -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut text = String::new();
    for dir in ["crates", "e2e/tests"] {
        collect(&root.join(dir), &mut text);
    }
    text
}

fn collect(dir: &Path, text: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && name != "node_modules" {
                collect(&path, text);
            }
        } else if name.ends_with(".rs") || name.ends_with(".mjs") {
            text.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            text.push('\n');
        }
    }
}

/// Whether `sources` hold the test: a Rust function of that name, or a browser flow whose
/// title starts so.
fn test_exists(sources: &str, test: &str) -> bool {
    if test.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        sources.contains(&format!("fn {test}(")) || sources.contains(&format!("fn {test}<"))
    } else {
        sources.contains(&format!("test(\"{test}"))
    }
}

#[tokio::test]
async fn pl1_every_sentence_of_the_policy_page_is_a_promise_with_its_enforcing_tests() {
    let table: BTreeMap<&str, &[&str]> = ENFORCED_BY.iter().copied().collect();
    let sources = workspace_sources();
    for lang in ["vi", "en"] {
        let html = page(lang).await;
        let mut seen = BTreeSet::new();
        for (text, within) in pieces(&html) {
            let Some(within) = within else {
                panic!("{lang}: {text:?} is neither a heading, a fact nor a named promise");
            };
            if let Some(id) = within.strip_prefix("promise:") {
                seen.insert(id.to_owned());
            }
        }
        for id in &seen {
            let tests = table
                .get(id.as_str())
                .unwrap_or_else(|| panic!("{lang}: the promise {id:?} names no enforcing test"));
            assert!(!tests.is_empty(), "{id}");
            for test in *tests {
                assert!(
                    test_exists(&sources, test),
                    "the promise {id:?} names the test {test:?}, which does not exist"
                );
            }
        }
        // The table lists no promise the page no longer makes.
        let listed: BTreeSet<String> = table.keys().map(|k| (*k).to_owned()).collect();
        assert_eq!(listed, seen, "{lang}: promises on the page vs the table");
    }
}

/// The checker itself: a sentence outside any promise or fact is caught, and a test name
/// that exists nowhere is not taken for one.
#[test]
fn the_page_walk_finds_an_unmarked_sentence_and_a_missing_test() {
    let html = "<article><h1>T</h1><p data-promise=\"a\">Kept <b>bold</b></p>\
                <p data-fact=\"published\">1/1</p><p>Loose claim</p></article>";
    let got = pieces(html);
    assert_eq!(
        got,
        vec![
            ("T".to_owned(), Some("heading".to_owned())),
            ("Kept".to_owned(), Some("promise:a".to_owned())),
            ("bold".to_owned(), Some("promise:a".to_owned())),
            ("1/1".to_owned(), Some("fact:published".to_owned())),
            ("Loose claim".to_owned(), None),
        ]
    );
    let sources = "fn real_test() {}\ntest(\"CH-3: widget\", ...)";
    assert!(test_exists(sources, "real_test"));
    assert!(!test_exists(sources, "real"));
    assert!(test_exists(sources, "CH-3: widget"));
    assert!(!test_exists(sources, "CH-9"));
}
