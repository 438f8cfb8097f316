//! The operations the load driver measures, each one HTTP request as a client of the API
//! would make it (CONTRACT.md's paths and fields).

use super::words::{self, Rng};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::sync::Mutex;

/// One kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    PublicIntake,
    StaffIntake,
    Reply,
    Queue,
    Ticket,
    Search,
}

impl Op {
    pub const ALL: &'static [Op] = &[
        Op::PublicIntake,
        Op::StaffIntake,
        Op::Reply,
        Op::Queue,
        Op::Ticket,
        Op::Search,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::PublicIntake => "public-intake",
            Op::StaffIntake => "staff-intake",
            Op::Reply => "reply",
            Op::Queue => "queue",
            Op::Ticket => "ticket",
            Op::Search => "search",
        }
    }

    pub fn parse(text: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|op| op.name() == text)
    }

    /// Everything but the public form needs a staff token.
    pub fn needs_token(self) -> bool {
        self != Op::PublicIntake
    }

    /// Whether the operation reads a ticket the run already knows.
    pub fn needs_code(self) -> bool {
        matches!(self, Op::Reply | Op::Ticket)
    }
}

/// How one request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// The server answered with this status (or 0: no answer at all).
    Failed(u16),
    /// The endpoint does not exist on this server (search before it landed).
    Unavailable,
    /// Nothing to do yet (no ticket code known for a reply or a ticket page).
    Skipped,
}

/// What every client shares: the connection pool, the token, the reply words and the codes
/// of tickets seen so far.
pub struct Target {
    pub client: Client,
    pub base: String,
    pub token: Option<String>,
    pub greeting: String,
    pub closing: String,
    codes: Mutex<Vec<String>>,
}

/// How many ticket codes are remembered; new ones replace old ones beyond this.
const KEPT_CODES: usize = 50_000;

impl Target {
    pub fn new(
        client: Client,
        base: String,
        token: Option<String>,
        greeting: String,
        closing: String,
    ) -> Target {
        Target {
            client,
            base: base.trim_end_matches('/').to_owned(),
            token,
            greeting,
            closing,
            codes: Mutex::new(Vec::new()),
        }
    }

    pub fn remember(&self, code: String, rng: &mut Rng) {
        if let Ok(mut codes) = self.codes.lock() {
            if codes.len() < KEPT_CODES {
                codes.push(code);
            } else {
                let i = rng.below(KEPT_CODES as u64) as usize;
                codes[i] = code;
            }
        }
    }

    pub fn known_codes(&self) -> usize {
        self.codes.lock().map_or(0, |c| c.len())
    }

    fn any_code(&self, rng: &mut Rng) -> Option<String> {
        let codes = self.codes.lock().ok()?;
        (!codes.is_empty()).then(|| codes[rng.below(codes.len() as u64) as usize].clone())
    }

    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Performs one request of `op`.
    pub async fn run(&self, op: Op, rng: &mut Rng) -> Outcome {
        let request = match op {
            Op::PublicIntake => self
                .client
                .post(format!("{}/api/v1/public/tickets", self.base))
                .json(&new_ticket(rng, "web")),
            Op::StaffIntake => self.authorized(
                self.client
                    .post(format!("{}/api/v1/tickets", self.base))
                    .json(&new_ticket(rng, "phone")),
            ),
            Op::Reply => {
                let Some(code) = self.any_code(rng) else {
                    return Outcome::Skipped;
                };
                // RP-2: the greeting opens every reply; the closing ends e-mail replies and
                // does no harm on other channels.
                let body = format!(
                    "{}, {}\n\n{}.",
                    self.greeting,
                    rng.pick(words::ANSWERS),
                    self.closing
                );
                self.authorized(
                    self.client
                        .post(format!("{}/api/v1/tickets/{code}/replies", self.base))
                        .json(&json!({ "body": body })),
                )
            }
            Op::Queue => self.authorized(self.client.get(format!("{}/api/v1/queue", self.base))),
            Op::Ticket => {
                let Some(code) = self.any_code(rng) else {
                    return Outcome::Skipped;
                };
                self.authorized(
                    self.client
                        .get(format!("{}/api/v1/tickets/{code}", self.base)),
                )
            }
            Op::Search => self.authorized(
                self.client
                    .get(format!("{}/api/v1/search", self.base))
                    .query(&[("q", *rng.pick(words::QUERIES))]),
            ),
        };
        let response = match request.send().await {
            Ok(r) => r,
            Err(_) => return Outcome::Failed(0),
        };
        let status = response.status();
        if op == Op::Search && status == StatusCode::NOT_FOUND {
            return Outcome::Unavailable;
        }
        if !status.is_success() {
            // Read the body so the connection can be reused.
            let _ = response.bytes().await;
            return Outcome::Failed(status.as_u16());
        }
        match op {
            Op::PublicIntake | Op::StaffIntake | Op::Queue => {
                let Ok(body) = response.json::<Value>().await else {
                    return Outcome::Failed(status.as_u16());
                };
                // A few codes per page: enough to spread replies, cheap to keep.
                self.collect_codes(&body, rng, 5);
            }
            _ => {
                if response.bytes().await.is_err() {
                    return Outcome::Failed(0);
                }
            }
        }
        Outcome::Ok
    }

    /// Codes from an intake answer (`code`) or a queue page (`items[].code`, at most `limit`).
    pub fn collect_codes(&self, body: &Value, rng: &mut Rng, limit: usize) {
        if let Some(code) = body.get("code").and_then(Value::as_str) {
            self.remember(code.to_owned(), rng);
        }
        if let Some(items) = body.get("items").and_then(Value::as_array) {
            for item in items.iter().take(limit) {
                if let Some(code) = item.get("code").and_then(Value::as_str) {
                    self.remember(code.to_owned(), rng);
                }
            }
        }
    }
}

/// A request for information with a Vietnamese subject and description.
fn new_ticket(rng: &mut Rng, channel: &str) -> Value {
    let n = rng.below(1_000_000);
    json!({
        "kind": "request",
        "channel": channel,
        "customer": {
            "name": format!("{} {} {}", rng.pick(words::SURNAMES), rng.pick(words::MIDDLE),
                rng.pick(words::GIVEN)),
            "email": format!("tai{n}@example.vn"),
            "phone": format!("09{n:08}"),
        },
        "subject": format!("{} {} tại {}", rng.pick(words::REQUEST_OPENERS),
            rng.pick(words::THINGS), rng.pick(words::PLACES)),
        "description": format!("{} {}", rng.pick(words::SENTENCES), rng.pick(words::SENTENCES)),
    })
}
