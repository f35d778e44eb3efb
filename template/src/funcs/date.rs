//! Sprig date functions and Go time-layout formatting. `now` is deterministic: it
//! returns [`crate::ExecOptions::now`]. Only the UTC zone is known; other zone names
//! behave like UTC (as Go does when a zone cannot be loaded).

use super::{s, to_int64, CallCtx, FuncMap, Param};
use crate::value::{GoTime, Kind, Value};

use Param::*;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

struct Civil {
    year: i64,
    month: usize,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nanos: i64,
    weekday: usize,
    yday: i64,
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil(t: &GoTime) -> Civil {
    let local = t.unix_nanos + i128::from(t.offset) * 1_000_000_000;
    let secs = local.div_euclid(1_000_000_000) as i64;
    let nanos = local.rem_euclid(1_000_000_000) as i64;
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let z = days + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = if m <= 2 { y + 1 } else { y };
    let yday = days - days_from_civil(year, 1, 1) + 1;
    Civil {
        year,
        month: m as usize,
        day: d,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        nanos,
        weekday: (days + 4).rem_euclid(7) as usize,
        yday,
    }
}

fn zone_name(offset: i32) -> String {
    if offset == 0 {
        return "UTC".into();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.unsigned_abs();
    if a % 3600 == 0 {
        format!("{sign}{:02}", a / 3600)
    } else {
        format!("{sign}{:02}{:02}", a / 3600, a % 3600 / 60)
    }
}

/// Formats `t` with a Go reference layout (`2006-01-02 15:04:05`).
pub fn go_format(t: &GoTime, layout: &str) -> String {
    let c = civil(t);
    let mut out = String::new();
    let b = layout.as_bytes();
    let mut i = 0;
    let off = t.offset;
    let tz = |out: &mut String, z: bool, colon: bool, secs: bool, short: bool| {
        if z && off == 0 {
            out.push('Z');
            return;
        }
        let a = off.unsigned_abs();
        out.push(if off < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", a / 3600));
        if short {
            return;
        }
        if colon {
            out.push(':');
        }
        out.push_str(&format!("{:02}", a % 3600 / 60));
        if secs {
            if colon {
                out.push(':');
            }
            out.push_str(&format!("{:02}", a % 60));
        }
    };
    while i < b.len() {
        let rest = &layout[i..];
        let take = |p: &str| rest.starts_with(p);
        if take("January") {
            out.push_str(MONTHS[c.month - 1]);
            i += 7;
        } else if take("Jan") {
            out.push_str(&MONTHS[c.month - 1][..3]);
            i += 3;
        } else if take("Monday") {
            out.push_str(DAYS[c.weekday]);
            i += 6;
        } else if take("Mon") {
            out.push_str(&DAYS[c.weekday][..3]);
            i += 3;
        } else if take("MST") {
            out.push_str(&zone_name(off));
            i += 3;
        } else if take("2006") {
            out.push_str(&format!("{:04}", c.year));
            i += 4;
        } else if take("-07:00:00") {
            tz(&mut out, false, true, true, false);
            i += 9;
        } else if take("-0700") {
            tz(&mut out, false, false, false, false);
            i += 5;
        } else if take("-07:00") {
            tz(&mut out, false, true, false, false);
            i += 6;
        } else if take("-07") {
            tz(&mut out, false, false, false, true);
            i += 3;
        } else if take("Z07:00:00") {
            tz(&mut out, true, true, true, false);
            i += 9;
        } else if take("Z0700") {
            tz(&mut out, true, false, false, false);
            i += 5;
        } else if take("Z07:00") {
            tz(&mut out, true, true, false, false);
            i += 6;
        } else if take("Z07") {
            tz(&mut out, true, false, false, true);
            i += 3;
        } else if take("002") {
            out.push_str(&format!("{:03}", c.yday));
            i += 3;
        } else if take("01") {
            out.push_str(&format!("{:02}", c.month));
            i += 2;
        } else if take("02") {
            out.push_str(&format!("{:02}", c.day));
            i += 2;
        } else if take("_2") {
            out.push_str(&format!("{:>2}", c.day));
            i += 2;
        } else if take("03") {
            out.push_str(&format!("{:02}", (c.hour + 11) % 12 + 1));
            i += 2;
        } else if take("04") {
            out.push_str(&format!("{:02}", c.min));
            i += 2;
        } else if take("05") {
            out.push_str(&format!("{:02}", c.sec));
            i += 2;
        } else if take("06") {
            out.push_str(&format!("{:02}", c.year.rem_euclid(100)));
            i += 2;
        } else if take("15") {
            out.push_str(&format!("{:02}", c.hour));
            i += 2;
        } else if take("PM") {
            out.push_str(if c.hour >= 12 { "PM" } else { "AM" });
            i += 2;
        } else if take("pm") {
            out.push_str(if c.hour >= 12 { "pm" } else { "am" });
            i += 2;
        } else if frac_run(rest) > 0 {
            let digit = rest.as_bytes()[1];
            let n = rest[1..].bytes().take_while(|&x| x == digit).count();
            let frac = format!("{:09}", c.nanos);
            let mut f = frac[..n.min(9)].to_string();
            if digit == b'9' {
                while f.ends_with('0') {
                    f.pop();
                }
                if !f.is_empty() {
                    out.push(rest.as_bytes()[0] as char);
                    out.push_str(&f);
                }
            } else {
                out.push(rest.as_bytes()[0] as char);
                out.push_str(&f);
            }
            i += 1 + n;
        } else if take("1") {
            out.push_str(&c.month.to_string());
            i += 1;
        } else if take("2") {
            out.push_str(&c.day.to_string());
            i += 1;
        } else if take("3") {
            out.push_str(&((c.hour + 11) % 12 + 1).to_string());
            i += 1;
        } else if take("4") {
            out.push_str(&c.min.to_string());
            i += 1;
        } else if take("5") {
            out.push_str(&c.sec.to_string());
            i += 1;
        } else {
            let ch = rest.chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Length of a fractional-seconds run (`.000`, `.999`, `,000`) at the start of `rest`,
/// or 0 when there is none (the run must not be followed by another digit).
fn frac_run(rest: &str) -> usize {
    let b = rest.as_bytes();
    if b.len() < 2 || !matches!(b[0], b'.' | b',') || !matches!(b[1], b'0' | b'9') {
        return 0;
    }
    let n = b[1..].iter().take_while(|&&x| x == b[1]).count();
    if b.get(1 + n).is_some_and(u8::is_ascii_digit) {
        return 0;
    }
    n
}

/// Parses a few common layouts (date only, RFC 3339) for `toDate`.
fn parse_time(layout: &str, text: &str) -> Option<GoTime> {
    let t = text.trim();
    let num = |s: &str| s.parse::<i64>().ok();
    if layout == "2006-01-02" || t.len() == 10 {
        let y = num(t.get(0..4)?)?;
        let m = num(t.get(5..7)?)?;
        let d = num(t.get(8..10)?)?;
        let days = days_from_civil(y, m, d);
        return Some(GoTime {
            unix_nanos: i128::from(days) * 86_400_000_000_000,
            offset: 0,
        });
    }
    if t.len() >= 19 {
        let y = num(t.get(0..4)?)?;
        let m = num(t.get(5..7)?)?;
        let d = num(t.get(8..10)?)?;
        let h = num(t.get(11..13)?)?;
        let mi = num(t.get(14..16)?)?;
        let se = num(t.get(17..19)?)?;
        let secs = days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + se;
        let mut off = 0i64;
        let tail = t.get(19..).unwrap_or("");
        let tail = tail.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        if let Some(z) = tail.strip_prefix(['+', '-']) {
            let sign = if tail.starts_with('-') { -1 } else { 1 };
            let zh = num(z.get(0..2)?)?;
            let zm = num(z.get(3..5).or(z.get(2..4))?)?;
            off = sign * (zh * 3600 + zm * 60);
        }
        return Some(GoTime {
            unix_nanos: i128::from(secs - off) * 1_000_000_000,
            offset: off as i32,
        });
    }
    None
}

/// Go's `time.Duration.String`.
pub(crate) fn duration_string(nanos: i128) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let neg = nanos < 0;
    let u = nanos.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        let (unit, div) = if u < 1_000 {
            ("ns", 1)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        out.push_str(&frac_str(u, div));
        out.push_str(unit);
    } else {
        let h = u / 3_600_000_000_000;
        let m = u / 60_000_000_000 % 60;
        let sn = u % 60_000_000_000;
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if h > 0 || m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&frac_str(sn, 1_000_000_000));
        out.push('s');
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

fn frac_str(v: u128, div: u128) -> String {
    let int = v / div;
    let mut frac = v % div;
    if frac == 0 {
        return int.to_string();
    }
    let mut digits = div.to_string().len() - 1;
    while frac % 10 == 0 {
        frac /= 10;
        digits -= 1;
    }
    format!("{int}.{frac:0digits$}")
}

/// Go's `time.ParseDuration` (subset: h, m, s, ms, us/µs, ns, with fractions).
pub(crate) fn parse_duration(s: &str) -> Option<i128> {
    let (neg, mut t) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if t == "0" {
        return Some(0);
    }
    if t.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !t.is_empty() {
        let n = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let v: f64 = t[..n].parse().ok()?;
        t = &t[n..];
        let u = t
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(t.len());
        let mult = match &t[..u] {
            "h" => 3.6e12,
            "m" => 6e10,
            "s" => 1e9,
            "ms" => 1e6,
            "us" | "µs" | "μs" => 1e3,
            "ns" => 1.0,
            _ => return None,
        };
        total += v * mult;
        t = &t[u..];
    }
    Some(if neg { -(total as i128) } else { total as i128 })
}

fn to_time(ctx: &CallCtx<'_, '_>, v: &Value) -> GoTime {
    match v.kind() {
        Kind::Time(t) => *t,
        Kind::Int(i) | Kind::Int64(i) => GoTime {
            unix_nanos: i128::from(*i) * 1_000_000_000,
            offset: 0,
        },
        _ => ctx.options().now,
    }
}

/// A time in the zone Sprig's `date` functions print in: `Local`, which is UTC here (as in
/// the reference renders), like every zone a chart names.
fn in_local(t: GoTime) -> GoTime {
    GoTime { offset: 0, ..t }
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert("now", &[], None, |c, _| Ok(Value::time(c.options().now)));
    m.insert("date", &[Str, Any], None, |c, a| {
        Ok(Value::str(go_format(
            &in_local(to_time(c, &a[1])),
            s(&a[0]),
        )))
    });
    m.insert("dateInZone", &[Str, Any, Str], None, |c, a| {
        Ok(Value::str(go_format(
            &in_local(to_time(c, &a[1])),
            s(&a[0]),
        )))
    });
    m.alias("date_in_zone", "dateInZone");
    m.insert("htmlDate", &[Any], None, |c, a| {
        Ok(Value::str(go_format(
            &in_local(to_time(c, &a[0])),
            "2006-01-02",
        )))
    });
    m.insert("htmlDateInZone", &[Any, Str], None, |c, a| {
        Ok(Value::str(go_format(
            &in_local(to_time(c, &a[0])),
            "2006-01-02",
        )))
    });
    m.add("dateModify", &[Str, Any], None, |a| {
        let Kind::Time(t) = a[1].kind() else {
            return Err(format!(
                "wrong type for value; expected time.Time; got {}",
                a[1].type_name()
            )
            .into());
        };
        match parse_duration(s(&a[0])) {
            Some(d) => Ok(Value::time(GoTime {
                unix_nanos: t.unix_nanos + d,
                offset: t.offset,
            })),
            None => Ok(a[1].clone()),
        }
    });
    m.alias("date_modify", "dateModify");
    m.alias("mustDateModify", "dateModify");
    m.add("toDate", &[Str, Str], None, |a| {
        Ok(parse_time(s(&a[0]), s(&a[1])).map_or_else(
            || {
                Value::time(GoTime {
                    unix_nanos: -62_135_596_800_000_000_000,
                    offset: 0,
                })
            },
            Value::time,
        ))
    });
    m.add("mustToDate", &[Str, Str], None, |a| {
        parse_time(s(&a[0]), s(&a[1]))
            .map(Value::time)
            .ok_or_else(|| {
                format!(
                    "parsing time {:?} as {:?}: cannot parse",
                    s(&a[1]),
                    s(&a[0])
                )
                .into()
            })
    });
    m.add("unixEpoch", &[Any], None, |a| match a[0].kind() {
        Kind::Time(t) => Ok(Value::str(
            t.unix_nanos.div_euclid(1_000_000_000).to_string(),
        )),
        _ => Err(format!(
            "wrong type for value; expected time.Time; got {}",
            a[0].type_name()
        )
        .into()),
    });
    m.insert("ago", &[Any], None, |c, a| {
        let t = to_time(c, &a[0]);
        let d = c.options().now.unix_nanos - t.unix_nanos;
        Ok(Value::str(duration_string(
            d / 1_000_000_000 * 1_000_000_000,
        )))
    });
    m.add("duration", &[Any], None, |a| {
        // Sprig only understands string and int64 arguments; anything else is 0.
        let secs = match a[0].kind() {
            Kind::Str(t) => t.parse::<i64>().unwrap_or(0),
            Kind::Int64(i) => *i,
            _ => 0,
        };
        Ok(Value::str(duration_string(
            i128::from(secs) * 1_000_000_000,
        )))
    });
    m.insert("durationRound", &[Any], None, |c, a| {
        let d: i128 = match a[0].kind() {
            Kind::Str(t) => parse_duration(t).unwrap_or(0),
            Kind::Time(t) => c.options().now.unix_nanos - t.unix_nanos,
            _ => i128::from(to_int64(&a[0])),
        };
        let u = d.unsigned_abs();
        let (year, month, day, hour, minute, second) = (
            365 * 24 * 3_600_000_000_000u128,
            30 * 24 * 3_600_000_000_000u128,
            24 * 3_600_000_000_000u128,
            3_600_000_000_000u128,
            60_000_000_000u128,
            1_000_000_000u128,
        );
        let sign = if d < 0 { "-" } else { "" };
        let r = if u > year {
            format!("{sign}{}y", u / year)
        } else if u > month {
            format!("{sign}{}mo", u / month)
        } else if u > day {
            format!("{sign}{}d", u / day)
        } else if u > hour {
            format!("{sign}{}h", u / hour)
        } else if u > minute {
            format!("{sign}{}m", u / minute)
        } else if u > second {
            format!("{sign}{}s", u / second)
        } else {
            "0s".to_string()
        };
        Ok(Value::str(r))
    });
}
