//! Within-article merging: one event per happening. An article that tells the same
//! happening twice (the lede and a later paragraph, a headline and its body) gives one
//! event with both sentences as evidence. Two events are one happening when they have
//! the same PLOVER type, dates that may be the same happening's (the same interval, or
//! overlapping intervals of at most a few days each: "yesterday" in the lede, the day
//! itself later) and the same place (a shared region; with no region on either, a
//! shared country or actor, or none named at all). The earlier event stays and keeps
//! the narrower of the two dates. Background events ("the 2001 attacks") differ in
//! date and never merge with the news.

use super::annotate::Trace;
use crate::domain::{Event, EventDate};

/// Splits a remote attack told of several first-level regions ("missiles struck
/// training centres in the regions of Chernihiv, Zhytomyr and Lviv") into one event
/// per region, each with that region's places: strikes land on each target apart
/// (ACLED's unit of an event is one place). Fighting and losses along a front that
/// crosses two regions ("in the Donetsk and Zaporizhzhia directions") stay one event
/// with both, as do other events.
pub fn per_region(ev: Event) -> Vec<Event> {
    let remote = ev
        .acled
        .as_ref()
        .is_some_and(|a| a.event_type == "Explosions/Remote violence");
    if ev.event_type != "assault" || !remote || ev.regions.len() < 2 {
        return vec![ev];
    }
    ev.regions
        .iter()
        .map(|r| {
            let mut one = ev.clone();
            one.id = format!("{}_{}", ev.id, r.iso_code.to_ascii_lowercase());
            one.regions = vec![r.clone()];
            one.places
                .retain(|p| p.region.as_deref() == Some(r.iso_code.as_str()));
            if one.places.is_empty() && ev.location.as_ref().is_some_and(|l| l.precision == "place")
            {
                one.location = None;
            }
            one.countries.retain(|c| *c == r.country);
            if one.countries.is_empty() {
                one.countries.push(r.country.clone());
            }
            one
        })
        .collect()
}

/// Intervals of at most this many days that overlap may be one happening told twice
/// ("yesterday" in a headline, the day itself in a later report). Longer periods merge
/// only when identical: a month of shelling is not the strike on one of its days.
const SHORT_DAYS: i32 = 3;

fn days(d: &EventDate) -> i32 {
    (d.end - d.start).get_days() + 1
}

/// May two reported intervals be the same happening's date? (Also the store's rule
/// across articles.)
pub fn same_time(a: &EventDate, b: &EventDate) -> bool {
    (a.start, a.end) == (b.start, b.end)
        || (a.overlaps(b) && days(a) <= SHORT_DAYS && days(b) <= SHORT_DAYS)
}

fn same_place(a: &Event, b: &Event) -> bool {
    if a.regions.is_empty() != b.regions.is_empty() {
        return false;
    }
    if !a.regions.is_empty() {
        return a
            .regions
            .iter()
            .any(|r| b.regions.iter().any(|s| s.iso_code == r.iso_code));
    }
    let named = |e: &Event| !e.countries.is_empty() || !e.actors.is_empty();
    if !named(a) && !named(b) {
        return true;
    }
    a.countries.iter().any(|c| b.countries.contains(c))
        || a.actors
            .iter()
            .any(|x| b.actors.iter().any(|y| y.slug == x.slug))
}

/// Whether `a` and `b`, events of one article, tell the same happening.
pub fn same_happening(a: &Event, b: &Event) -> bool {
    if a.event_type != b.event_type {
        return false;
    }
    let (Some(da), Some(db)) = (EventDate::of_event(a), EventDate::of_event(b)) else {
        return false;
    };
    same_time(&da, &db) && same_place(a, b) && !apart_in_one_sentence(a, b)
}

/// Whether `a` and `b` come from one sentence and name lands apart: the acts of
/// its coordinated clauses, each placed in its own ("Hezbollah fired into Israel,
/// and Israel struck Lebanon"), are two happenings though they share an actor.
fn apart_in_one_sentence(a: &Event, b: &Event) -> bool {
    let one_sentence = a
        .sources
        .first()
        .zip(b.sources.first())
        .is_some_and(|(x, y)| x.article_id == y.article_id && x.evidence.start == y.evidence.start);
    one_sentence
        && !a.countries.is_empty()
        && !b.countries.is_empty()
        && !a.countries.iter().any(|c| b.countries.contains(c))
}

/// How many days an act told without a time is dated over as current news
/// (`dating::CURRENT_NEWS_DAYS` and the publication day).
const NEWS_DAYS: i32 = super::dating::CURRENT_NEWS_DAYS as i32 + 1;

/// Whether `vague`, an act the article tells without a time (dated as its current
/// news, inferred), restates `dated`, an act of the same article told with its day:
/// the same type in the same place, that day inside the news window, and said no
/// more precisely — without a means of its own or with the same ACLED sub-event type,
/// and naming no town the dated one does not ("Russia attacked Ukraine and killed its people" after "Russian forces shelled
/// towns across Ukraine on Christmas Day"). A news report's undated restatement of an
/// act is that act (the lede rule of `dating::settle_ledes` for the body); an undated
/// act that says more (shelling beside a killing) stays apart.
fn restates(vague: &Event, dated: &Event) -> bool {
    if vague.event_type != dated.event_type || !vague.date_inferred {
        return false;
    }
    let (Some(v), Some(d)) = (EventDate::of_event(vague), EventDate::of_event(dated)) else {
        return false;
    };
    if days(&v) != NEWS_DAYS || days(&d) > SHORT_DAYS || d.start < v.start || d.end > v.end {
        return false;
    }
    let sub = |e: &Event| e.acled.as_ref().and_then(|a| a.sub_event_type.clone());
    // No town the dated act does not name either: "shelled Izium" is not the shelling
    // of Kharkiv city told on a day, though both lie in one region.
    let towns = vague.places.iter().all(|p| {
        dated
            .places
            .iter()
            .any(|q| q.name == p.name && q.geonames_id == p.geonames_id)
    });
    // A restatement placed only in a country says less than an act placed in one of
    // that country's regions ("Thursday's missile strikes…" after "Russia hit Kyiv").
    let vaguer = vague.regions.is_empty()
        && !dated.regions.is_empty()
        && !vague.countries.is_empty()
        && vague
            .countries
            .iter()
            .all(|c| dated.regions.iter().any(|r| r.country == *c));
    (sub(vague).is_none() || sub(vague) == sub(dated))
        && towns
        && (same_place(vague, dated) || vaguer)
}

/// Adds `ev` to the article's events `out`, or merges it into the event it restates;
/// returns the index of that event when it merged.
pub fn add(out: &mut Vec<Event>, ev: Event) -> Option<usize> {
    let Some(k) = out
        .iter()
        .position(|o| same_happening(o, &ev) || restates(o, &ev) || restates(&ev, o))
    else {
        out.push(ev);
        return None;
    };
    // The act told with its day leads the evidence: the undated restatement only
    // adds to it. (The earlier event stays, so its id, which the trace has noted,
    // stays too.)
    let dated_first = restates(&out[k], &ev) && !same_happening(&out[k], &ev);
    let kept = &mut out[k];
    if let (Some(dk), Some(de)) = (EventDate::of_event(kept), EventDate::of_event(&ev))
        && days(&de) < days(&dk)
    {
        kept.date = ev.date.clone();
        kept.end_date = ev.end_date.clone();
        kept.date_precision = ev.date_precision;
        kept.date_inferred = ev.date_inferred;
    }
    kept.confidence = kept.confidence.max(ev.confidence);
    let mut at = 0;
    for s in ev.sources {
        if !kept
            .sources
            .iter()
            .any(|x| x.article_id == s.article_id && x.evidence.start == s.evidence.start)
        {
            if dated_first {
                kept.sources.insert(at, s);
                at += 1;
            } else {
                kept.sources.push(s);
            }
        }
    }
    Some(k)
}

/// Adds `ev`, an event of sentence `i`, to the article's events `out` region by
/// region ([`per_region`], [`add`]), noting in `trace` what the sentence made or
/// restated; the ids of the events new to the article.
pub fn add_traced(
    out: &mut Vec<Event>,
    ev: Event,
    i: usize,
    mut trace: Option<&mut Trace>,
) -> Vec<String> {
    let mut new = Vec::new();
    for ev in per_region(ev) {
        let id = ev.id.clone();
        let merged = add(out, ev);
        match (merged, trace.as_deref_mut()) {
            (None, Some(t)) => t.made(i, &id),
            (Some(k), Some(t)) => t.merged(i, &out[k].id),
            (_, None) => {}
        }
        if merged.is_none() {
            new.push(id);
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;
    use crate::pipeline::Extractor;
    use crate::pipeline::events::ArticleInput;

    fn events(text: &str) -> Vec<Event> {
        let x = Extractor::new(Knowledge::embedded());
        x.extract(&ArticleInput {
            published: Some(jiff::civil::date(2022, 6, 27)),
            language: Some("en".into()),
            text: text.into(),
            ..Default::default()
        })
        .unwrap()
        .events
    }

    fn regions(e: &Event) -> Vec<&str> {
        e.regions.iter().map(|r| r.iso_code.as_str()).collect()
    }

    #[test]
    fn a_strike_on_several_regions_is_one_event_per_region() {
        let ev = events(
            "On June 26, 2022, Russian missiles struck army training centres in the Chernihiv, Zhytomyr and Lviv regions.",
        );
        let got: Vec<Vec<&str>> = ev.iter().map(regions).collect();
        assert_eq!(got, [["UA-74"], ["UA-18"], ["UA-46"]], "{ev:#?}");
        let ids: std::collections::BTreeSet<&str> = ev.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), 3);
    }

    fn events_in(lang: &str, text: &str) -> Vec<Event> {
        let x = Extractor::new(Knowledge::embedded());
        x.extract(&ArticleInput {
            published: Some(jiff::civil::date(2022, 6, 27)),
            language: Some(lang.into()),
            text: text.into(),
            ..Default::default()
        })
        .unwrap()
        .events
    }

    #[test]
    fn an_undated_restatement_of_a_dated_act_is_that_act() {
        for (lang, text) in [
            (
                "en",
                "The weather was mild in Geneva.\nRussian missiles struck Kharkiv on Sunday. Russian troops attacked Kharkiv, the governor said.",
            ),
            (
                "id",
                "Cuaca di Jenewa cerah.\nRudal Rusia menghantam Kharkiv pada hari Minggu. Pasukan Rusia menyerang Kharkiv, kata gubernur.",
            ),
            (
                "ru",
                "В Женеве было тепло.\nРоссийские ракеты ударили по Харькову в воскресенье. Российские войска атаковали Харьков, сообщил губернатор.",
            ),
        ] {
            let ev = events_in(lang, text);
            let assaults: Vec<&Event> = ev.iter().filter(|e| e.event_type == "assault").collect();
            assert_eq!(assaults.len(), 1, "{text}: {ev:#?}");
            assert_eq!(assaults[0].date, "2022-06-26", "{text}");
            assert_eq!(assaults[0].sources.len(), 2, "{text}");
            // The dated report leads the evidence.
            assert!(
                assaults[0].sources[0]
                    .evidence
                    .text
                    .contains("Kharkiv on Sunday")
                    || assaults[0].sources[0].evidence.text.contains("Minggu")
                    || assaults[0].sources[0].evidence.text.contains("воскресенье"),
                "{text}"
            );
        }
        // Told the other way round, the dated act still leads.
        let ev = events_in(
            "en",
            "The weather was mild in Geneva.\nRussian troops attacked Kharkiv, the governor said. Russian missiles struck Kharkiv on Sunday.",
        );
        let assaults: Vec<&Event> = ev.iter().filter(|e| e.event_type == "assault").collect();
        assert_eq!(assaults.len(), 1, "{ev:#?}");
        assert_eq!(assaults[0].date, "2022-06-26");
        assert!(assaults[0].sources[0].evidence.text.contains("on Sunday"));
        // An undated act that says more than the dated one (shelling beside an
        // attack of no stated means) is told apart. (In a new paragraph: right after
        // the dated sentence it takes that sentence's day, `dating::narrative_time`.)
        let ev = events_in(
            "en",
            "The weather was mild in Geneva.\nRussian troops attacked Kharkiv on Sunday.\nRussian artillery shelled Kharkiv, the governor said.",
        );
        assert_eq!(
            ev.iter().filter(|e| e.event_type == "assault").count(),
            2,
            "{ev:#?}"
        );
    }

    #[test]
    fn fighting_along_a_front_across_two_regions_stays_one_event() {
        let ev = events(
            "On June 26, 2022, heavy fighting went on in the Donetsk and Zaporizhzhia regions.",
        );
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(regions(&ev[0]).len(), 2);
    }
    #[test]
    fn an_undated_restatement_placed_only_in_the_country_is_the_act_in_its_region() {
        let ev = events(
            "The weather was mild in Geneva.\nRussian missiles struck Kharkiv on Sunday.\nRussian forces attacked Ukraine, the governor said.",
        );
        let assaults: Vec<&Event> = ev.iter().filter(|e| e.event_type == "assault").collect();
        assert_eq!(assaults.len(), 1, "{ev:#?}");
        assert_eq!(regions(assaults[0]), ["UA-63"]);
        assert_eq!(assaults[0].sources.len(), 2);
        // Placed in another country, it is another act.
        let ev = events(
            "The weather was mild in Geneva.\nRussian missiles struck Kharkiv on Sunday.\nRussian forces attacked Poland, the governor said.",
        );
        assert_eq!(
            ev.iter().filter(|e| e.event_type == "assault").count(),
            2,
            "{ev:#?}"
        );
    }
}
