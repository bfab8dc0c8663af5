//! Properties of date resolution, over generated dates, publication dates and the four
//! languages (proptest): resolving never makes a date more precise than the text said
//! it, the result stays inside the interval the text stated, and reading the
//! normalised output again gives the same date.

use std::sync::LazyLock;

use jiff::ToSpan;
use jiff::civil::{Date, date};
use linimasa::domain::{EventDate, Precision};
use linimasa::knowledge::Knowledge;
use linimasa::pipeline::timex::{TimeContext, TimeExpr, TimeTagger};
use linimasa::synthetic::{MONTH_EN, MONTH_ID, MONTH_NAMES, MONTH_RU_GEN, MONTH_UK_GEN};
use proptest::prelude::*;

static TAGGER: LazyLock<TimeTagger> = LazyLock::new(|| TimeTagger::new(&Knowledge::embedded()));

/// How a date is written at its precision in a language, and the sentence around it.
fn render(lang: &str, d: &EventDate) -> String {
    let (y, m, day) = (d.start.year(), d.start.month() as usize - 1, d.start.day());
    let expr = match (lang, d.precision) {
        ("id", Precision::Day) => format!("{day} {} {y}", MONTH_NAMES[MONTH_ID][m]),
        ("id", Precision::Month) => format!("bulan {} {y}", MONTH_NAMES[MONTH_ID][m]),
        ("id", _) => format!("tahun {y}"),
        ("en", Precision::Day) => format!("on {day} {} {y}", MONTH_NAMES[MONTH_EN][m]),
        ("en", Precision::Month) => format!("in {} {y}", MONTH_NAMES[MONTH_EN][m]),
        ("en", _) => format!("in {y}"),
        ("ru", Precision::Day) => format!("{day} {} {y} года", MONTH_NAMES[MONTH_RU_GEN][m]),
        ("ru", _) => format!("{y} году"),
        ("uk", Precision::Day) => format!("{day} {} {y} року", MONTH_NAMES[MONTH_UK_GEN][m]),
        (_, _) => format!("{y} році"),
    };
    match lang {
        "id" => format!("Pasukan menyerang kota itu pada {expr} dan kemudian mundur."),
        "en" => format!("Troops attacked the town {expr} and then withdrew."),
        "ru" => format!("Войска атаковали город {expr} и затем отступили."),
        _ => format!("Війська атакували місто {expr} і потім відступили."),
    }
}

fn tag(lang: &str, s: &str, published: Option<Date>) -> Vec<TimeExpr> {
    let mut ctx = TimeContext::new(published);
    TAGGER.tag(lang, s, &mut ctx)
}

fn stated() -> impl Strategy<Value = EventDate> {
    (1990i16..=2035, 1i8..=12, 1i8..=31, 0u8..3).prop_map(|(y, m, d, p)| {
        let day = Date::new(y, m, d).unwrap_or_else(|_| date(y, m, 1).last_of_month());
        match p {
            0 => EventDate::day(day),
            1 => EventDate::month(y, m).unwrap(),
            _ => EventDate::year(y).unwrap(),
        }
    })
}

fn any_day() -> impl Strategy<Value = Date> {
    (0i64..(50 * 366)).prop_map(|n| date(1990, 1, 1).checked_add(n.days()).unwrap())
}

fn lang() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("id"), Just("en"), Just("ru"), Just("uk")]
}

/// Every expression keeps the promises of a resolved date.
fn well_formed(s: &str, e: &TimeExpr) {
    assert!(e.start < e.end && e.end <= s.len(), "{e:?} in {s:?}");
    assert!(s.is_char_boundary(e.start) && s.is_char_boundary(e.end));
    assert!(e.value.start <= e.value.end, "{e:?}");
    let back = EventDate::from_fields(
        &e.value.date_string(),
        e.value.end_date_string().as_deref(),
        e.value.precision,
    )
    .unwrap_or_else(|err| panic!("{e:?} does not parse back: {err}"));
    assert_eq!(
        back, e.value,
        "the normalised fields read back as the same date"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A date stated in full is found at exactly its precision, inside its interval,
    /// whatever the publication date; its normalised form reads back the same.
    #[test]
    fn stated_dates_resolve_to_themselves(d in stated(), lang in lang(), published in any_day()) {
        // Russian and Ukrainian month names stand for days here (their month phrases
        // take other cases); a month there is written as its year.
        let d = if matches!(lang, "ru" | "uk") && d.precision == Precision::Month {
            EventDate::year(d.start.year()).unwrap()
        } else {
            d
        };
        let s = render(lang, &d);
        let found = tag(lang, &s, Some(published));
        for e in &found {
            well_formed(&s, e);
        }
        prop_assert_eq!(found.len(), 1, "{} -> {:?}", s, found);
        let v = found[0].value;
        prop_assert!(v.precision >= d.precision, "{} came out finer: {:?}", s, v);
        prop_assert!(v.start >= d.start && v.end <= d.end, "{} outside {:?}: {:?}", s, d, v);
        prop_assert_eq!(v, d);
        prop_assert!(!found[0].inferred, "nothing was taken from the publication date");

        // The output, written again, is read as the same date.
        let again = tag(lang, &render(lang, &v), Some(published));
        prop_assert_eq!(again.len(), 1);
        prop_assert_eq!(again[0].value, v);
        if v.precision == Precision::Day {
            let iso = tag("en", &format!("Reported on {}.", v.date_string()), None);
            prop_assert_eq!(iso.len(), 1);
            prop_assert_eq!(iso[0].value, v);
        }
    }

    /// A day without a year is a day (never a month or year made precise), taken
    /// from the publication date: the latest such day up to a week after it.
    #[test]
    fn year_less_days_stay_days_near_publication(d in any_day(), published in any_day(), lang in lang()) {
        let (day, m) = (d.day(), d.month() as usize - 1);
        let s = match lang {
            "id" => format!("Serangan terjadi pada tanggal {day} {} di kota itu.", MONTH_NAMES[MONTH_ID][m]),
            "en" => format!("The attack came on {day} {} in the town.", MONTH_NAMES[MONTH_EN][m]),
            "ru" => format!("Атака произошла {day} {} в городе.", MONTH_NAMES[MONTH_RU_GEN][m]),
            _ => format!("Атака сталася {day} {} у місті.", MONTH_NAMES[MONTH_UK_GEN][m]),
        };
        let found = tag(lang, &s, Some(published));
        for e in &found {
            well_formed(&s, e);
        }
        if (d.month(), day) != (2, 29) {
            prop_assert_eq!(found.len(), 1, "{} -> {:?}", s, found);
        }
        for e in &found {
            prop_assert_eq!(e.value.precision, Precision::Day, "{} -> {:?}", s, e);
            prop_assert!(e.inferred, "the year came from the publication date");
            prop_assert_eq!((e.value.start.month(), e.value.start.day()), (d.month(), day));
            prop_assert!(e.value.start <= published.checked_add(7.days()).unwrap());
            prop_assert!(e.value.start > published.checked_sub(1.year()).unwrap(), "{} on {} -> {:?}", s, published, e);
        }
        // Without a publication date there is nothing to resolve against.
        prop_assert!(tag(lang, &s, None).is_empty(), "{}", s);
    }

    /// A month without a year resolves to that month (never a day), at most a year
    /// from publication.
    #[test]
    fn year_less_months_stay_months(m in 0usize..12, published in any_day(), lang in prop_oneof![Just("id"), Just("en")]) {
        let s = match lang {
            "id" => format!("Pasukan menyerang pada bulan {} dan mundur.", MONTH_NAMES[MONTH_ID][m]),
            _ => format!("Troops attacked in {} and withdrew.", MONTH_NAMES[MONTH_EN][m]),
        };
        let found = tag(lang, &s, Some(published));
        prop_assert_eq!(found.len(), 1, "{} -> {:?}", s, found);
        for e in found {
            well_formed(&s, &e);
            prop_assert!(e.value.precision >= Precision::Month, "{} -> {:?}", s, e);
            prop_assert_eq!(e.value.start.month() as usize, m + 1);
            prop_assert!(e.inferred);
            let gap = (e.value.start.year() - published.year()).abs();
            prop_assert!(gap <= 1, "{} on {} -> {:?}", s, published, e);
        }
    }

    /// Arbitrary text never panics the tagger, and whatever it finds is well formed.
    #[test]
    fn arbitrary_text_is_tagged_safely(s in "\\PC{0,120}", lang in lang(), published in proptest::option::of(any_day())) {
        for e in tag(lang, &s, published) {
            well_formed(&s, &e);
        }
    }

    /// Text made of date-like pieces: digits, slashes, month and weekday words.
    #[test]
    fn date_like_text_is_tagged_safely(
        parts in proptest::collection::vec(prop_oneof![
            Just("31"), Just("29"), Just("0"), Just("/"), Just("("), Just(")"), Just("."), Just("-"),
            Just("2024"), Just("9999"), Just("0000"), Just("Februari"), Just("February"), Just("лютого"),
            Just("Senin"), Just("Monday"), Just("lalu"), Just("last"), Just("ago"), Just("hari"),
            Just("days"), Just("минулого"), Just("тому"), Just("musim gugur"), Just(" ")
        ], 0..16),
        lang in lang(),
        published in proptest::option::of(any_day()),
    ) {
        let s = parts.join(" ");
        for e in tag(lang, &s, published) {
            well_formed(&s, &e);
        }
    }
}
