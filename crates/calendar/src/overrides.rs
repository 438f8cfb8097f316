//! Per-year overrides of the computed days off: the extra days off and make-up working days the
//! government declares each year, and removals of computed days it moves elsewhere.

use std::collections::BTreeMap;

use jiff::civil::Date;

/// One override: what a date becomes, whatever was computed for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A day off with its Vietnamese name, e.g. a day the Prime Minister adds to Tết.
    Off {
        /// Shown in `hotro calendar YEAR`, e.g. "Nghỉ Tết (hoán đổi)".
        name: String,
    },
    /// A make-up working day (ngày làm bù); it keeps the department's Monday hours.
    Work {
        /// Why it is worked, e.g. "Làm bù cho ngày 16/02".
        reason: String,
    },
    /// The computed day off on this date is dropped (an ordinary day again).
    Remove,
}

/// The overrides of a policy, for any number of years, at most one [`Change`] per date.
///
/// They edit the computed calendar last: a change replaces whatever was computed for its date.
/// Substitute days off (nghỉ bù) are computed before and never land on a date that has an
/// `Off` or `Work` change. Removing a weekend holiday does not remove its substitute day;
/// remove that date too when the schedule drops both. Replacing a computed day is
/// [`Overrides::replace`]: a removal plus a day off elsewhere.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    changes: BTreeMap<Date, Change>,
}

impl Overrides {
    /// No overrides: the calendar is the computed one.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares `date` a day off named `name`.
    #[must_use]
    pub fn day_off(mut self, date: Date, name: impl Into<String>) -> Self {
        self.set(date, Change::Off { name: name.into() });
        self
    }

    /// Declares `date` a make-up working day for `reason`.
    #[must_use]
    pub fn working_day(mut self, date: Date, reason: impl Into<String>) -> Self {
        self.set(
            date,
            Change::Work {
                reason: reason.into(),
            },
        );
        self
    }

    /// Drops the computed day off on `date`.
    #[must_use]
    pub fn remove(mut self, date: Date) -> Self {
        self.set(date, Change::Remove);
        self
    }

    /// Moves a computed day off from `from` to `to`, naming it `name` there.
    #[must_use]
    pub fn replace(self, from: Date, to: Date, name: impl Into<String>) -> Self {
        self.remove(from).day_off(to, name)
    }

    /// Sets the change of `date`, replacing an earlier one for the same date.
    pub fn set(&mut self, date: Date, change: Change) {
        self.changes.insert(date, change);
    }

    /// The change of `date`, if any.
    pub fn get(&self, date: Date) -> Option<&Change> {
        self.changes.get(&date)
    }

    /// The changes dated in `year`, in date order.
    pub fn in_year(&self, year: i16) -> impl Iterator<Item = (Date, &Change)> {
        self.changes
            .iter()
            .filter(move |(date, _)| date.year() == year)
            .map(|(date, change)| (*date, change))
    }

    /// Whether there is no override at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
