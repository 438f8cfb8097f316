//! The status machine of CONTRACT.md, including the complaint rounds of CP-1.

use crate::kinds::{Kind, Status};

/// The statuses a ticket of `kind` in complaint round `round` may move to from `from`.
///
/// Complaints may be disputed once answered; a dispute in round 1 opens round 2, and only
/// a dispute in round 2 may be referred to the regulator or a court (seed 002, seed 004).
pub fn allowed_next(from: Status, kind: Kind, round: u8) -> Vec<Status> {
    use Status::*;
    let working = [
        Acknowledged,
        InProgress,
        WaitingCustomer,
        Answered,
        Resolved,
        Closed,
    ];
    let mut next: Vec<Status> = match from {
        New | Reopened => working.to_vec(),
        Acknowledged => vec![InProgress, WaitingCustomer, Answered, Resolved, Closed],
        InProgress => vec![WaitingCustomer, Answered, Resolved, Closed],
        WaitingCustomer => vec![InProgress, Answered, Resolved, Closed],
        Answered => vec![InProgress, WaitingCustomer, Disputed, Resolved, Closed],
        Disputed if round == 1 => vec![InProgress, WaitingCustomer, Answered, Resolved, Closed],
        Disputed => vec![ReferredExternal, Resolved, Closed],
        Resolved => vec![Closed, Reopened],
        ReferredExternal => vec![Closed],
        Closed => vec![Reopened],
    };
    if kind != Kind::Complaint {
        next.retain(|s| !matches!(s, Disputed | ReferredExternal));
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp1_only_complaints_are_disputed_and_only_after_an_answer() {
        assert!(allowed_next(Status::Answered, Kind::Complaint, 1).contains(&Status::Disputed));
        assert!(!allowed_next(Status::Answered, Kind::Request, 1).contains(&Status::Disputed));
        assert!(!allowed_next(Status::InProgress, Kind::Complaint, 1).contains(&Status::Disputed));
    }

    #[test]
    fn cp1_referral_only_after_the_second_round() {
        assert!(
            !allowed_next(Status::Disputed, Kind::Complaint, 1).contains(&Status::ReferredExternal)
        );
        assert!(
            allowed_next(Status::Disputed, Kind::Complaint, 2).contains(&Status::ReferredExternal)
        );
        assert!(!allowed_next(Status::Disputed, Kind::Complaint, 2).contains(&Status::Answered));
    }

    #[test]
    fn no_status_moves_to_itself() {
        for s in Status::ALL {
            for k in Kind::ALL {
                for round in [1, 2] {
                    assert!(!allowed_next(*s, *k, round).contains(s));
                }
            }
        }
    }
}
