//! Demo articles written for linimasa (data/demo): public facts of the Russia–Ukraine
//! war, and of Gaza, Papua, Sudan and Myanmar, in our own words, in Indonesian, English, Russian and
//! Ukrainian. `serve --demo`
//! ingests them so that a fresh clone has a timeline to look at.

/// (file name, JSON) of every demo article.
pub const ARTICLES: [(&str, &str); 15] = [
    (
        "01-kursk-incursion-sudzha.json",
        include_str!("../data/demo/01-kursk-incursion-sudzha.json"),
    ),
    (
        "02-kursk-incursion-begins.json",
        include_str!("../data/demo/02-kursk-incursion-begins.json"),
    ),
    (
        "03-sudzha-retaken.json",
        include_str!("../data/demo/03-sudzha-retaken.json"),
    ),
    (
        "04-kakhovka-dam.json",
        include_str!("../data/demo/04-kakhovka-dam.json"),
    ),
    (
        "05-okhmatdyt-strike.json",
        include_str!("../data/demo/05-okhmatdyt-strike.json"),
    ),
    (
        "06-russia-dprk-treaty.json",
        include_str!("../data/demo/06-russia-dprk-treaty.json"),
    ),
    (
        "07-invasion-anniversary.json",
        include_str!("../data/demo/07-invasion-anniversary.json"),
    ),
    (
        "08-kherson-liberated.json",
        include_str!("../data/demo/08-kherson-liberated.json"),
    ),
    (
        "09-avdiivka-withdrawal.json",
        include_str!("../data/demo/09-avdiivka-withdrawal.json"),
    ),
    (
        "10-zaporizhzhia-npp.json",
        include_str!("../data/demo/10-zaporizhzhia-npp.json"),
    ),
    (
        "11-rafah-crossing.json",
        include_str!("../data/demo/11-rafah-crossing.json"),
    ),
    (
        "12-nduga-pilot.json",
        include_str!("../data/demo/12-nduga-pilot.json"),
    ),
    (
        "13-el-fasher-falls.json",
        include_str!("../data/demo/13-el-fasher-falls.json"),
    ),
    (
        "14-pazigyi-airstrike.json",
        include_str!("../data/demo/14-pazigyi-airstrike.json"),
    ),
    (
        "15-khan-younis-withdrawal.json",
        include_str!("../data/demo/15-khan-younis-withdrawal.json"),
    ),
];
