//! The town list: every populated place of the gazetteer (`data/gazetteer/places.tsv`),
//! held as the file itself plus the maps `build.rs` compiled from it, all embedded in
//! the binary and read in place. Start-up builds nothing and a place's record is read
//! from its line when it is asked for, so the worldwide list costs no heap and no time
//! until a name of it is found.

use crate::text::{CompiledPhrases, FoldedSlice, Hit, Starts};

const PLACES: &str = include_str!("../../../data/gazetteer/places.tsv");
const ALL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/towns-all.fst"));
const UNCAPITALISED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/towns-uncapitalised.fst"));
const GROUPS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/towns-groups.bin"));
const ROWS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/towns-rows.bin"));
const OWN_NAMES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/towns-own-names.fst"));

/// A town or city of the gazetteer, as its line in `places.tsv` gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Locality {
    pub geonames_id: Option<i64>,
    pub name: &'static str,
    pub country: &'static str,
    /// ISO 3166-2 code of the first-level region it lies in.
    pub region: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// Its names, `|`-separated (see [`Locality::aliases`]).
    aliases: &'static str,
}

impl Locality {
    /// The names (with their case forms) the place is found by.
    pub fn aliases(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.aliases.split('|').filter(|a| !a.trim().is_empty())
    }
}

/// A line of the town list that does not read as a place.
#[derive(Debug, thiserror::Error)]
#[error("places.tsv row {row}: {msg}")]
pub struct RowError {
    pub row: usize,
    pub msg: String,
}

pub struct Towns {
    names: CompiledPhrases<&'static [u8]>,
    /// Folded own name → group of the places not found by it (`build.rs`).
    own_names: fst::Map<&'static [u8]>,
}

fn word(bytes: &[u8], i: usize) -> Option<usize> {
    let w = bytes.get(i * 4..i * 4 + 4)?;
    usize::try_from(u32::from_le_bytes(w.try_into().ok()?)).ok()
}

impl Towns {
    /// The list embedded in the binary.
    pub fn embedded() -> Towns {
        Towns {
            names: CompiledPhrases::new(ALL, UNCAPITALISED)
                .expect("build.rs wrote the maps with the same fst crate"),
            own_names: fst::Map::new(OWN_NAMES)
                .expect("build.rs wrote the map with the same fst crate"),
        }
    }

    /// How many places the list holds.
    pub fn len(&self) -> usize {
        ROWS.len() / 4
    }

    pub fn is_empty(&self) -> bool {
        ROWS.is_empty()
    }

    /// The place of row `i` (`0..len()`); `None` outside the list or for a row that
    /// does not read (which the tests rule out for the embedded list).
    pub fn get(&self, i: usize) -> Option<Locality> {
        self.read(i).ok()
    }

    /// The place of row `i`, or why its line does not read.
    pub fn read(&self, i: usize) -> Result<Locality, RowError> {
        let err = |msg: String| RowError { row: i, msg };
        let start = word(ROWS, i).ok_or_else(|| err("no such row".into()))?;
        let line = PLACES
            .get(start..)
            .and_then(|rest| rest.lines().next())
            .ok_or_else(|| err("offset outside the file".into()))?;
        let f: Vec<&'static str> = line.split('\t').map(str::trim).collect();
        if f.len() < 7 {
            return Err(err(format!("{} columns", f.len())));
        }
        let coord = |s: &str| -> Result<f64, RowError> {
            s.parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| err(format!("{s:?} is not a coordinate")))
        };
        Ok(Locality {
            geonames_id: match f[0] {
                "" => None,
                s => Some(
                    s.parse()
                        .map_err(|_| err(format!("{s:?} is not a GeoNames id")))?,
                ),
            },
            name: f[1],
            country: f[2],
            region: f[3],
            lat: coord(f[4])?,
            lon: coord(f[5])?,
            population: f[6].parse().unwrap_or(0),
            aliases: f.get(7).copied().unwrap_or(""),
        })
    }

    /// Every place, in the file's order.
    pub fn iter(&self) -> impl Iterator<Item = Locality> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The population of the biggest town the list holds in first-level region
    /// `region` (an ISO 3166-2 code of `country`; 0 where it holds none): how big a
    /// region's own cities are, to weigh the region's name against a city's. The file
    /// is sorted by country and region (`scripts/build_places.py`), so the region's
    /// rows are found by bisection.
    pub fn biggest_in(&self, country: &str, region: &str) -> u64 {
        // The first row not before (country, region).
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self
                .get(mid)
                .is_some_and(|p| (p.country, p.region) < (country, region))
            {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo..self.len())
            .map_while(|i| {
                self.get(i)
                    .filter(|p| (p.country, p.region) == (country, region))
            })
            .map(|p| p.population)
            .max()
            .unwrap_or(0)
    }

    /// The rows of the places a name found by [`Towns::find_folded`] (its hit's
    /// payload) may mean, in the file's order.
    pub fn candidates(&self, group: usize) -> Vec<usize> {
        let n = word(GROUPS, group).unwrap_or(0);
        (group + 1..group + 1 + n)
            .filter_map(|w| word(GROUPS, w))
            .collect()
    }

    /// The rows of the places whose own name is `name` but that the list does not
    /// find by it (an ordinary word or a country's name left out of their aliases:
    /// Manhattan, Kansas; Lebanon, Pennsylvania): namesakes of a place that is found by
    /// the name, or of the country or region it names, never matched on their own.
    pub fn unlisted_namesakes(&self, name: &str) -> Vec<usize> {
        crate::text::phrase_key(name)
            .and_then(|(key, _)| self.own_names.get(key))
            .and_then(|g| usize::try_from(g).ok())
            .map(|g| self.candidates(g))
            .unwrap_or_default()
    }

    /// The places a name found in the text (`surface`, its hit's `group`) may mean:
    /// those found by it and its unlisted namesakes, in the file's order.
    pub fn namesakes(&self, group: usize, surface: &str) -> Vec<usize> {
        let mut v = self.candidates(group);
        let more = self.unlisted_namesakes(surface);
        if !more.is_empty() {
            v.extend(more);
            v.sort_unstable();
            v.dedup();
        }
        v
    }

    /// The group (a hit's payload) of the places a name found in the text may mean:
    /// those the list finds by it, else its unlisted namesakes.
    pub fn group_of(&self, name: &str) -> Option<usize> {
        self.named(name).or_else(|| {
            crate::text::phrase_key(name)
                .and_then(|(key, _)| self.own_names.get(key))
                .and_then(|g| usize::try_from(g).ok())
        })
    }

    /// The group of places a name means, if the list holds it.
    pub fn named(&self, name: &str) -> Option<usize> {
        self.names.get(name)
    }

    /// Town names in `text`, whose fold is `folded`: non-overlapping,
    /// leftmost-longest, on word boundaries, and capitalised where the list writes
    /// them so. A hit's payload is a group for [`Towns::candidates`].
    pub fn find_folded(&self, text: &str, folded: FoldedSlice) -> Vec<Hit> {
        self.names.find_folded(text, folded)
    }

    /// As [`Towns::find_folded`], from the fold's word starts (found once for every
    /// list walked over the sentence).
    pub fn find_starts(&self, text: &str, folded: FoldedSlice, starts: &Starts) -> Vec<Hit> {
        self.names.find_starts(text, folded, starts)
    }

    pub fn find(&self, text: &str) -> Vec<Hit> {
        self.names.find(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;
    use crate::text::fold;

    fn place_by_id(kb: &Knowledge, id: i64) -> Locality {
        kb.towns
            .iter()
            .find(|p| p.geonames_id == Some(id))
            .unwrap_or_else(|| panic!("GeoNames {id} not in places.tsv"))
    }

    #[test]
    fn geonames_admin1_codes_become_iso_regions() {
        let kb = Knowledge::embedded();
        // GeoNames admin1 → ISO 3166-2, as scripts/build_places.py maps them.
        for (id, geonames_admin1, iso) in [
            (709717, "UA.05", "UA-14"),  // Donetsk
            (703845, "UA.04", "UA-12"),  // Kryvyi Rih
            (709276, "UA.26", "UA-23"),  // Enerhodar
            (707292, "UA.07", "UA-63"),  // Izium
            (699839, "UA.08", "UA-65"),  // Nova Kakhovka
            (711350, "UA.13", "UA-32"),  // Bucha
            (486816, "RU.41", "RU-KRS"), // Sudzha
            (565348, "RU.61", "RU-ROS"), // Donetsk, Rostov Oblast
            (2017824, "RU.63", "RU-SA"), // Pokrovsk, Sakha
            (563464, "RU.67", "RU-SAR"), // Engels
            (625144, "BY.04", "BY-HM"),  // Minsk
            (1871859, "KP.12", "KP-01"), // Pyongyang
        ] {
            let p = place_by_id(&kb, id);
            assert_eq!(p.region, iso, "{} ({geonames_admin1})", p.name);
            assert_eq!(p.country, &iso[..2]);
        }
    }

    /// Every row reads, lies in a known region of its country, and is found by each
    /// of its names (folded as the matchers fold them) in its group.
    #[test]
    fn every_place_reads_lies_in_its_country_and_is_found_by_its_names() {
        let kb = Knowledge::embedded();
        let towns = &kb.towns;
        assert!(towns.len() > 3000, "{}", towns.len());
        for i in 0..towns.len() {
            let p = towns.read(i).unwrap_or_else(|e| panic!("{e}"));
            let r = kb.region(p.region).expect("region exists");
            assert_eq!(r.country, p.country, "{}", p.name);
            assert!(p.aliases().next().is_some(), "{}", p.name);
            for a in p.aliases() {
                let g = towns.named(a).unwrap_or_else(|| panic!("{a:?} not found"));
                assert!(towns.candidates(g).contains(&i), "{a:?}");
                // The build script folded it as the text matchers do.
                assert_eq!(
                    crate::text::phrase_key(a).map(|k| k.0),
                    Some(fold(a.trim()))
                );
            }
        }
        assert!(towns.get(towns.len()).is_none());
    }

    #[test]
    fn the_biggest_town_of_a_region_is_found_by_bisection() {
        let kb = Knowledge::embedded();
        let towns = &kb.towns;
        // The bisection needs the file sorted by country and region.
        let keys: Vec<(&str, &str)> = towns.iter().map(|p| (p.country, p.region)).collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]));
        for (country, region) in [
            ("CA", "CA-ON"),
            ("JM", "JM-04"),
            ("UA", "UA-14"),
            ("AD", "AD-07"),
        ] {
            let want = towns
                .iter()
                .filter(|p| (p.country, p.region) == (country, region))
                .map(|p| p.population)
                .max()
                .unwrap_or(0);
            assert_eq!(towns.biggest_in(country, region), want, "{region}");
        }
        assert!(towns.biggest_in("CA", "CA-ON") > 2_000_000, "Toronto");
        assert!(towns.biggest_in("JM", "JM-04") < 100_000, "Port Antonio");
        assert_eq!(towns.biggest_in("XX", "XX-00"), 0);
    }

    #[test]
    fn curated_war_places_are_in_the_right_regions() {
        let kb = Knowledge::embedded();
        let region_of = |name: &str| -> Vec<&str> {
            let mut v: Vec<&str> = kb
                .towns
                .iter()
                .filter(|p| p.name == name)
                .map(|p| p.region)
                .collect();
            v.sort();
            v
        };
        for (name, regions) in [
            ("Sudzha", vec!["RU-KRS"]),
            ("Avdiivka", vec!["UA-14"]),
            ("Bakhmut", vec!["UA-14"]),
            ("Pokrovsk", vec!["RU-SA", "UA-14"]),
            ("Donetsk", vec!["RU-ROS", "UA-14"]),
            ("Robotyne", vec!["UA-23"]),
            ("Enerhodar", vec!["UA-23"]),
            ("Kupiansk", vec!["UA-63"]),
            ("Krynky", vec!["UA-65"]),
            ("Snihurivka", vec!["UA-48"]),
            ("Chornobyl", vec!["UA-32"]),
            ("Sievierodonetsk", vec!["UA-09"]),
            ("Graivoron", vec!["RU-BEL"]),
            ("Tyotkino", vec!["RU-KRS"]),
        ] {
            assert_eq!(region_of(name), regions, "{name}");
        }
    }

    #[test]
    fn namesakes_share_one_group() {
        let kb = Knowledge::embedded();
        let hits = kb.towns.find("Pokrovsk");
        assert_eq!(hits.len(), 1);
        let mut regions: Vec<&str> = kb
            .towns
            .candidates(hits[0].payload)
            .iter()
            .filter_map(|&i| kb.towns.get(i))
            .map(|p| p.region)
            .collect();
        regions.sort();
        assert_eq!(regions, ["RU-SA", "UA-14"]);
    }

    #[test]
    fn own_names_left_out_of_the_aliases_are_unlisted_namesakes() {
        let kb = Knowledge::embedded();
        let regions = |rows: Vec<usize>| -> Vec<&str> {
            let mut v: Vec<&str> = rows
                .iter()
                .filter_map(|&i| kb.towns.get(i))
                .map(|p| p.region)
                .collect();
            v.sort();
            v
        };
        // "Lebanon" (a country's name) finds no town, yet towns bear it.
        assert!(kb.towns.named("Lebanon").is_none());
        let lebanon = regions(kb.towns.unlisted_namesakes("Lebanon"));
        assert!(
            lebanon.contains(&"US-PA") && lebanon.contains(&"US-OH"),
            "{lebanon:?}"
        );
        // "Manhattan" finds New York's; Kansas's is its namesake.
        let g = kb.towns.named("Manhattan").expect("Manhattan, New York");
        assert_eq!(regions(kb.towns.candidates(g)), ["US-NY"]);
        let all = regions(kb.towns.namesakes(g, "Manhattan"));
        assert!(all.contains(&"US-KS") && all.contains(&"US-NY"), "{all:?}");
        // A name every bearer is found by has none.
        assert!(kb.towns.unlisted_namesakes("Sudzha").is_empty());
    }
}
