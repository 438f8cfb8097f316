//! Vietnam's local time: the fixed UTC+07:00 offset and conversions from instants.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

/// Asia/Ho_Chi_Minh as a fixed offset. Vietnam has used UTC+7 with no daylight saving since
/// 1975, so a fixed offset is exact for every instant the helpdesk handles and spares the crate
/// any time-zone database lookup.
pub const VIETNAM_OFFSET: Offset = Offset::constant(7);

/// The local (UTC+7) wall-clock time of an instant.
pub fn to_local(at: Timestamp) -> DateTime {
    VIETNAM_OFFSET.to_datetime(at)
}

/// RFC 3339 with the `+07:00` offset, as `hotro calendar due` prints it, e.g.
/// `2026-02-23T09:00:00+07:00`; fractional seconds appear only when the instant has them.
pub fn format_local(at: Timestamp) -> String {
    to_local(at)
        .strftime("%Y-%m-%dT%H:%M:%S%.f+07:00")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_vietnam_time() {
        let at: Timestamp = "2026-02-23T02:00:00Z".parse().unwrap();
        assert_eq!(format_local(at), "2026-02-23T09:00:00+07:00");
        let at: Timestamp = "2026-02-23T02:00:00.5Z".parse().unwrap();
        assert_eq!(format_local(at), "2026-02-23T09:00:00.5+07:00");
    }
}
