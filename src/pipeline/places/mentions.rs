//! The places of an article's sentences, sentence by sentence: what `events` asks of
//! place resolution. [`Mentions`] reads an article in two passes, as the pipeline
//! does. The first ([`Mentions::read_article`]: [`Mentions::read`], every sentence in
//! order) keeps the region, town and country names that stand for places, learns from
//! them where the article is ([`ArticleContext`]) and marks the toponyms that are no
//! place of the sentence's events. The second ([`Mentions::place`]) resolves each sentence's names against
//! the whole article and gives the towns, regions and countries where its events
//! happened.
//!
//! A toponym is no place of an event when it is part of another name (an agreement's,
//! a conference's, a newspaper's: [`names`]), opens a line as a dateline, or is a
//! person's surname: right after a first name ("Dmitry Kozak"), or anywhere in an
//! article that both puts a first name before it and tells of it as a speaker ("John
//! Kerry", "Kerry said"), except after a locative ("in Kerry"). Where a strike came
//! from ([`scene::origins`]) is no region or country it happened in. A sentence that
//! tells of a material act without any place of its own continues the places of the
//! sentence right before it in its paragraph.
//!
//! A country's demonym that is also a town's name ("Chadian", a town in China) is the
//! demonym, not the town, where it stands before a noun ("Chadian police"); a country
//! that Indonesian names after a noun of its forces or office-holders ("pasukan Chad")
//! is who acted, as a demonym is, and no place of the event where the sentence names
//! another.

use std::collections::{BTreeMap, BTreeSet};

use super::names::{self, Names};
use super::{
    ArticleContext, PlaceHit, PlaceWords, SentenceNames, SentencePlaces, country_names_as_regions,
    country_names_as_towns, read_sentence, region_names_as_towns, settle,
};
use crate::knowledge::{Knowledge, SentenceHits};
use crate::pipeline::annotate::Trace;
use crate::pipeline::detect::{Candidate, Reading};
use crate::pipeline::scene::{self, SceneWords};
use crate::pipeline::sentences::{self, Span};
use crate::text::{Folded, FoldedSlice, Hit, fold};

/// Place resolution for one article; build one per article.
pub struct Mentions<'a> {
    kb: &'a Knowledge,
    names: &'a Names,
    language: &'a str,
    words: PlaceWords<'a>,
    scene: &'a SceneWords<'a>,
    /// Toponyms (folded) the article uses as surnames.
    surnames: BTreeSet<String>,
    /// What the whole article says about where it is.
    article: ArticleContext,
    /// The last sentence that named a place: its index, towns and regions.
    previous: Option<(usize, Vec<PlaceHit>, Vec<Hit>)>,
    /// Nouns of a country's forces and office-holders (`grammar.tsv` `force`, `title`)
    /// after which Indonesian names the country as English uses a demonym
    /// ("pasukan Chad", "Presiden Chad"); empty for the other languages.
    of_country: Vec<String>,
    /// The towns and regions the headline names ([`Mentions::headline`]).
    headline: Option<(Vec<PlaceHit>, Vec<Hit>)>,
    /// How many sentences name a town or region of each country, and how many name
    /// any ([`Mentions::focus`]).
    scenes: (BTreeMap<String, usize>, usize),
    /// The last country (an index into the knowledge's countries) the text named as a
    /// land: the country of a town or region, or a country after a preposition of
    /// place. What "the country", "negara itu", "страны", "країни" point back to.
    land: Option<usize>,
    /// The language's phrases of "the country" (`grammar.tsv` `country_anaphor`) and
    /// the distinct last words of those phrases ([`phrase_ends`]).
    anaphor: &'a [String],
    anaphor_ends: Vec<&'a str>,
}

/// A sentence's names of places as the first pass read them, before the article's
/// context is complete.
pub struct SentenceMentions {
    names: SentencePlaces,
    /// Spans of the names that toponyms are part of: where no event happened.
    not_where: Vec<(usize, usize)>,
    /// The sentence begins a line (a paragraph, a headline).
    line_start: bool,
    /// The sentence's fold holds the last word of a phrase of "the country"
    /// ([`may_hold_phrase`]): without it, no phrase can stand there.
    may_point_back: bool,
}

/// A sentence as the places pass leaves it ([`Mentions::read_article`]): its event
/// candidates and actors, its names of places as read, and the spans that tell where
/// a strike came from ([`scene::origins`]).
pub struct ReadSentence<'c> {
    pub span: Span,
    pub candidates: Vec<Candidate<'c>>,
    pub actors: Vec<Hit>,
    pub named: SentenceMentions,
    pub origins: Vec<(usize, usize)>,
}

/// Where a sentence's events happened.
pub struct Placed {
    pub places: Vec<PlaceHit>,
    pub regions: Vec<Hit>,
    pub countries: Vec<Hit>,
}

impl<'a> Mentions<'a> {
    pub fn new(
        kb: &'a Knowledge,
        names: &'a Names,
        language: &'a str,
        scene: &'a SceneWords<'a>,
    ) -> Self {
        Mentions {
            kb,
            names,
            language,
            words: PlaceWords::of(kb, language),
            scene,
            surnames: BTreeSet::new(),
            article: ArticleContext::default(),
            previous: None,
            of_country: if language == "id" {
                let (force, title) = (kb.grammar(language, "force"), kb.grammar(language, "title"));
                force.iter().chain(title).cloned().collect()
            } else {
                Vec::new()
            },
            headline: None,
            scenes: (BTreeMap::new(), 0),
            land: None,
            anaphor: kb.grammar(language, "country_anaphor"),
            anaphor_ends: phrase_ends(kb.grammar(language, "country_anaphor")),
        }
    }

    /// Reads the article's headline `s` (whose fold is `folded`, `hits` what the
    /// sentence pass found in it) after the body's first pass, so that the whole
    /// article chooses among namesakes, and keeps its towns and regions for the lede
    /// ([`Mentions::place`]). The headline adds nothing to what the article is known
    /// to name.
    pub fn headline(&mut self, s: &str, folded: FoldedSlice, mut hits: SentenceHits) {
        let (article, previous, scenes, land) = (
            self.article.clone(),
            self.previous.take(),
            self.scenes.clone(),
            self.land,
        );
        let read = self.read(s, folded, &mut hits, true, true, &[]);
        let placed = self.place(usize::MAX, s, read, &[], true, None);
        (self.article, self.previous, self.scenes, self.land) = (article, previous, scenes, land);
        if !(placed.places.is_empty() && placed.regions.is_empty()) {
            self.headline = Some((placed.places, placed.regions));
        }
    }

    /// The country where the article's own place names lie: the one whose towns or
    /// regions, or itself as a land ("in eastern Ukraine"), at least
    /// [`FOCUS_SENTENCES`] sentences name, and at least
    /// [`FOCUS_SHARE`] of the sentences that name any town or region (the document's
    /// focus, as a reader takes it from the places a report keeps naming).
    pub fn focus(&self) -> Option<String> {
        let (counts, named) = &self.scenes;
        let (country, n) = counts.iter().max_by_key(|(_, n)| **n)?;
        #[expect(clippy::cast_precision_loss, reason = "counts of sentences")]
        let share = *n as f64 / *named as f64;
        (*n >= FOCUS_SENTENCES && share >= FOCUS_SHARE).then(|| country.clone())
    }

    /// Learns the article's surnames from all its sentences (each with what the
    /// sentence pass found in it) before any is read: a toponym after a first name is a
    /// surname there ("Dmitry Kozak"); one also told of as a speaker is a surname
    /// throughout the article ("John Kerry", "Kerry said").
    pub fn learn_surnames<'s>(
        &mut self,
        sentences: impl IntoIterator<Item = (&'s str, &'s SentenceHits)>,
    ) {
        let mut surnames: BTreeSet<String> = BTreeSet::new();
        let mut speakers: BTreeSet<String> = BTreeSet::new();
        for (s, hits) in sentences {
            for h in hits.places.iter().chain(&hits.regions) {
                let others: [&[Hit]; 3] = [&hits.actors, &hits.countries, &hits.triggers];
                surnames.extend(self.names.surname(self.language, s, h, &others));
                if self.names.speaks(self.language, s, h) {
                    speakers.insert(fold(&s[h.start..h.end]));
                }
            }
        }
        surnames.retain(|n| speakers.contains(n));
        self.surnames = surnames;
    }

    /// The first pass over sentence `s` (whose fold is `folded`), in the article's
    /// order: takes its region, town and country names out of `hits` (actors and
    /// territories stay), keeps those that stand for places, and adds what they tell
    /// of where the article is. `line_start` says the sentence begins a line; `event`
    /// that it reports an event; `struck` are the spans of its words of attack.
    pub fn read(
        &mut self,
        s: &str,
        folded: FoldedSlice,
        hits: &mut SentenceHits,
        line_start: bool,
        event: bool,
        struck: &[(usize, usize)],
    ) -> SentenceMentions {
        let (names, language) = (self.names, self.language);
        // A country's demonym that is also a town's name ("Chadian", a town in China;
        // "Argentine", Michigan; "Kazakh", Azerbaijan's Gazakh) is the demonym where it
        // stands as an adjective before a noun ("Chadian police"), not the town.
        if !hits.places.is_empty() && language == "en" {
            let demonyms = self.kb.demonym_matcher().find(s);
            hits.places.retain(|h| {
                !demonyms
                    .iter()
                    .any(|d| d.start == h.start && d.end == h.end && before_noun(s, d.end))
            });
        }
        // Toponyms inside the names of agreements, conferences, newspapers and
        // people are mentions of the place, but not where the sentence's events
        // happened.
        let not_where: Vec<(usize, usize)> = hits
            .places
            .iter()
            .chain(&hits.regions)
            .filter(|h| {
                let others: [&[Hit]; 3] = [&hits.actors, &hits.countries, &hits.triggers];
                names.in_other_name(language, s, h)
                    || (line_start && names::dateline(s, h))
                    || names.surname(language, s, h, &others).is_some()
                    || (self.surnames.contains(&fold(&s[h.start..h.end]))
                        && !names.after_locative(language, s, h))
            })
            .chain(hits.countries.iter().filter(|h| {
                names.in_other_name(language, s, h) || (line_start && names::dateline(s, h))
            }))
            .map(|h| (h.start, h.end))
            .collect();
        let names = read_sentence(
            self.kb,
            language,
            s,
            folded,
            &self.words,
            SentenceNames {
                regions: std::mem::take(&mut hits.regions),
                towns: std::mem::take(&mut hits.places),
                countries: std::mem::take(&mut hits.countries),
                actors: &hits.actors,
                territories: &hits.territories,
                struck,
            },
            event,
            &mut self.article,
        );
        SentenceMentions {
            names,
            not_where,
            line_start,
            may_point_back: may_hold_phrase(folded.text, &self.anaphor_ends),
        }
    }

    /// The first pass over the places of `text` (whose fold is `folded`), read
    /// sentence by sentence in `seen`: the article's surnames first, then the
    /// headline's places, for a lede that names none (`headline`: none in a list of
    /// headlines, whose first line is the body's too), then every sentence's place
    /// names in order ([`Mentions::read`]), which tell where the article is. What each
    /// sentence read goes to `trace`.
    pub fn read_article<'c>(
        &mut self,
        (text, folded): (&str, &Folded),
        seen: Vec<Reading<'c>>,
        headline: Option<&str>,
        mut trace: Option<&mut Trace>,
    ) -> Vec<ReadSentence<'c>> {
        self.learn_surnames(
            seen.iter()
                .map(|r| (&text[r.span.start..r.span.end], &r.hits)),
        );
        if let Some(t) = headline {
            let tf = Folded::new(t);
            if let Some(hits) = self.kb.sentence_hits(self.language, t, tf.view()) {
                self.headline(t, tf.view(), hits);
            }
        }
        let mut found = Vec::new();
        for Reading {
            span,
            mut hits,
            candidates,
            aside,
            caption,
        } in seen
        {
            let struck: Vec<(usize, usize)> = candidates
                .iter()
                .filter(|c| c.plover == "assault")
                .map(|c| (c.hit.start, c.hit.end))
                .collect();
            let line_start = sentences::starts_line(text, span.start);
            let named = sentences::with_fold(text, folded, span, |s, f| {
                self.read(s, f, &mut hits, line_start, !candidates.is_empty(), &struck)
            });
            // Where a strike came from is not where it happened.
            let origins = scene::origins(&text[span.start..span.end], &candidates, self.scene);
            if let Some(t) = trace.as_deref_mut() {
                t.read(span, aside, caption, &hits.actors, &hits.territories);
            }
            found.push(ReadSentence {
                span,
                candidates,
                actors: hits.actors,
                named,
                origins,
            });
        }
        found
    }

    /// The second pass: where the events of sentence `i` (`s`, read by
    /// [`Mentions::read`]) happened, in the article's order. `origins` are the spans
    /// of the sentence that tell where a strike came from; `material` says the
    /// sentence tells of a material act (one that has a scene). The names as resolved,
    /// before the exclusions, go to `trace`.
    /// "The country" as a place ("in the south and east of the country", "di negara
    /// itu", "на востоке страны", "у цій країні", `grammar.tsv` `country_anaphor`): a
    /// definite noun phrase that points back to the last country the text named as a
    /// land ([`Mentions::land`]), before it in the sentence or in a sentence before;
    /// not to a country the sentence names as a side ("Russia escalates its campaign
    /// in the east of the country" is not in Russia). It places the sentence only
    /// where it names no town or region of its own; the land is then updated from
    /// the sentence's own towns, regions and countries of place, which are returned
    /// (indices into the knowledge's countries) in the order named.
    fn country_anaphora(
        &mut self,
        s: &str,
        places: &[PlaceHit],
        regions: &[Hit],
        countries: &mut Vec<Hit>,
        may_point_back: bool,
    ) -> Vec<usize> {
        let kb = self.kb;
        let index = |code: &str| kb.country_index(code);
        // The sentence's own lands, in the order they are named.
        let mut lands: Vec<(usize, usize)> = Vec::new();
        for p in places {
            if let Some(c) = kb.towns.get(p.place).and_then(|t| index(t.country)) {
                lands.push((p.start, c));
            }
        }
        for h in regions {
            if let Some(c) = index(&kb.regions[h.payload].country) {
                lands.push((h.start, c));
            }
        }
        for h in countries.iter() {
            if scene::after_place_preposition(&s[..h.start], self.scene) {
                lands.push((h.start, h.payload));
            }
        }
        lands.sort_unstable();
        let forms = self.anaphor;
        if places.is_empty() && regions.is_empty() && may_point_back {
            let spans = phrase_spans(s, forms);
            // The countries the sentence names (as lands, sides, their actors or
            // demonyms: "Ukrainian parties").
            let mut named: Vec<(usize, usize, usize)> = Vec::new();
            if !spans.is_empty() {
                let actors = kb.actor_matcher().find(s).into_iter().filter_map(|h| {
                    let code = kb.actors.get(h.payload)?.country.as_deref()?;
                    Some((h.start, h.end, index(code)?))
                });
                named = countries
                    .iter()
                    .chain(&kb.demonym_matcher().find(s))
                    .map(|h| (h.start, h.end, h.payload))
                    .chain(actors)
                    .collect();
                named.sort_unstable();
            }
            for (a, b) in spans {
                let before = lands.iter().rev().find(|(at, _)| *at < a).map(|&(_, c)| c);
                let here: Vec<&(usize, usize, usize)> =
                    named.iter().filter(|(_, e, _)| *e <= a).collect();
                // A sentence that names countries before the phrase keeps its
                // antecedent among them: the land, if named there; else the last
                // named in an earlier clause ("Despite Russia's crackdown, protests
                // erupted across the country"), not the side that acts in the
                // phrase's own clause ("Russia escalates its campaign in the east of
                // the country").
                let land = before.or(self.land);
                let chosen = if here.is_empty() {
                    land
                } else if let Some(c) = land.filter(|c| here.iter().any(|(_, _, k)| k == c)) {
                    Some(c)
                } else {
                    here.iter()
                        .rev()
                        .find(|(_, e, _)| s[*e..a].contains(CLAUSE_BREAKS))
                        .map(|&&(_, _, k)| k)
                };
                let Some(c) = chosen else {
                    continue;
                };
                if !countries.iter().any(|h| h.payload == c) {
                    countries.push(Hit {
                        payload: c,
                        start: a,
                        end: b,
                    });
                }
            }
        }
        if let Some(&(_, c)) = lands.last() {
            self.land = Some(c);
        }
        lands.into_iter().map(|(_, c)| c).collect()
    }

    pub fn place(
        &mut self,
        i: usize,
        s: &str,
        read: SentenceMentions,
        origins: &[(usize, usize)],
        material: bool,
        trace: Option<&mut Trace>,
    ) -> Placed {
        let (kb, article) = (self.kb, &self.article);
        let SentencePlaces {
            mut regions,
            towns: mut place_names,
            mut countries,
        } = read.names;
        country_names_as_regions(kb, s, &mut regions, &mut countries, article);
        country_names_as_towns(kb, s, &mut place_names, &mut countries, article);
        region_names_as_towns(kb, s, &mut place_names, &mut regions, article);
        let (mut places, mut regions) = settle(kb, s, &place_names, &regions, &countries, article);
        if let Some(t) = trace {
            t.placed(i, &places, &regions, &countries);
        }
        let not_where = &read.not_where;
        if !not_where.is_empty() {
            let inside = |a: usize, b: usize| not_where.iter().any(|&(x, y)| x <= a && b <= y);
            places.retain(|p| !inside(p.start, p.end));
            regions.retain(|h| !inside(h.start, h.end));
            countries.retain(|h| !inside(h.start, h.end));
        }
        // A place the sentence denies ("escaped, but not to Russia", "bukan ke
        // Rusia", "не в Россию") is not where its act happened.
        places.retain(|p| !denied(s, p.start));
        regions.retain(|h| !denied(s, h.start));
        countries.retain(|h| !denied(s, h.start));
        // Where a strike came from is not where it happened.
        if !origins.is_empty() {
            let inside = |a: usize, b: usize| origins.iter().any(|&(x, y)| x <= a && b <= y);
            regions.retain(|h| !inside(h.start, h.end));
            countries.retain(|h| !inside(h.start, h.end));
        }
        // A country named as whose forces or office-holders ("pasukan Chad menyerang
        // Maiduguri") is who acted, as a demonym is: no place of the event where the
        // sentence names another.
        if !self.of_country.is_empty() {
            let (of, named): (Vec<Hit>, Vec<Hit>) = countries.iter().partition(|h| {
                word_before(s, h.start).is_some_and(|w| self.of_country.contains(&w))
            });
            let elsewhere = !(named.is_empty() && places.is_empty() && regions.is_empty());
            if elsewhere && !of.is_empty() {
                countries = named;
            }
        }
        scene::around_city_regions(kb, s, self.scene, &places, &mut regions);
        let lands =
            self.country_anaphora(s, &places, &regions, &mut countries, read.may_point_back);
        // Which countries the sentence's own towns and regions lie in.
        let mut own: BTreeSet<&str> = BTreeSet::new();
        for p in &places {
            if let Some(t) = kb.towns.get(p.place) {
                own.insert(t.country);
            }
        }
        for h in &regions {
            own.insert(kb.regions[h.payload].country.as_str());
        }
        // And the countries it names as lands ("in eastern Ukraine").
        own.extend(lands.iter().map(|&c| kb.countries[c].code.as_str()));
        if !own.is_empty() {
            self.scenes.1 += 1;
            for c in own {
                *self.scenes.0.entry(c.to_string()).or_default() += 1;
            }
        }
        // The lede's act told with no town or region of its own happened where the
        // headline says, when the headline's places lie in a country the lede names
        // (or it names none): "Apartemen Belgorod Rusia Runtuh …" over "…13 jenazah
        // telah ditemukan dari reruntuhan bangunan".
        if i == 0
            && material
            && places.is_empty()
            && regions.is_empty()
            && let Some((p, r)) = &self.headline
        {
            let lands: Vec<&str> = countries
                .iter()
                .map(|h| kb.countries[h.payload].code.as_str())
                .collect();
            let fits = |c: Option<&str>| lands.is_empty() || c.is_some_and(|c| lands.contains(&c));
            let fit_towns: Vec<PlaceHit> = p
                .iter()
                .copied()
                .filter(|t| fits(kb.towns.get(t.place).map(|t| t.country)))
                .collect();
            let fit_regions: Vec<Hit> = r
                .iter()
                .copied()
                .filter(|h| fits(Some(kb.regions[h.payload].country.as_str())))
                .collect();
            places = fit_towns;
            regions = fit_regions;
        }
        // The places of the sentence before, in the same paragraph: where an act told
        // without any place of its own happened ("…struck Belgorod. Thirteen bodies
        // were found in the rubble.").
        let unplaced = places.is_empty() && regions.is_empty() && countries.is_empty();
        let before = self.previous.take();
        if !unplaced {
            self.previous = Some((i, places.clone(), regions.clone()));
        }
        // A sentence that names no place continues the place of the sentence right
        // before it in its paragraph (the place stays the topic, as the time does in
        // TimeML's narrative anchoring); a new line, or a sentence further back, does
        // not carry it. Only a material act has a scene: statements, talks and
        // sanctions are not where the sentence before them happened.
        if unplaced
            && material
            && !read.line_start
            && let Some((k, p, r)) = before
            && k + 1 == i
        {
            places = p;
            regions = r;
        }
        Placed {
            places,
            regions,
            countries,
        }
    }
}

/// How many sentences must name a town or region of a country, and what share of the
/// sentences that name any, for the country to be where the article is
/// ([`Mentions::focus`]).
const FOCUS_SENTENCES: usize = 3;
const FOCUS_SHARE: f64 = 0.6;

/// Negators before a place in the four languages.
const NEGATORS: &[&str] = &["not", "never", "bukan", "tidak", "tak", "не", "ні"];

/// Prepositions of place and direction between a negator and a place ("not to", "bukan
/// ke", "не в", "не до").
const PLACE_PREPOSITIONS: &[&str] = &[
    "to", "in", "into", "at", "on", "toward", "towards", "ke", "di", "в", "во", "на", "к", "у",
    "до",
];

/// Punctuation that ends a clause: a country named before it is no side acting in
/// the clause after it.
const CLAUSE_BREAKS: [char; 6] = [',', ';', ':', '(', '—', '–'];

/// The byte spans of `s` where one of the phrases `forms` (folded, words one space
/// apart) stands as whole words, one space or more between them.
fn phrase_spans(s: &str, forms: &[String]) -> Vec<(usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-';
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                words.push((a, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        words.push((a, s.len()));
    }
    let folded: Vec<String> = words.iter().map(|&(a, b)| fold(&s[a..b])).collect();
    let mut found = Vec::new();
    for form in forms {
        let parts: Vec<&str> = form.split(' ').collect();
        for i in 0..words.len() {
            let Some(ws) = words.get(i..i + parts.len()) else {
                break;
            };
            let same = parts.iter().enumerate().all(|(k, p)| folded[i + k] == *p);
            if same
                && ws
                    .windows(2)
                    .all(|w| s[w[0].1..w[1].0].chars().all(char::is_whitespace))
            {
                found.push((ws[0].0, ws[ws.len() - 1].1));
            }
        }
    }
    found.sort_unstable();
    found
}

/// The distinct last words of the phrases `forms` (folded, words one space apart).
fn phrase_ends(forms: &[String]) -> Vec<&str> {
    let mut ends: Vec<&str> = forms.iter().filter_map(|f| f.rsplit(' ').next()).collect();
    ends.sort_unstable();
    ends.dedup();
    ends
}

/// Whether `folded`, the fold of a sentence, holds one of `ends` (the last words of
/// phrases, [`phrase_ends`]) anywhere: [`fold`] folds a character at a time, so a
/// phrase that [`phrase_spans`] finds in the sentence has its last word's fold in the
/// sentence's fold. Where this is false, [`phrase_spans`] finds nothing, and the
/// sentence's words need not be folded.
fn may_hold_phrase(folded: &str, ends: &[&str]) -> bool {
    ends.iter().any(|e| folded.contains(e))
}

/// Whether the place at byte `start` of `s` is denied: a negator right before it, or
/// before the preposition right before it ("not to Russia", "не в Россию"). A
/// side so named is no land an act happened in either ([`crate::pipeline::scene`]).
pub fn denied(s: &str, start: usize) -> bool {
    let before = s.get(..start).unwrap_or_default();
    let mut back = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold);
    let Some(last) = back.next() else {
        return false;
    };
    if NEGATORS.contains(&last.as_str()) {
        return true;
    }
    PLACE_PREPOSITIONS.contains(&last.as_str())
        && back.next().is_some_and(|w| NEGATORS.contains(&w.as_str()))
}

/// The word (folded) that stands right before byte `at` of `s`, one space between.
fn word_before(s: &str, at: usize) -> Option<String> {
    let before = s[..at].strip_suffix(' ')?;
    let word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .filter(|w| !w.is_empty())?;
    Some(fold(word))
}

/// English words of the closed classes (prepositions, conjunctions, determiners,
/// pronouns, auxiliaries and verbs of saying) that follow a place name but never
/// stand as the noun an adjective goes with ("Argentine on Monday", "Chadian and").
const CLOSED_CLASS_EN: &[&str] = &[
    "a", "about", "across", "after", "against", "along", "an", "and", "are", "around", "as", "at",
    "be", "been", "before", "between", "but", "by", "can", "could", "during", "for", "from", "had",
    "has", "have", "her", "his", "in", "into", "is", "it", "its", "may", "near", "nor", "of",
    "off", "on", "or", "outside", "over", "said", "says", "since", "than", "that", "the", "their",
    "these", "this", "those", "through", "to", "toward", "towards", "under", "until", "via", "was",
    "were", "when", "where", "which", "while", "who", "whose", "will", "with", "would",
];

/// Whether the word at byte `end` of English sentence `s` is followed, after one
/// space, by a word that can be the noun of an adjective: a word of letters that is
/// no closed-class word ("police", "Army"; not "on", "and", nor a comma).
fn before_noun(s: &str, end: usize) -> bool {
    let Some(rest) = s[end..].strip_prefix(' ') else {
        return false;
    };
    let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    if word.is_empty() {
        return false;
    }
    let word = fold(&word);
    !CLOSED_CLASS_EN.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::denied;
    use crate::domain::Event;
    use crate::knowledge::Knowledge;
    use crate::pipeline::events::stages::extract;

    /// The regions and countries an event is placed in.
    fn placed(e: &Event) -> Vec<String> {
        e.regions
            .iter()
            .map(|r| r.iso_code.clone())
            .chain(e.countries.iter().cloned())
            .collect()
    }

    /// The places of the assault events of `text`.
    fn assaults_placed(lang: &str, text: &str) -> Vec<Vec<String>> {
        extract(lang, (2024, 10, 10), text)
            .iter()
            .filter(|e| e.event_type == "assault")
            .map(placed)
            .collect()
    }

    #[test]
    fn the_country_is_the_last_country_named_as_a_land() {
        for (lang, text) in [
            (
                "en",
                "The UN envoy arrived in Syria last week. On Monday rebels shelled an army base in the east of the country.",
            ),
            (
                "id",
                "Utusan PBB tiba di Suriah pekan lalu. Pada Senin milisi membunuh 40 warga desa di timur negara itu.",
            ),
            (
                "ru",
                "Посланник ООН прибыл в Сирию на прошлой неделе. В понедельник боевики убили 40 жителей деревни на востоке страны.",
            ),
            (
                "uk",
                "Посланець ООН перебував у Сирії минулого тижня. У понеділок бойовики вбили 40 жителів села на сході країни.",
            ),
        ] {
            assert_eq!(
                assaults_placed(lang, text),
                vec![vec!["SY".to_string()]],
                "{lang}: {text}"
            );
        }
        // Not the side that acts in the phrase's own clause, and nothing without an
        // antecedent.
        for (lang, text) in [
            (
                "en",
                "Russia escalated its military campaign in the east of the country on Monday.",
            ),
            (
                "ru",
                "Россия в понедельник усилила обстрелы на востоке страны.",
            ),
            (
                "en",
                "On Monday rebels shelled an army base in the east of the country.",
            ),
        ] {
            assert_eq!(
                assaults_placed(lang, text),
                vec![Vec::<String>::new()],
                "{lang}: {text}"
            );
        }
        // A country the sentence names before the phrase, in an earlier clause, is
        // the antecedent over a land named further back.
        let text = "Ukraine retook villages in Kharkiv last week. Despite Russia's crackdown on dissent, protests erupted across the country on Monday.";
        let protests: Vec<Vec<String>> = extract("en", (2024, 10, 10), text)
            .iter()
            .filter(|e| e.event_type == "protest")
            .map(placed)
            .collect();
        assert_eq!(protests, vec![vec!["RU".to_string()]]);
    }

    #[test]
    fn a_noun_of_direction_before_a_country_makes_it_the_land() {
        for (lang, text, want) in [
            (
                "en",
                "Israeli troops fought Hezbollah in the south of Lebanon on Monday.",
                "LB",
            ),
            (
                "id",
                "Pasukan Israel menyerang Hizbullah di selatan Lebanon pada Senin.",
                "LB",
            ),
            (
                "ru",
                "Израильская армия нанесла удары по Хезболле на юге Сирии в понедельник.",
                "SY",
            ),
            (
                "uk",
                "Ізраїльська армія завдала ударів по Хезболлі на півдні Сирії в понеділок.",
                "SY",
            ),
        ] {
            assert_eq!(
                assaults_placed(lang, text),
                vec![vec![want.to_string()]],
                "{lang}: {text}"
            );
        }
    }

    #[test]
    fn toponyms_in_names_of_agreements_conferences_and_people_place_nothing() {
        for (lang, text, wrong) in [
            (
                "en",
                "Special envoy John Kerry spoke on Monday. Shortly before Russia invaded Ukraine in February 2022, Kerry told reporters he feared for emissions.",
                "IE",
            ),
            (
                "en",
                "On 19 February 2022 separatists shelled Ukrainian positions with weapons banned by the Minsk agreements.",
                "BY",
            ),
            (
                "en",
                "Russian forces shelled Ukrainian positions on 19 February 2022, Zelensky told the Munich Security Conference.",
                "DE",
            ),
            (
                "id",
                "Pada 19 Februari 2022 pasukan Rusia menembaki posisi Ukraina, kata Zelensky di Konferensi Keamanan Munich.",
                "DE",
            ),
            (
                "en",
                "The Duchess of Edinburgh visited Kyiv, the first royal visit since Russia's invasion in 2022.",
                "GB",
            ),
        ] {
            let got = extract(lang, (2022, 2, 20), text);
            assert!(
                got.iter().any(|e| e.event_type == "assault"),
                "{text}: {got:#?}"
            );
            for e in &got {
                let at = placed(e);
                assert!(
                    !at.iter().any(|c| c.starts_with(wrong)),
                    "{text}: placed in {at:?}"
                );
            }
        }
        // "in Kerry" is the county, whatever the article's surnames.
        let got = extract(
            "en",
            (2022, 2, 20),
            "John Kerry spoke on Monday. On 19 February 2022 gunmen attacked a police station in Kerry.",
        );
        assert!(
            got.iter().any(|e| placed(e).iter().any(|c| c == "IE-KY")),
            "{got:#?}"
        );
    }

    #[test]
    fn an_act_told_without_a_place_continues_the_place_of_the_sentence_before() {
        for (lang, first, second) in [
            (
                "en",
                "Russian missiles struck Kharkiv on 20 April 2022.",
                "On 21 April 2022, the convoy was shelled by artillery.",
            ),
            (
                "id",
                "Rudal Rusia menghantam Kharkiv pada 20 April 2022.",
                "Pada 21 April 2022, konvoi itu ditembaki artileri.",
            ),
            (
                "ru",
                "Российские войска обстреляли Харьков 20 апреля 2022 года.",
                "21 апреля 2022 года колонну обстреляли из артиллерии.",
            ),
            (
                "uk",
                "Російські війська обстріляли Харків 20 квітня 2022 року.",
                "21 квітня 2022 року колону обстріляли з артилерії.",
            ),
        ] {
            let second_of = |text: &str| -> Vec<String> {
                let got = extract(lang, (2022, 4, 25), text);
                got.iter()
                    .find(|e| e.date == "2022-04-21")
                    .map(placed)
                    .unwrap_or_else(|| panic!("{lang}: no event on the 21st in {got:#?}"))
            };
            let same = second_of(&format!("{first} {second}"));
            assert!(same.iter().any(|c| c == "UA-63"), "{lang}: {same:?}");
            // A new paragraph does not carry the place.
            let apart = second_of(&format!("{first}\n{second}"));
            assert!(!apart.iter().any(|c| c == "UA-63"), "{lang}: {apart:?}");
        }
    }

    /// Each event's (regions, countries, towns).
    fn where_(events: &[Event]) -> Vec<(Vec<String>, Vec<String>, Vec<String>)> {
        events
            .iter()
            .map(|e| {
                (
                    e.regions.iter().map(|r| r.iso_code.clone()).collect(),
                    e.countries.clone(),
                    e.places.iter().map(|p| p.name.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn a_place_the_sentence_denies_is_not_where_the_act_happened() {
        for (lang, text, not) in [
            (
                "en",
                "On Monday the colonel fled from custody, but not to Russia.",
                "RU",
            ),
            (
                "id",
                "Pada Senin kolonel itu kabur dari tahanan, tetapi bukan ke Rusia.",
                "RU",
            ),
            (
                "ru",
                "В понедельник полковник бежал из-под стражи, но не в Россию.",
                "RU",
            ),
        ] {
            for e in extract(lang, (2024, 5, 7), text) {
                assert!(!e.countries.iter().any(|c| c == not), "{text}: {e:?}");
            }
        }
        let s = "Troops shelled Kharkiv, not Kyiv.";
        assert!(denied(s, s.find("Kyiv").unwrap()));
        assert!(!denied(s, s.find("Kharkiv").unwrap()));
        let s = "Не только в Харькове прогремели взрывы.";
        assert!(!denied(s, s.find("Харькове").unwrap()));
    }

    #[test]
    fn a_demonym_before_a_noun_is_no_town() {
        // Demonyms that are also towns of the gazetteer: Chadian (China), Azeri
        // (Aseri, Estonia), Danes (Daneş, Romania), Thai (an alias of Alor Setar).
        for (text, want) in [
            ("Chadian police arrested 20 people on 6 May 2024.", "TD"),
            ("Azeri police arrested 20 protesters on 6 May 2024.", "AZ"),
            ("Thai police arrested 20 people on 6 May 2024.", "TH"),
            (
                "Danes protested and police arrested 20 people on 6 May 2024.",
                "DK",
            ),
        ] {
            let got = where_(&extract("en", (2024, 5, 10), text));
            assert!(!got.is_empty(), "{text}");
            for (regions, countries, towns) in &got {
                assert!(regions.is_empty() && towns.is_empty(), "{text}: {got:?}");
                assert_eq!(countries, &[want], "{text}");
            }
        }
        // Where the name is no adjective, it is the town.
        let got = where_(&extract(
            "en",
            (2024, 5, 10),
            "Gunmen attacked a police station near Chadian on 6 May 2024.",
        ));
        assert!(
            got.iter()
                .any(|(_, c, t)| c == &["CN"] && t == &["Chadian"]),
            "{got:?}"
        );
        // A place named wins over the demonym.
        let got = where_(&extract(
            "en",
            (2024, 5, 10),
            "Chadian police arrested 20 people in Rafah on 6 May 2024.",
        ));
        assert!(
            got.iter().all(|(r, c, _)| r == &["PS-RFH"] && c == &["PS"]),
            "{got:?}"
        );
    }

    #[test]
    fn country_adjectives_of_every_form_and_indonesian_country_names_give_the_country() {
        // The adjectives derived for the countries the hand-written list lacked.
        for (lang, text, want) in [
            (
                "ru",
                "Мальтийская полиция задержала 20 человек 6 мая 2024 года.",
                "MT",
            ),
            (
                "ru",
                "Чадские военные задержали 20 человек 6 мая 2024 года.",
                "TD",
            ),
            (
                "uk",
                "Гамбійські військові затримали 20 людей 6 травня 2024 року.",
                "GM",
            ),
            (
                "uk",
                "Люксембурзька поліція затримала 20 людей 6 травня 2024 року.",
                "LU",
            ),
            // Indonesian names the country after the noun.
            (
                "id",
                "Tentara Pantai Gading menangkap 20 orang pada 6 Mei 2024.",
                "CI",
            ),
            (
                "id",
                "Polisi Chad menangkap 20 orang pada 6 Mei 2024.",
                "TD",
            ),
        ] {
            let got = where_(&extract(lang, (2024, 5, 10), text));
            assert!(!got.is_empty(), "{text}");
            assert!(
                got.iter()
                    .all(|(r, c, t)| r.is_empty() && t.is_empty() && c == &[want]),
                "{text}: {got:?}"
            );
        }
        // Every case, gender and number form is the dictionary's.
        let kb = Knowledge::embedded();
        for (text, want) in [
            ("задержаны мавританскими военными", "MR"),
            ("у габонских военных", "GA"),
            ("разом із ботсванським батальйоном", "BW"),
            ("до люксембурзької поліції", "LU"),
        ] {
            let got: Vec<&str> = kb
                .demonym_matcher()
                .find(text)
                .iter()
                .map(|h| kb.countries[h.payload].code.as_str())
                .collect();
            assert_eq!(got, [want], "{text}");
        }
        // A form that is also a town's case form stays the town's: "Черногорском"
        // (Chernogorsk), not Montenegro.
        let got: Vec<usize> = kb
            .demonym_matcher()
            .find("под Черногорском")
            .iter()
            .map(|h| h.payload)
            .collect();
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn an_indonesian_country_after_a_noun_of_its_forces_is_who_acted() {
        let x = |text: &str| where_(&extract("id", (2024, 5, 10), text));
        // A place named wins, as over an English demonym.
        let got = x("Pasukan Chad menyerang Maiduguri pada 6 Mei 2024.");
        assert!(
            !got.is_empty() && got.iter().all(|(r, c, _)| r == &["NG-BO"] && c == &["NG"]),
            "{got:?}"
        );
        // Without one, the country is where its forces acted.
        let got = x("Pasukan Chad menyerang pada 6 Mei 2024.");
        assert!(
            !got.is_empty() && got.iter().all(|(_, c, _)| c == &["TD"]),
            "{got:?}"
        );
        // Attacked, the country is the place.
        let got = x("Pasukan Nigeria menyerang Chad pada 6 Mei 2024.");
        assert!(got.iter().any(|(_, c, _)| c == &["TD"]), "{got:?}");
    }

    /// The precheck on the sentence's fold ([`super::may_hold_phrase`]) never turns
    /// away a sentence where [`super::phrase_spans`] finds a phrase of "the country":
    /// every language's phrases, in capitals, accented, hyphenated, with tabs, runs of
    /// spaces and no-break spaces, inside longer words and next to other scripts, each
    /// read as the pipeline reads a sentence (its part of the whole text's fold), at
    /// every start and end of a window over the texts.
    #[test]
    fn the_country_precheck_turns_away_no_sentence_the_phrases_match() {
        use crate::pipeline::sentences::{self, Span};
        use crate::text::Folded;
        let kb = Knowledge::embedded();
        let langs = ["en", "id", "ru", "uk"];
        let mut pieces: Vec<String> = vec![
            "Officials said the talks ended,".into(),
            "Pejabat mengatakan bahwa".into(),
            "Чиновники заявили, что".into(),
            "Посадовці заявили, що".into(),
            "countryside\tNEGARAWAN  стра\u{301}ны-\u{a0}".into(),
            "ấấấ İstanbul Straße ǅ —".into(),
        ];
        for lang in langs {
            for form in kb.grammar(lang, "country_anaphor") {
                pieces.push(form.clone());
                pieces.push(form.to_uppercase());
                pieces.push(form.replace(' ', "\t  "));
                pieces.push(form.replace(' ', "\u{a0}"));
                pieces.push(form.replace(' ', "-"));
                pieces.push(format!("{form}x"));
                // An accent on the last letter, as a combining mark.
                pieces.push(format!("{form}\u{301}"));
            }
        }
        let (mut checked, mut found) = (0usize, 0usize);
        for lang in langs {
            let forms = kb.grammar(lang, "country_anaphor");
            let ends = super::phrase_ends(forms);
            assert!(!ends.is_empty(), "{lang}");
            for (k, piece) in pieces.iter().enumerate() {
                let next = &pieces[(k * 7 + 3) % pieces.len()];
                let text = format!("{piece} {next}, {piece}\n{next}");
                let folded = Folded::new(&text);
                let bounds: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                for (x, &a) in bounds.iter().enumerate().step_by(3) {
                    for &b in bounds[x..].iter().step_by(2) {
                        let span = Span { start: a, end: b };
                        sentences::with_fold(&text, &folded, span, |s, f| {
                            let spans = super::phrase_spans(s, forms);
                            let may = super::may_hold_phrase(f.text, &ends);
                            assert!(may || spans.is_empty(), "{lang}: {s:?} {spans:?}");
                            checked += 1;
                            found += usize::from(!spans.is_empty());
                        });
                    }
                }
            }
        }
        assert!(
            checked > 10_000 && found > 1_000,
            "{checked} checked, {found} found"
        );
    }
}
