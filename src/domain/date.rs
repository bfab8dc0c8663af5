//! Dates at the precision the text gives them. An [`EventDate`] is a calendar interval
//! (first day ..= last day) plus the precision it was stated at, and it prints back in
//! ISO 8601 truncated to that precision: "2024-08-06", "2024-08" or "2024".

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

/// How precisely a date is known.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Week,
    Month,
    Season,
    Quarter,
    Year,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Season => "season",
            Precision::Quarter => "quarter",
            Precision::Year => "year",
        }
    }
}

/// A date or period as stated: `start` is the first day, `end` the last (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventDate {
    pub start: Date,
    pub end: Date,
    pub precision: Precision,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct DateParseError(pub String);

impl EventDate {
    pub fn day(d: Date) -> Self {
        EventDate {
            start: d,
            end: d,
            precision: Precision::Day,
        }
    }

    pub fn month(year: i16, month: i8) -> Option<Self> {
        let start = Date::new(year, month, 1).ok()?;
        Some(EventDate {
            start,
            end: start.last_of_month(),
            precision: Precision::Month,
        })
    }

    pub fn year(year: i16) -> Option<Self> {
        Some(EventDate {
            start: Date::new(year, 1, 1).ok()?,
            end: Date::new(year, 12, 31).ok()?,
            precision: Precision::Year,
        })
    }

    /// The ISO week (Monday..Sunday) containing `d`.
    pub fn week_of(d: Date) -> Self {
        let back = i64::from(d.weekday().to_monday_zero_offset());
        let start = d.checked_sub(back.days()).unwrap_or(d);
        EventDate {
            start,
            end: start.checked_add(6.days()).unwrap_or(start),
            precision: Precision::Week,
        }
    }

    /// Months `first..=last` (inclusive) as one interval at `precision`
    /// (month for periods, season or quarter for those).
    pub fn months(first: (i16, i8), last: (i16, i8), precision: Precision) -> Option<Self> {
        let start = Date::new(first.0, first.1, 1).ok()?;
        let end = Date::new(last.0, last.1, 1).ok()?.last_of_month();
        (start <= end).then_some(EventDate {
            start,
            end,
            precision,
        })
    }

    /// Parses what `from` / `to` and `date` accept: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, DateParseError> {
        let err = || DateParseError(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<i32, DateParseError> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            p.parse().map_err(|_| err())
        };
        match parts.as_slice() {
            [y] => Self::year(num(y, 4)? as i16).ok_or_else(err),
            [y, m] => Self::month(num(y, 4)? as i16, num(m, 2)? as i8).ok_or_else(err),
            [y, m, d] => Date::new(num(y, 4)? as i16, num(m, 2)? as i8, num(d, 2)? as i8)
                .map(Self::day)
                .map_err(|_| err()),
            _ => Err(err()),
        }
    }

    /// The `date` field: the start truncated to the precision.
    pub fn date_string(&self) -> String {
        truncate(self.start, self.precision)
    }

    /// The `end_date` field: set for periods that span more than the precision's unit.
    pub fn end_date_string(&self) -> Option<String> {
        let single = match self.precision {
            Precision::Day => self.start == self.end,
            Precision::Week => self.end == self.start.checked_add(6.days()).unwrap_or(self.end),
            Precision::Month => self.start.day() == 1 && self.end == self.start.last_of_month(),
            Precision::Year => {
                self.start.month() == 1
                    && self.start.day() == 1
                    && self.end.year() == self.start.year()
                    && self.end.month() == 12
                    && self.end.day() == 31
            }
            // Seasons and quarters always say where they end.
            Precision::Season | Precision::Quarter => false,
        };
        (!single).then(|| truncate(self.end, self.precision))
    }

    /// Rebuilds a date from its `date` / `end_date` / precision fields.
    pub fn from_fields(
        date: &str,
        end_date: Option<&str>,
        precision: Precision,
    ) -> Result<Self, DateParseError> {
        let start = EventDate::parse(date)?;
        let end = match end_date {
            Some(e) => EventDate::parse(e)?.end,
            None => match precision {
                Precision::Week => start.start.checked_add(6.days()).unwrap_or(start.end),
                _ => start.end,
            },
        };
        Ok(EventDate {
            start: start.start,
            end,
            precision,
        })
    }

    pub fn overlaps(&self, other: &EventDate) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

fn truncate(d: Date, p: Precision) -> String {
    match p {
        Precision::Day | Precision::Week => d.to_string(),
        Precision::Month | Precision::Season | Precision::Quarter => {
            format!("{:04}-{:02}", d.year(), d.month())
        }
        Precision::Year => format!("{:04}", d.year()),
    }
}

impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.end_date_string() {
            Some(e) => write!(f, "{}/{}", self.date_string(), e),
            None => f.write_str(&self.date_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn parses_each_precision_and_rejects_the_rest() {
        assert_eq!(EventDate::parse("2024").unwrap().end, date(2024, 12, 31));
        let m = EventDate::parse("2024-02").unwrap();
        assert_eq!((m.start, m.end), (date(2024, 2, 1), date(2024, 2, 29)));
        assert_eq!(
            EventDate::parse("2024-08-06").unwrap().precision,
            Precision::Day
        );
        for bad in [
            "2024-13",
            "2024-02-30",
            "24",
            "2024-8-6",
            "",
            "2024-08-06T00",
            "abcd",
        ] {
            assert!(EventDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prints_truncated_to_precision() {
        assert_eq!(EventDate::month(2024, 6).unwrap().to_string(), "2024-06");
        let autumn = EventDate::months((2024, 9), (2024, 11), Precision::Season).unwrap();
        assert_eq!(autumn.date_string(), "2024-09");
        assert_eq!(autumn.end_date_string().as_deref(), Some("2024-11"));
        let period = EventDate::months((2023, 8), (2025, 4), Precision::Month).unwrap();
        assert_eq!(period.to_string(), "2023-08/2025-04");
    }

    #[test]
    fn fields_round_trip() {
        for d in [
            EventDate::day(date(2024, 8, 6)),
            EventDate::week_of(date(2024, 8, 8)),
            EventDate::month(2022, 3).unwrap(),
            EventDate::year(2023).unwrap(),
            EventDate::months((2024, 9), (2024, 11), Precision::Season).unwrap(),
        ] {
            let back = EventDate::from_fields(
                &d.date_string(),
                d.end_date_string().as_deref(),
                d.precision,
            )
            .unwrap();
            assert_eq!(back, d);
        }
    }
}
