//! Parity across the four languages: one short news text about the same five
//! happenings, written for this test in Indonesian, English, Russian and Ukrainian
//! (each in the way that language's news writes it: its date orders, relative days,
//! case forms and front "directions"), must give the same events — the same dates,
//! regions and event types — in every language.

#![cfg(test)]

use std::collections::BTreeSet;

use jiff::civil::date;

use super::events::{ArticleInput, Extractor};
use crate::knowledge::Knowledge;

/// Published on Saturday 15 March 2025. The happenings: a drone attack on Kharkiv the
/// day before; a village retaken near Pokrovsk on 12 March; civilians killed by
/// shelling in Kherson on Monday (10 March); a prisoner exchange on 5 March; a
/// Russian–North Korean agreement signed in Pyongyang in February 2025.
const ARTICLES: &[(&str, &str)] = &[
    (
        "id",
        "Drone Rusia menyerang Kharkiv kemarin dan merusak sejumlah blok apartemen.\n\
         Pada 12 Maret, pasukan Ukraina merebut kembali sebuah desa di arah Pokrovsk, kata Staf Umum.\n\
         Penembakan Rusia menewaskan tiga warga sipil di Kherson pada hari Senin.\n\
         Pada 5 Maret, Ukraina dan Rusia melakukan pertukaran tahanan.\n\
         Pada Februari 2025, Rusia dan Korea Utara menandatangani perjanjian penerbangan di Pyongyang.",
    ),
    (
        "en",
        "Russian drones attacked Kharkiv yesterday, damaging several apartment blocks.\n\
         On March 12, Ukrainian troops recaptured a village in the Pokrovsk direction, the General Staff said.\n\
         Russian shelling killed three civilians in Kherson on Monday.\n\
         On March 5, Ukraine and Russia carried out a prisoner exchange.\n\
         In February 2025, Russia and North Korea signed an air links agreement in Pyongyang.",
    ),
    (
        "ru",
        "Российские беспилотники вчера атаковали Харьков, повреждены несколько жилых домов.\n\
         12 марта украинские военные отбили село на Покровском направлении, сообщил Генштаб.\n\
         В понедельник в результате обстрела Херсона погибли трое мирных жителей.\n\
         5 марта Украина и Россия провели обмен пленными.\n\
         В феврале 2025 года Россия и КНДР подписали в Пхеньяне соглашение об авиасообщении.",
    ),
    (
        "uk",
        "Російські безпілотники вчора атакували Харків, пошкоджено кілька житлових будинків.\n\
         12 березня українські військові відбили село на Покровському напрямку, повідомив Генштаб.\n\
         У понеділок внаслідок обстрілу Херсона загинули троє цивільних.\n\
         5 березня Україна та Росія провели обмін полоненими.\n\
         У лютому 2025 року Росія та КНДР підписали в Пхеньяні угоду про авіасполучення.",
    ),
];

/// (date, end date, regions, event type) of every event.
type Key = (String, Option<String>, Vec<String>, String);

fn events_of(x: &Extractor, lang: &str, text: &str) -> BTreeSet<Key> {
    let out = x
        .extract(&ArticleInput {
            published: Some(date(2025, 3, 15)),
            language: Some(lang.into()),
            text: text.into(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{lang}: {e}"));
    out.events
        .iter()
        .map(|e| {
            (
                e.date.clone(),
                e.end_date.clone(),
                e.regions.iter().map(|r| r.iso_code.clone()).collect(),
                e.event_type.clone(),
            )
        })
        .collect()
}

fn key(d: &str, regions: &[&str], kind: &str) -> Key {
    (
        d.to_string(),
        None,
        regions.iter().map(|r| r.to_string()).collect(),
        kind.to_string(),
    )
}

#[test]
fn every_language_extracts_the_same_five_happenings() {
    let x = Extractor::new(Knowledge::embedded());
    let expected: BTreeSet<Key> = [
        key("2025-03-14", &["UA-63"], "assault"),
        key("2025-03-12", &["UA-14"], "assault"),
        key("2025-03-10", &["UA-65"], "assault"),
        key("2025-03-05", &[], "cooperate"),
        key("2025-02", &["KP-01"], "agree"),
    ]
    .into_iter()
    .collect();
    for (lang, text) in ARTICLES {
        let got = events_of(&x, lang, text);
        assert_eq!(got, expected, "{lang}");
    }
}

#[test]
fn every_language_places_the_front_direction_and_the_republics() {
    let x = Extractor::new(Knowledge::embedded());
    for (lang, text) in [
        (
            "en",
            "On March 12, Russian forces attacked in the Kupiansk direction.",
        ),
        (
            "ru",
            "12 марта российские войска атаковали на Купянском направлении.",
        ),
        (
            "uk",
            "12 березня російські війська атакували на Куп'янському напрямку.",
        ),
        (
            "id",
            "Pada 12 Maret, pasukan Rusia menyerang di arah Kupiansk.",
        ),
    ] {
        let got = events_of(&x, lang, text);
        assert_eq!(
            got,
            [key("2025-03-12", &["UA-63"], "assault")]
                .into_iter()
                .collect(),
            "{lang}"
        );
    }
    for (lang, text) in [
        ("en", "On March 12, shelling killed two people in the DPR."),
        (
            "ru",
            "12 марта в результате обстрела в ДНР погибли два человека.",
        ),
        (
            "uk",
            "12 березня внаслідок обстрілу в ДНР загинули двоє людей.",
        ),
    ] {
        let got = events_of(&x, lang, text);
        assert_eq!(
            got,
            [key("2025-03-12", &["UA-14"], "assault")]
                .into_iter()
                .collect(),
            "{lang}"
        );
    }
}

#[test]
fn every_language_names_each_oblast_of_a_list() {
    let x = Extractor::new(Knowledge::embedded());
    let four = ["UA-09", "UA-14", "UA-23", "UA-65"];
    for (lang, text) in [
        (
            "id",
            "Pada 30 September 2022, Putin menandatangani dokumen aneksasi wilayah Donetsk, Luhansk, Zaporizhzhia, dan Kherson.",
        ),
        (
            "en",
            "On 30 September 2022, Putin signed documents annexing the Donetsk, Luhansk, Zaporizhzhia and Kherson regions.",
        ),
        (
            "ru",
            "30 сентября 2022 года Путин подписал документы о присоединении Донецкой, Луганской, Запорожской и Херсонской областей.",
        ),
        (
            "uk",
            "30 вересня 2022 року Путін підписав документи про приєднання Донецької, Луганської, Запорізької та Херсонської областей.",
        ),
    ] {
        let got = events_of(&x, lang, text);
        let regions: BTreeSet<Vec<String>> = got
            .iter()
            .map(|(d, _, r, _)| {
                assert_eq!(d, "2022-09-30", "{lang}");
                let mut r = r.clone();
                r.sort();
                r
            })
            .collect();
        assert_eq!(
            regions,
            [four.iter().map(|s| s.to_string()).collect::<Vec<_>>()]
                .into_iter()
                .collect(),
            "{lang}: {got:?}"
        );
    }
}

#[test]
fn every_language_reads_a_list_of_headlines() {
    let x = Extractor::new(Knowledge::embedded());
    // Two headlines published on 15 March 2025: each is the news of its day.
    let expected: BTreeSet<Key> = [
        (
            "2025-03-14".to_string(),
            Some("2025-03-15".to_string()),
            vec!["UA-65".to_string()],
            "assault".to_string(),
        ),
        (
            "2025-03-14".to_string(),
            Some("2025-03-15".to_string()),
            vec!["UA-63".to_string()],
            "assault".to_string(),
        ),
    ]
    .into_iter()
    .collect();
    for (lang, text) in [
        (
            "id",
            "Serangan drone Rusia menewaskan dua warga sipil di Kherson\nPasukan Rusia menembaki Kupiansk",
        ),
        (
            "en",
            "Russian drone attack kills two civilians in Kherson\nRussian forces shell Kupiansk",
        ),
        (
            "ru",
            "В Херсоне в результате атаки дронов погибли двое мирных жителей\nРоссийские войска обстреляли Купянск",
        ),
        (
            "uk",
            "У Херсоні внаслідок атаки дронів загинули двоє цивільних\nРосійські війська обстріляли Куп'янськ",
        ),
    ] {
        assert_eq!(events_of(&x, lang, text), expected, "{lang}");
    }
}
