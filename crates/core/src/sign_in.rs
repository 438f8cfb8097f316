//! How failed sign-ins to one account are throttled (SC-1): growing delays, then a lock that
//! ends by itself, and the only thing the account's owner is told about it.
//!
//! The counters are kept per e-mail address as typed, whether or not a member of staff has it,
//! so that the answers do not tell which addresses exist. An attempt is counted when it is
//! admitted, before its password is checked, so that attempts sent at once are held to the
//! same schedule as attempts sent one by one; a successful sign-in forgets them.

use crate::intake::vietnam_zone;
use crate::to_customer::OutMail;
use jiff::{SignedDuration, Timestamp};

/// The schedule: how many failures are free, how the delay grows, when the account locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Attempts that wait for nothing: a person mistyping a few times is not slowed.
    pub free: u32,
    /// The wait after the first attempt past the free ones; each further attempt doubles it.
    pub first_delay: SignedDuration,
    /// Failures within `window` that lock the account.
    pub lock_after: u32,
    /// How long failures are remembered, counted from the first.
    pub window: SignedDuration,
    /// How long a lock lasts, unless an administrator lifts it sooner.
    pub lock_for: SignedDuration,
}

impl Throttle {
    /// hotro's schedule: 3 free attempts, then 1, 2, 4 … 32 seconds between attempts, and the
    /// 10th failure within 15 minutes locks the account for 30 minutes. Reaching the lock
    /// takes a guesser at least a minute, and then they get 10 guesses per 30 minutes.
    pub const STANDARD: Throttle = Throttle {
        free: 3,
        first_delay: SignedDuration::from_secs(1),
        lock_after: 10,
        window: SignedDuration::from_mins(15),
        lock_for: SignedDuration::from_mins(30),
    };
}

/// The failed attempts remembered for one e-mail address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    /// Attempts counted in the current window (the one being checked included).
    pub count: u32,
    /// When the window began: the first counted attempt.
    pub first_at: Option<Timestamp>,
    /// The newest counted attempt, from which the delay is measured.
    pub last_at: Option<Timestamp>,
    /// Until when sign-in is refused whatever the password.
    pub locked_until: Option<Timestamp>,
}

/// Why an attempt is not even checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too soon after the last attempt: try again after this long.
    Wait(SignedDuration),
    /// The account is locked until then. The door answers exactly as for a wrong password,
    /// so that a right password on a locked account is not told apart.
    Locked(Timestamp),
}

impl Failures {
    /// Whether a lock is in force at `now`.
    pub fn locked(&self, now: Timestamp) -> Option<Timestamp> {
        self.locked_until.filter(|until| *until > now)
    }

    /// The record as it stands at `now`: after a lock has ended, or once the window is over,
    /// the old failures count for nothing.
    fn current(&self, rule: &Throttle, now: Timestamp) -> Failures {
        let lock_ended = self.locked_until.is_some_and(|until| until <= now);
        let window_over = self
            .first_at
            .is_some_and(|first| first + rule.window <= now);
        if lock_ended || (window_over && self.locked(now).is_none()) {
            Failures::default()
        } else {
            *self
        }
    }
}

impl Throttle {
    /// How long after the `count`-th counted attempt the next one may come.
    pub fn delay(&self, count: u32) -> SignedDuration {
        if count <= self.free {
            return SignedDuration::ZERO;
        }
        // Capped doubling: past 2^20 the lock has long come first.
        let doublings = (count - self.free - 1).min(20);
        self.first_delay * (1i32 << doublings)
    }

    /// Admits an attempt at `now`, counting it, or says why it is refused unchecked.
    pub fn admit(&self, failures: &Failures, now: Timestamp) -> Result<Failures, Refusal> {
        if let Some(until) = failures.locked(now) {
            return Err(Refusal::Locked(until));
        }
        let mut f = failures.current(self, now);
        if let Some(last) = f.last_at {
            let ready = last + self.delay(f.count);
            if ready > now {
                return Err(Refusal::Wait(now.duration_until(ready)));
            }
        }
        f.count += 1;
        f.first_at.get_or_insert(now);
        f.last_at = Some(now);
        Ok(f)
    }

    /// After an admitted attempt failed: the record with the lock, when this failure reached
    /// it; `None` when it did not (or a lock is already in force, which is not extended: an
    /// attacker could otherwise keep the owner out for ever).
    pub fn lock(&self, failures: &Failures, now: Timestamp) -> Option<Failures> {
        if failures.locked(now).is_some() || failures.count < self.lock_after {
            return None;
        }
        Some(Failures {
            locked_until: Some(now + self.lock_for),
            ..*failures
        })
    }
}

/// The words of the notice that an account was locked, one language's subject and body;
/// `{until}` is the only value they may name.
#[derive(Debug, Clone, Copy)]
pub struct NoticeWords<'a> {
    pub subject: &'a str,
    pub body: &'a str,
}

/// The mail telling the owner of `to` that their account is locked until `until`: Vietnamese
/// first, English below. It says no more than that someone tried to sign in and when the
/// lock ends — not from where, how often, or with what — so a forwarded or intercepted copy
/// helps no one.
pub fn lock_notice(
    to: &str,
    until: Timestamp,
    vi: NoticeWords<'_>,
    en: NoticeWords<'_>,
) -> OutMail {
    let local = until
        .to_zoned(vietnam_zone())
        .strftime("%H:%M %d/%m/%Y (UTC+7)")
        .to_string();
    let fill = |text: &str| text.replace("{until}", &local);
    OutMail {
        key: format!(
            "sign_in.locked:{}:{}",
            to.to_lowercase(),
            until.as_millisecond()
        ),
        kind: "sign_in.locked".into(),
        recipient: to.to_owned(),
        subject: format!("{} / {}", fill(vi.subject), fill(en.subject)),
        body: format!("{}\n\n---\n\n{}", fill(vi.body), fill(en.body)),
        automatic: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    #[test]
    fn sc1_failures_grow_delays_then_lock_and_the_lock_ends() {
        let rule = Throttle::STANDARD;
        let mut f = Failures::default();
        let mut now = at(0);
        let mut waits = Vec::new();
        let mut locked = None;
        for _ in 0..10 {
            match rule.admit(&f, now) {
                Ok(next) => f = next,
                Err(Refusal::Wait(d)) => {
                    waits.push(d.as_secs());
                    now += d;
                    f = rule.admit(&f, now).expect("admitted once the wait is over");
                }
                Err(other) => panic!("{other:?}"),
            }
            if let Some(l) = rule.lock(&f, now) {
                locked = l.locked_until;
                f = l;
            }
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32]);
        let until = locked.expect("the 10th failure locks");
        assert_eq!(until, now + SignedDuration::from_mins(30));
        // Locked: refused unchecked, and trying again does not extend the lock.
        assert_eq!(
            rule.admit(&f, now + SignedDuration::from_mins(29)),
            Err(Refusal::Locked(until))
        );
        assert_eq!(rule.lock(&f, now), None);
        // The lock ends by itself, and the count starts again.
        let after = rule.admit(&f, until).unwrap();
        assert_eq!((after.count, after.locked_until), (1, None));
    }

    #[test]
    fn sc1_a_window_past_its_end_is_forgotten() {
        let rule = Throttle::STANDARD;
        let mut f = Failures::default();
        for i in 0..3 {
            f = rule.admit(&f, at(i)).unwrap();
        }
        assert_eq!(f.count, 3);
        assert!(matches!(rule.admit(&f, at(2)), Ok(g) if g.count == 4));
        let later = rule.admit(&f, at(15 * 60)).unwrap();
        assert_eq!((later.count, later.first_at), (1, Some(at(15 * 60))));
    }

    #[test]
    fn sc1_the_lock_notice_says_only_when_it_ends() {
        let words = NoticeWords {
            subject: "khoá đến {until}",
            body: "bị khoá đến {until}",
        };
        let en = NoticeWords {
            subject: "locked until {until}",
            body: "locked until {until}",
        };
        let until: Timestamp = "2026-11-20T02:30:00Z".parse().unwrap();
        let mail = lock_notice("Lan@example.vn", until, words, en);
        assert_eq!(
            mail.subject,
            "khoá đến 09:30 20/11/2026 (UTC+7) / locked until 09:30 20/11/2026 (UTC+7)"
        );
        assert!(mail.body.starts_with("bị khoá đến 09:30 20/11/2026"));
        assert!(mail.automatic);
        assert_eq!(
            mail.key,
            format!("sign_in.locked:lan@example.vn:{}", until.as_millisecond())
        );
    }
}
