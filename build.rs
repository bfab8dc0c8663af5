//! Compiles the town list (`data/gazetteer/places.tsv`, about 140,000 places and
//! 460,000 names) into the compact form `src/pipeline/places/towns.rs` reads in place,
//! so that start-up builds nothing:
//!
//! * `towns-all.fst`, `towns-uncapitalised.fst`: folded name → `group << 2 | flags`
//!   (`src/text/compiled.rs`, shared with the crate, folds and compiles them);
//! * `towns-groups.bin`: per group, little-endian u32 words `n, row₁ … rowₙ`, the rows
//!   (in file order) of the places that bear the name; a group is its first word's index;
//! * `towns-rows.bin`: per row, the u32 byte offset of its line in the file;
//! * `towns-own-names.fst`: folded name → group (in `towns-groups.bin`) of the places
//!   whose own name (the `name` column) it is but that are not found by it, because
//!   the build script left it out of their aliases (an ordinary word, a country's
//!   name: Manhattan, Kansas; Lebanon, Pennsylvania). Never matched in text: once a
//!   name is found for another place (Manhattan, New York; the country Lebanon), these
//!   are its namesakes too.

use std::collections::BTreeMap;
use std::path::PathBuf;

#[path = "src/text/compiled.rs"]
#[allow(dead_code)]
mod compiled;

const PLACES: &str = "data/gazetteer/places.tsv";

fn main() {
    println!("cargo::rerun-if-changed={PLACES}");
    println!("cargo::rerun-if-changed=src/text/compiled.rs");
    let text = std::fs::read_to_string(PLACES).expect("data/gazetteer/places.tsv");
    let mut rows: Vec<u32> = Vec::new();
    // Folded name → (rows, flags every spelling of it has).
    let mut names: BTreeMap<String, (Vec<u32>, u64)> = BTreeMap::new();
    // Folded own name → rows not found by it.
    let mut hidden: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut header = true;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if std::mem::take(&mut header) {
            continue;
        }
        let row = u32::try_from(rows.len()).expect("fewer than 2^32 rows");
        rows.push(u32::try_from(start).expect("places.tsv under 4 GiB"));
        let aliases = line.trim_end().split('\t').nth(7).unwrap_or("");
        let own = line.split('\t').nth(1).and_then(compiled::phrase_key);
        if let Some((key, _)) = own
            && !aliases
                .split('|')
                .any(|a| compiled::phrase_key(a).is_some_and(|(k, _)| k == key))
        {
            hidden.entry(key).or_default().push(row);
        }
        for alias in aliases.split('|') {
            let Some((key, flags)) = compiled::phrase_key(alias) else {
                continue;
            };
            let (group, all_flags) = names.entry(key).or_insert((Vec::new(), flags));
            // A name matches as its least demanding spelling does.
            *all_flags &= flags;
            if group.last() != Some(&row) {
                group.push(row);
            }
        }
    }
    let mut groups: Vec<u32> = Vec::new();
    let mut keys: BTreeMap<String, u64> = BTreeMap::new();
    for (key, (group, flags)) in names {
        let at = u64::try_from(groups.len()).expect("small");
        groups.push(u32::try_from(group.len()).expect("small"));
        groups.extend(group);
        keys.insert(key, at << compiled::FLAG_BITS | flags);
    }
    let mut own_names = fst::MapBuilder::memory();
    for (key, group) in hidden {
        let at = u64::try_from(groups.len()).expect("small");
        groups.push(u32::try_from(group.len()).expect("small"));
        groups.extend(group);
        own_names.insert(key, at).expect("sorted keys");
    }
    let own_names = own_names.into_inner().expect("fst in memory");
    let (all, uncapitalised) = compiled::compile(&keys).expect("sorted keys");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let words = |v: &[u32]| v.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>();
    for (name, bytes) in [
        ("towns-all.fst", all),
        ("towns-uncapitalised.fst", uncapitalised),
        ("towns-groups.bin", words(&groups)),
        ("towns-rows.bin", words(&rows)),
        ("towns-own-names.fst", own_names),
    ] {
        std::fs::write(out.join(name), bytes).expect("write to OUT_DIR");
    }
}
