//! go-yaml v2's `parseTimestamp`: four leading digits and a `-`, then Go's `time.Parse` with
//! one of the layouts `2006-1-2T15:4:5.999999999Z07:00` (also with a lower-case `t`),
//! `2006-1-2 15:4:5.999999999` and `2006-1-2`.
//!
//! What `time.Parse` accepts there: one or two digits for the month, day, hour, minute and
//! second, each in range (the day for its month and year); a fraction of any length after a
//! `.` or a `,`; any run of spaces where the layout has one; a zone `Z` or `±hh:mm` with
//! hours up to 24 and minutes up to 60.

/// Whether `s` is a timestamp go-yaml v2 would resolve.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if lead != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    let Some(rest) = date(b) else {
        return false;
    };
    match rest.split_first() {
        // `2006-1-2`.
        None => true,
        // `2006-1-2T15:4:5.999999999Z07:00`, or with `t`.
        Some((b'T' | b't', time)) => clock(time).and_then(zone) == Some(&[]),
        // `2006-1-2 15:4:5.999999999`: the layout's space matches a run of spaces.
        Some((b' ', _)) => {
            let spaces = rest.iter().take_while(|&&c| c == b' ').count();
            clock(&rest[spaces..]) == Some(&[])
        }
        Some(_) => false,
    }
}

/// `2006-1-2` at the start of `b` (its year already checked to be four digits): the rest.
fn date(b: &[u8]) -> Option<&[u8]> {
    let year: u32 = b[..4].iter().fold(0, |y, d| y * 10 + u32::from(d - b'0'));
    let rest = b[4..].strip_prefix(b"-")?;
    let (month, rest) = number(rest)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let rest = rest.strip_prefix(b"-")?;
    let (day, rest) = number(rest)?;
    (1..=days_in_month(year, month))
        .contains(&day)
        .then_some(rest)
}

/// `15:4:5` and an optional fraction: the rest.
fn clock(b: &[u8]) -> Option<&[u8]> {
    let (hour, rest) = number(b)?;
    let (minute, rest) = number(rest.strip_prefix(b":")?)?;
    let (second, rest) = number(rest.strip_prefix(b":")?)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    match rest {
        [b'.' | b',', d, ..] if d.is_ascii_digit() => {
            let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            Some(&rest[1 + digits..])
        }
        _ => Some(rest),
    }
}

/// `Z07:00`: `Z`, or a sign and `hh:mm`; the rest.
fn zone(b: &[u8]) -> Option<&[u8]> {
    if let Some(rest) = b.strip_prefix(b"Z") {
        return Some(rest);
    }
    match b {
        [b'+' | b'-', h1, h2, b':', m1, m2, rest @ ..]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
        {
            let hours = (h1 - b'0') * 10 + (h2 - b'0');
            let minutes = (m1 - b'0') * 10 + (m2 - b'0');
            (hours <= 24 && minutes <= 60).then_some(rest)
        }
        _ => None,
    }
}

/// Go's `getnum(s, false)`: one or two digits.
fn number(b: &[u8]) -> Option<(u32, &[u8])> {
    match b {
        [d1, d2, rest @ ..] if d1.is_ascii_digit() && d2.is_ascii_digit() => {
            Some((u32::from(d1 - b'0') * 10 + u32::from(d2 - b'0'), rest))
        }
        [d, rest @ ..] if d.is_ascii_digit() => Some((u32::from(d - b'0'), rest)),
        _ => None,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
