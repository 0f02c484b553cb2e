//! `logmesh gen`: synthetic sites that look like real blogs.
//!
//! [`generate`] builds `n` posts from a seed, deterministically (same `n` and seed, same posts, on
//! every target). The model, in the order it runs:
//!
//! - **Dates**: regular posts are spread over `3 + n / 1500` years (at most 20) ending on
//!   2025-12-31, more of them in recent years.
//! - **Tags**: a vocabulary of `20 + n / 50` tags (at most 400) with Zipf popularity (the tag of
//!   rank `r` is drawn with weight `1 / (r + 1)`); 1 to 4 distinct tags per regular post.
//! - **Series**: about one post in 300 starts a series ("Building a ray tracer, part 1", ...)
//!   whose later parts share its tags and link to the previous part and to the series index.
//! - **Links**: 0 to 5 per regular post, mostly to a few posts back along one of its tags or a few
//!   posts back in time, sometimes forward (old posts get updated) or to any older post.
//! - **Hubs**: "Start here" and "About" pages (undated, untagged), a reading list per popular tag,
//!   a series index per series and a year in review per year. Many posts link to them and they
//!   link to many posts.
//! - **Text**: titles from templates and word lists (topics follow the primary tag), a short
//!   summary on most posts, a weight on hubs and some regular posts. Ids are url slugs, prefixed
//!   with `YYYY-MM-` for dated posts and suffixed `-2`, `-3`, ... when taken; urls are `/log/<id>`.
//!
//! The output is sorted by id (UTF-8 bytes) and valid per docs/DESIGN.md's posts.json limits: unique
//! ids, links only to other existing posts, no duplicate links or tags. All randomness comes from
//! [`Rng`] streams; no hash-map order and no std transcendental functions are involved.

use std::collections::HashSet;

use crate::posts::{Date, Post};
use crate::rng::Rng;

/// Most tags in the vocabulary, whatever `n`.
pub const MAX_VOCABULARY: usize = 400;

/// The last day any post can have.
const LAST_DAY: Date = Date {
    year: 2025,
    month: 12,
    day: 31,
};

/// Longest slug (before the date prefix and the uniqueness suffix).
const MAX_SLUG_CHARS: usize = 80;

// Independent random streams, so that changing one part of the model leaves the others alone.
const STREAM_VOCABULARY: u64 = 1;
const STREAM_DATES: u64 = 2;
const STREAM_SERIES: u64 = 3;
const STREAM_TAGS: u64 = 4;
const STREAM_TEXT: u64 = 5;
const STREAM_LINKS: u64 = 6;
const STREAM_HUBS: u64 = 7;

/// Base tags as (slug, display name), in no particular order (the seed shuffles their ranks).
const BASE_TAGS: &[(&str, &str)] = &[
    ("rust", "Rust"),
    ("performance", "performance"),
    ("databases", "databases"),
    ("postgres", "Postgres"),
    ("devops", "DevOps"),
    ("testing", "testing"),
    ("javascript", "JavaScript"),
    ("typescript", "TypeScript"),
    ("css", "CSS"),
    ("web", "the web"),
    ("security", "security"),
    ("kubernetes", "Kubernetes"),
    ("career", "careers"),
    ("writing", "writing"),
    ("linux", "Linux"),
    ("networking", "networking"),
    ("distributed-systems", "distributed systems"),
    ("compilers", "compilers"),
    ("wasm", "WebAssembly"),
    ("graphics", "graphics"),
    ("gpu", "GPUs"),
    ("machine-learning", "machine learning"),
    ("python", "Python"),
    ("go", "Go"),
    ("architecture", "architecture"),
    ("api-design", "API design"),
    ("observability", "observability"),
    ("incidents", "incidents"),
    ("tooling", "tooling"),
    ("open-source", "open source"),
    ("productivity", "productivity"),
    ("management", "management"),
    ("hiring", "hiring"),
    ("frontend", "frontend"),
    ("backend", "backend"),
    ("caching", "caching"),
    ("concurrency", "concurrency"),
    ("async", "async"),
    ("memory", "memory"),
    ("profiling", "profiling"),
    ("benchmarks", "benchmarks"),
    ("ci", "CI"),
    ("git", "Git"),
    ("containers", "containers"),
    ("cloud", "the cloud"),
    ("sqlite", "SQLite"),
    ("search", "search"),
    ("data-engineering", "data engineering"),
    ("accessibility", "accessibility"),
    ("design", "design"),
    ("ux", "UX"),
    ("mobile", "mobile"),
    ("embedded", "embedded"),
    ("hardware", "hardware"),
    ("keyboards", "keyboards"),
    ("homelab", "the homelab"),
    ("self-hosting", "self-hosting"),
    ("privacy", "privacy"),
    ("cryptography", "cryptography"),
    ("math", "math"),
    ("algorithms", "algorithms"),
    ("data-structures", "data structures"),
    ("functional-programming", "functional programming"),
    ("haskell", "Haskell"),
    ("ocaml", "OCaml"),
    ("elixir", "Elixir"),
    ("c", "C"),
    ("cpp", "C++"),
    ("zig", "Zig"),
    ("java", "Java"),
    ("kotlin", "Kotlin"),
    ("swift", "Swift"),
    ("lisp", "Lisp"),
    ("emacs", "Emacs"),
    ("vim", "Vim"),
    ("shell", "the shell"),
    ("nix", "Nix"),
    ("static-sites", "static sites"),
    ("blogging", "blogging"),
    ("books", "books"),
    ("talks", "talks"),
    ("teaching", "teaching"),
    ("learning", "learning"),
    ("documentation", "documentation"),
    ("refactoring", "refactoring"),
    ("legacy-code", "legacy code"),
    ("migrations", "migrations"),
    ("scaling", "scaling"),
    ("reliability", "reliability"),
    ("on-call", "on-call"),
    ("startups", "startups"),
    ("product", "product"),
    ("weeknotes", "weeknotes"),
    ("til", "TIL"),
    ("retrospectives", "retrospectives"),
    ("unicode", "Unicode"),
    ("time", "time and dates"),
    ("parsing", "parsing"),
    ("type-systems", "type systems"),
    ("game-dev", "game development"),
    ("audio", "audio"),
    ("visualization", "visualization"),
];

/// Suffixes that make more tags out of the base ones once a vocabulary outgrows them.
const TAG_SUFFIXES: &[&str] = &[
    "internals",
    "tips",
    "patterns",
    "history",
    "basics",
    "tooling",
    "pitfalls",
    "news",
];

const TOPICS: &[&str] = &[
    "incremental compilation",
    "connection pooling",
    "cache invalidation",
    "the borrow checker",
    "feature flags",
    "zero-downtime deploys",
    "query planning",
    "flaky tests",
    "memory leaks",
    "tail latency",
    "retries and backoff",
    "schema migrations",
    "code review",
    "being on call",
    "error budgets",
    "build times",
    "dependency updates",
    "log aggregation",
    "rate limiting",
    "async runtimes",
    "SIMD",
    "type inference",
    "garbage collection",
    "property-based testing",
    "fuzzing",
    "distributed tracing",
    "consensus",
    "B-trees",
    "bloom filters",
    "CRDTs",
    "static site generation",
    "accessibility audits",
    "dark mode",
    "font loading",
    "image compression",
    "technical interviews",
    "technical debt",
    "monorepos",
    "CI pipelines",
    "container images",
    "DNS",
    "TLS certificates",
    "backpressure",
    "idempotency keys",
    "event sourcing",
    "write-ahead logs",
    "vector clocks",
    "lock-free queues",
    "arena allocation",
    "string interning",
    "parser combinators",
    "error handling",
    "API versioning",
    "pagination",
    "full-text search",
    "sharding",
    "read replicas",
    "backups",
    "disaster recovery",
    "load testing",
    "flame graphs",
    "cold starts",
    "WebGPU shaders",
    "canvas rendering",
    "layout engines",
    "keyboard shortcuts",
    "onboarding",
    "pair programming",
    "estimates",
    "roadmaps",
    "side projects",
    "home servers",
    "password hashing",
    "secrets management",
    "supply-chain security",
    "reproducible builds",
    "shell scripts",
    "regular expressions",
    "time zones",
    "floating point",
    "random number generators",
    "hash maps",
    "graph layout",
    "small binaries",
];

/// Things that break, with what they did.
const MISHAPS: &[(&str, &str)] = &[
    ("cache", "missed"),
    ("deploy", "stalled"),
    ("alert", "never fired"),
    ("backup", "was empty"),
    ("cron job", "ran twice"),
    ("migration", "locked the table"),
    ("load balancer", "flapped"),
    ("certificate", "expired"),
    ("queue", "backed up"),
    ("build", "got slow"),
    ("failover", "failed"),
    ("DNS change", "took a day"),
];

const METRICS: &[&str] = &[
    "build times",
    "p99 latency",
    "our cloud bill",
    "memory usage",
    "cold starts",
    "page weight",
    "CI time",
    "bundle size",
    "query time",
    "startup time",
];

const LANGUAGES: &[&str] = &[
    "Rust",
    "Go",
    "Zig",
    "OCaml",
    "C",
    "Python",
    "TypeScript",
    "Haskell",
    "Elixir",
];

const PROJECTS: &[&str] = &[
    "query planner",
    "ray tracer",
    "static site generator",
    "toy database",
    "Lisp interpreter",
    "text editor",
    "job queue",
    "terminal emulator",
    "regex engine",
    "key-value store",
    "game engine",
    "web server",
    "package manager",
    "chess engine",
    "bytecode VM",
    "type checker",
    "synthesizer",
    "tiling window manager",
];

const SUMMARY_OPENINGS: &[&str] = &[
    "A short write-up on",
    "Some notes about",
    "What we learned about",
    "A walkthrough of",
    "Field notes on",
    "An opinionated look at",
    "A few measurements of",
    "Questions and half-answers about",
];

const SUMMARY_CLOSINGS: &[&str] = &[
    ", with benchmarks and a few dead ends.",
    ", with code you can copy.",
    ". Mostly questions, some answers.",
    ", and what we would do differently.",
    ". Part of an ongoing set of notes.",
    ", written up for my future self.",
    ". Long, but there are pictures.",
    ".",
];

/// Generates `n` posts for `seed`: a deterministic, realistic-looking blog (see the module doc).
pub fn generate(n: usize, seed: u64) -> Vec<Post> {
    if n == 0 {
        return Vec::new();
    }
    let plan = Plan::new(n);
    let mut site = DraftSite::new(&plan, seed);
    site.plan_series(plan.series, seed);
    site.tag_posts(seed);
    site.write_text(seed);
    site.add_hubs(&plan, seed);
    site.link_posts(seed);
    site.into_posts()
}

/// How many posts of each kind a site of `n` posts has.
#[derive(Debug)]
struct Plan {
    start_here: bool,
    about: bool,
    reading_lists: usize,
    series: usize,
    /// First and last year of the site.
    years: (u16, u16),
    year_reviews: bool,
    vocabulary: usize,
    regular: usize,
}

impl Plan {
    fn new(n: usize) -> Plan {
        let vocabulary = (20 + n / 50).min(MAX_VOCABULARY);
        let start_here = n >= 20;
        let about = n >= 50;
        let reading_lists = if n >= 200 {
            (n / 1000 + 2).min(60).min(vocabulary)
        } else {
            0
        };
        let series = if n >= 300 { (n / 300).min(300) } else { 0 };
        let year_count = (3 + n / 1500).min(20) as u16;
        let years = (LAST_DAY.year + 1 - year_count, LAST_DAY.year);
        let year_reviews = n >= 1000;
        let hubs = usize::from(start_here)
            + usize::from(about)
            + reading_lists
            + series
            + if year_reviews {
                usize::from(year_count)
            } else {
                0
            };
        Plan {
            start_here,
            about,
            reading_lists,
            series,
            years,
            year_reviews,
            vocabulary,
            regular: n - hubs,
        }
    }
}

/// Tag names by popularity rank, and the Zipf sampler over them.
struct Vocabulary {
    /// Slugs; the first `cumulative.len()` are drawn, later ones are only for hubs.
    slugs: Vec<String>,
    /// Display names, parallel to `slugs`.
    names: Vec<String>,
    /// Cumulative Zipf weights of the drawn tags.
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(size: usize, seed: u64) -> Vocabulary {
        let mut rng = Rng::new(seed, STREAM_VOCABULARY);
        let mut order: Vec<usize> = (0..BASE_TAGS.len()).collect();
        shuffle(&mut rng, &mut order);
        let mut slugs = Vec::with_capacity(size + 1);
        let mut names = Vec::with_capacity(size + 1);
        for &i in &order {
            slugs.push(BASE_TAGS[i].0.to_string());
            names.push(BASE_TAGS[i].1.to_string());
        }
        'more: for suffix in TAG_SUFFIXES {
            for &i in &order {
                if slugs.len() >= size {
                    break 'more;
                }
                slugs.push(format!("{}-{suffix}", BASE_TAGS[i].0));
                names.push(format!("{} {suffix}", BASE_TAGS[i].1));
            }
        }
        slugs.truncate(size);
        names.truncate(size);
        let mut total = 0.0;
        let cumulative = (0..slugs.len())
            .map(|r| {
                total += 1.0 / (r + 1) as f64;
                total
            })
            .collect();
        Vocabulary {
            slugs,
            names,
            cumulative,
        }
    }

    /// How many tags posts draw from.
    fn size(&self) -> usize {
        self.cumulative.len()
    }

    /// A tag rank, with Zipf probability.
    fn draw(&self, rng: &mut Rng) -> u32 {
        let total = self.cumulative[self.size() - 1];
        let u = rng.next_f64() * total;
        let r = self.cumulative.partition_point(|&c| c <= u);
        r.min(self.size() - 1) as u32
    }

    /// `count` distinct tags, the first one the primary.
    fn draw_distinct(&self, rng: &mut Rng, count: usize) -> Vec<u32> {
        let mut tags = Vec::with_capacity(count);
        for _ in 0..8 * count {
            if tags.len() == count {
                break;
            }
            let t = self.draw(rng);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags
    }

    /// A tag outside the drawn vocabulary (for hubs): its index.
    fn extra(&mut self, slug: &str, name: &str) -> u32 {
        if let Some(i) = self.slugs.iter().position(|s| s == slug) {
            return i as u32;
        }
        self.slugs.push(slug.to_string());
        self.names.push(name.to_string());
        (self.slugs.len() - 1) as u32
    }
}

/// A post before ids exist: tags index the vocabulary, links index `DraftSite::drafts`.
#[derive(Debug, Default)]
struct Draft {
    day: Option<i64>,
    title: String,
    summary: Option<String>,
    tags: Vec<u32>,
    links: Vec<u32>,
    weight: Option<f64>,
}

impl Draft {
    /// Adds a link unless it is a self-link or a duplicate; whether it was added.
    fn link(&mut self, own_index: usize, target: u32) -> bool {
        if target as usize == own_index || self.links.contains(&target) {
            return false;
        }
        self.links.push(target);
        true
    }
}

/// A series: its name, shared tags, its parts (regular posts in order) and its index hub.
#[derive(Debug)]
struct Series {
    name: String,
    tags: Vec<u32>,
    parts: Vec<u32>,
    index: Option<u32>,
}

/// Where a regular post sits in a series.
#[derive(Debug, Clone, Copy)]
struct SeriesPart {
    series: u32,
    part: u32,
}

/// The site being generated: its posts still drafts (no ids yet), with the plan they follow.
struct DraftSite {
    vocabulary: Vocabulary,
    /// Regular posts first (in date order), then hubs.
    drafts: Vec<Draft>,
    regular: usize,
    /// For each drawn tag, its regular posts in date order.
    members: Vec<Vec<u32>>,
    series: Vec<Series>,
    part_of: Vec<Option<SeriesPart>>,
    start_here: Option<u32>,
    /// For each drawn tag, its reading-list hub.
    reading_list: Vec<Option<u32>>,
}

impl DraftSite {
    /// The regular posts, with their dates only.
    fn new(plan: &Plan, seed: u64) -> DraftSite {
        let vocabulary = Vocabulary::new(plan.vocabulary, seed);
        let regular = plan.regular;
        let first = Date {
            year: plan.years.0,
            month: 1,
            day: 1,
        }
        .day_number();
        let last = LAST_DAY.day_number();
        let span = (last - first + 1) as f64;
        let mut rng = Rng::new(seed, STREAM_DATES);
        let mut days: Vec<i64> = (0..regular)
            .map(|_| {
                let u = rng.next_f64();
                // Most posts have a density growing linearly with time, the rest are uniform.
                let t = if rng.chance(0.6) { u.sqrt() } else { u };
                (first + (t * span) as i64).min(last)
            })
            .collect();
        days.sort_unstable();
        let drafts = days
            .into_iter()
            .map(|d| Draft {
                day: Some(d),
                ..Draft::default()
            })
            .collect();
        let size = vocabulary.size();
        DraftSite {
            vocabulary,
            drafts,
            regular,
            members: vec![Vec::new(); size],
            series: Vec::new(),
            part_of: vec![None; regular],
            start_here: None,
            reading_list: vec![None; size],
        }
    }

    /// Picks `count` series: start posts, parts spaced a few posts apart, names and tags.
    fn plan_series(&mut self, count: usize, seed: u64) {
        let count = count.min(self.regular);
        if count == 0 {
            return;
        }
        let mut rng = Rng::new(seed, STREAM_SERIES);
        let mut taken = vec![false; self.regular];
        let mut starts = Vec::with_capacity(count);
        while starts.len() < count {
            let s = rng.below(self.regular as u64) as usize;
            if !taken[s] {
                taken[s] = true;
                starts.push(s);
            }
        }
        starts.sort_unstable();
        for start in starts {
            let project = choose(&mut rng, PROJECTS);
            let name = match rng.below(3) {
                0 => format!("Building a {project}"),
                1 => format!("Writing a {project} in {}", choose(&mut rng, LANGUAGES)),
                _ => format!("A {project} from scratch"),
            };
            let tag_count = 1 + rng.below(2) as usize;
            let tags = self.vocabulary.draw_distinct(&mut rng, tag_count);
            let length = 3 + rng.below(8) as usize;
            let mut parts = vec![start as u32];
            let mut at = start;
            while parts.len() < length {
                at += 1 + rng.below(40) as usize;
                while at < self.regular && taken[at] {
                    at += 1;
                }
                if at >= self.regular {
                    break;
                }
                taken[at] = true;
                parts.push(at as u32);
            }
            let series = self.series.len() as u32;
            for (part, &p) in parts.iter().enumerate() {
                self.part_of[p as usize] = Some(SeriesPart {
                    series,
                    part: part as u32,
                });
            }
            self.series.push(Series {
                name,
                tags,
                parts,
                index: None,
            });
        }
    }

    /// Tags of the regular posts (series parts take their series' tags).
    fn tag_posts(&mut self, seed: u64) {
        let mut rng = Rng::new(seed, STREAM_TAGS);
        for k in 0..self.regular {
            let tags = match self.part_of[k] {
                Some(p) => self.series[p.series as usize].tags.clone(),
                None => {
                    let count = 1 + pick_weighted(&mut rng, &[30, 35, 22, 13]);
                    self.vocabulary.draw_distinct(&mut rng, count)
                }
            };
            for &t in &tags {
                self.members[t as usize].push(k as u32);
            }
            self.drafts[k].tags = tags;
        }
    }

    /// Titles, summaries and weights of the regular posts.
    fn write_text(&mut self, seed: u64) {
        let mut rng = Rng::new(seed, STREAM_TEXT);
        for k in 0..self.regular {
            let primary = self.drafts[k].tags[0];
            // Posts under one primary tag share a handful of topics.
            let topic = (primary as usize * 7 + rng.below(6) as usize) % TOPICS.len();
            let title = match self.part_of[k] {
                Some(p) => format!(
                    "{}, part {}",
                    self.series[p.series as usize].name,
                    p.part + 1
                ),
                None => self.title(&mut rng, primary, topic),
            };
            let summary = rng.chance(0.9).then(|| {
                format!(
                    "{} {}{}",
                    choose(&mut rng, SUMMARY_OPENINGS),
                    TOPICS[topic],
                    choose(&mut rng, SUMMARY_CLOSINGS)
                )
            });
            let weight = rng
                .chance(0.12)
                .then(|| *choose(&mut rng, &[0.5, 1.5, 2.0, 3.0]));
            let d = &mut self.drafts[k];
            d.title = title;
            d.summary = summary;
            d.weight = weight;
        }
    }

    /// A title for a regular post about `topic` under the tag `primary`.
    fn title(&self, rng: &mut Rng, primary: u32, topic: usize) -> String {
        let t = TOPICS[topic];
        let mut other = rng.below(TOPICS.len() as u64 - 1) as usize;
        if other >= topic {
            other += 1;
        }
        let t2 = TOPICS[other];
        let tag = &self.vocabulary.names[primary as usize];
        let (mishap, went) = *choose(rng, MISHAPS);
        let lang = choose(rng, LANGUAGES);
        let title = match rng.below(32) {
            0 => format!("Notes on {t}"),
            1 => format!("Why our {mishap} {went}: a postmortem"),
            2 => format!("{t} in production: what we learned"),
            3 => format!("A gentle introduction to {t}"),
            4 => format!(
                "How we cut {} by {}%",
                choose(rng, METRICS),
                10 + 5 * rng.below(18)
            ),
            5 => format!("What {t} taught me about {t2}"),
            6 => format!("{t}, revisited"),
            7 => format!("The case against {t}"),
            8 => format!("The case for {t}"),
            9 => format!("Understanding {t}"),
            10 => format!("{t} without the hype"),
            11 => format!("Debugging {t} in {lang}"),
            12 => format!("Lessons from a year of {t}"),
            13 => format!("Things I wish I knew about {t}"),
            14 => format!("Weeknotes #{}", 1 + rng.below(300)),
            15 => format!("A field guide to {t}"),
            16 => format!("Measuring {t}"),
            17 => format!("{t}: worth it?"),
            18 => format!("{t} is harder than it looks"),
            19 => format!("On {t}"),
            20 => format!("Rethinking {t}"),
            21 => format!("{t} vs. {t2}"),
            22 => format!("TIL: {t} in {lang}"),
            23 => format!("Postmortem: the day our {mishap} broke"),
            24 => format!("From {t} to {t2}: a migration story"),
            25 => format!("Why we stopped worrying about {t}"),
            26 => format!("Benchmarking {t} in {lang}"),
            27 => format!("{tag}: notes on {t}"),
            28 => format!("A naïve take on {t}"),
            29 => format!("{t} — a checklist"),
            30 => format!("Reading the source: {t} in {lang}"),
            _ => format!("Small things about {tag} that add up"),
        };
        capitalize(&title)
    }

    /// Appends the hub posts: pages, reading lists, series indexes, years in review.
    fn add_hubs(&mut self, plan: &Plan, seed: u64) {
        let mut rng = Rng::new(seed, STREAM_HUBS);
        if plan.start_here {
            self.start_here = Some(
                self.push_hub(Draft {
                    title: "Start here".into(),
                    summary: Some(
                        "New here? The posts people ask about most, and where each series begins."
                            .into(),
                    ),
                    weight: Some(4.0),
                    ..Draft::default()
                }),
            );
        }
        if plan.about {
            let mut about = Draft {
                title: "About this log".into(),
                summary: Some("Who writes here, and why.".into()),
                ..Draft::default()
            };
            if let Some(s) = self.start_here {
                about.links.push(s);
            }
            self.push_hub(about);
        }
        for t in 0..plan.reading_lists {
            let members = &self.members[t];
            // Started some time in the second half of the tag's life, kept up to date since
            // (undated in the unlikely case that no post drew the tag: the count stays n).
            let half = members.len() / 2;
            let started = (half < members.len())
                .then(|| members[half + rng.below((members.len() - half) as u64) as usize]);
            let mut hub = Draft {
                day: started.and_then(|p| self.drafts[p as usize].day),
                title: capitalize(&format!("Reading list: {}", self.vocabulary.names[t])),
                summary: Some(format!(
                    "The posts on {} worth reading first, oldest first.",
                    self.vocabulary.names[t]
                )),
                tags: vec![t as u32],
                links: evenly_spaced(members, 60),
                weight: Some(3.0),
            };
            hub.links.extend(self.start_here);
            self.reading_list[t] = Some(self.push_hub(hub));
        }
        for s in 0..self.series.len() {
            let series = &self.series[s];
            let hub = Draft {
                day: self.drafts[series.parts[0] as usize].day,
                title: format!("Index of series: {}", series.name),
                summary: Some(format!(
                    "Every part of \u{201c}{}\u{201d}, in order.",
                    series.name
                )),
                tags: series.tags.clone(),
                links: series.parts.clone(),
                weight: Some(2.0),
            };
            self.series[s].index = Some(self.push_hub(hub));
        }
        if plan.year_reviews {
            let tag = self.vocabulary.extra("year-in-review", "year in review");
            for year in plan.years.0..=plan.years.1 {
                let from = Date {
                    year,
                    month: 1,
                    day: 1,
                }
                .day_number();
                let to = Date {
                    year,
                    month: 12,
                    day: 31,
                }
                .day_number();
                let regular = &self.drafts[..self.regular];
                let lo = regular.partition_point(|d| d.day < Some(from));
                let hi = regular.partition_point(|d| d.day <= Some(to));
                let in_year: Vec<u32> = (lo as u32..hi as u32).collect();
                let mut hub = Draft {
                    day: Some(to),
                    title: format!("{year} in review"),
                    summary: Some(format!(
                        "{} posts in {year}: the ones that mattered.",
                        hi - lo
                    )),
                    tags: vec![tag],
                    links: evenly_spaced(&in_year, 25),
                    weight: Some(2.0),
                };
                hub.links.extend(self.start_here);
                self.push_hub(hub);
            }
        }
        if let Some(s) = self.start_here {
            // Every other hub (series indexes capped), then a few regular posts.
            let first_hub = self.regular as u32;
            let mut links: Vec<u32> = Vec::new();
            let mut series_indexes = 0;
            for h in first_hub..self.drafts.len() as u32 {
                let is_index = self.series.iter().any(|x| x.index == Some(h));
                if h == s || (is_index && series_indexes >= 40) {
                    continue;
                }
                series_indexes += usize::from(is_index);
                links.push(h);
            }
            let picks: Vec<u32> = (0..self.regular as u32).collect();
            links.extend(evenly_spaced(&picks, 20));
            self.drafts[s as usize].links = links;
        }
    }

    fn push_hub(&mut self, draft: Draft) -> u32 {
        self.drafts.push(draft);
        (self.drafts.len() - 1) as u32
    }

    /// Links of the regular posts: to neighbours in time and by tag, and to hubs.
    fn link_posts(&mut self, seed: u64) {
        let mut rng = Rng::new(seed, STREAM_LINKS);
        for k in 0..self.regular {
            let wanted = pick_weighted(&mut rng, &[20, 25, 20, 15, 10, 10]);
            let mut made = 0;
            for _ in 0..3 * wanted {
                if made == wanted {
                    break;
                }
                if let Some(t) = self.link_target(&mut rng, k) {
                    made += usize::from(self.drafts[k].link(k, t));
                }
            }
            if let Some(p) = self.part_of[k] {
                let series = &self.series[p.series as usize];
                let (previous, first, index) = (
                    (p.part > 0).then(|| series.parts[p.part as usize - 1]),
                    (p.part > 1 && rng.chance(0.5)).then_some(series.parts[0]),
                    series.index.filter(|_| rng.chance(0.9)),
                );
                for t in [previous, first, index].into_iter().flatten() {
                    self.drafts[k].link(k, t);
                }
            }
            if let Some(s) = self.start_here.filter(|_| rng.chance(0.04)) {
                self.drafts[k].link(k, s);
            }
            let primary = self.drafts[k].tags[0] as usize;
            if let Some(r) = self.reading_list[primary].filter(|_| rng.chance(0.15)) {
                self.drafts[k].link(k, r);
            }
        }
    }

    /// A link target for regular post `k`: mostly a few posts away along one of its tags or in
    /// time, usually backwards; sometimes any older post.
    fn link_target(&self, rng: &mut Rng, k: usize) -> Option<u32> {
        let forward = rng.chance(0.1);
        let r = rng.next_f64();
        if r < 0.6 {
            let tags = &self.drafts[k].tags;
            let tag = if tags.len() == 1 || rng.chance(0.5) {
                tags[0]
            } else {
                tags[1 + rng.below(tags.len() as u64 - 1) as usize]
            };
            let list = &self.members[tag as usize];
            let at = list.partition_point(|&x| (x as usize) < k);
            let step = 1 + geometric(rng, 2.0);
            if forward {
                list.get(at + step).copied()
            } else {
                at.checked_sub(step).map(|i| list[i])
            }
        } else if r < 0.85 {
            let step = 1 + geometric(rng, 15.0);
            let target = if forward {
                Some(k + step).filter(|&t| t < self.regular)
            } else {
                k.checked_sub(step)
            };
            target.map(|t| t as u32)
        } else {
            (k > 0).then(|| rng.below(k as u64) as u32)
        }
    }

    /// Ids, urls and names: the finished posts, sorted by id.
    fn into_posts(self) -> Vec<Post> {
        let mut used: HashSet<String> = HashSet::with_capacity(self.drafts.len());
        let ids: Vec<String> = self
            .drafts
            .iter()
            .map(|d| {
                let slug = slugify(&d.title);
                let base = match d.day {
                    Some(day) => {
                        let date = date_from_day_number(day);
                        format!("{:04}-{:02}-{slug}", date.year, date.month)
                    }
                    None => slug,
                };
                let mut id = base.clone();
                let mut counter = 2;
                while used.contains(&id) {
                    id = format!("{base}-{counter}");
                    counter += 1;
                }
                used.insert(id.clone());
                id
            })
            .collect();
        let vocabulary = &self.vocabulary;
        let mut posts: Vec<Post> = self
            .drafts
            .into_iter()
            .zip(&ids)
            .map(|(d, id)| Post {
                id: id.clone(),
                title: d.title,
                url: Some(format!("/log/{id}")),
                date: d.day.map(date_from_day_number),
                tags: d
                    .tags
                    .iter()
                    .map(|&t| vocabulary.slugs[t as usize].clone())
                    .collect(),
                links: d.links.iter().map(|&t| ids[t as usize].clone()).collect(),
                summary: d.summary,
                weight: d.weight,
            })
            .collect();
        posts.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        posts
    }
}

/// Fisher-Yates.
fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

fn choose<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

/// An index into `weights`, drawn with probability proportional to its weight.
fn pick_weighted(rng: &mut Rng, weights: &[u64]) -> usize {
    let mut x = rng.below(weights.iter().sum());
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// Failures before the first success, for a success probability of `1 / (mean + 1)`: a
/// geometric variable with the given mean (by inversion, with `libm::log`).
fn geometric(rng: &mut Rng, mean: f64) -> usize {
    let u = 1.0 - rng.next_f64(); // (0, 1]
    let x = libm::log(u) / libm::log(mean / (mean + 1.0));
    x.min(1e9) as usize
}

/// At most `count` items spread evenly over `items` (all of them when there are few).
fn evenly_spaced(items: &[u32], count: usize) -> Vec<u32> {
    if items.len() <= count {
        return items.to_vec();
    }
    (0..count).map(|i| items[i * items.len() / count]).collect()
}

/// The first character upper-cased (titles start with a topic that may be lower case).
fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A url slug: lower-case ASCII letters and digits separated by single hyphens, at most
/// [`MAX_SLUG_CHARS`] long (cut at a hyphen), never empty.
fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    let mut pending_hyphen = false;
    for c in title.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ï' | 'î' | 'í' => 'i',
            'ö' | 'ô' | 'ó' => 'o',
            'ü' | 'û' | 'ú' => 'u',
            'ñ' => 'n',
            '+' => 'p', // C++ -> cpp
            '\'' | '\u{2019}' => continue,
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c);
        } else {
            pending_hyphen = true;
        }
    }
    if slug.len() > MAX_SLUG_CHARS {
        let cut = slug[..MAX_SLUG_CHARS].rfind('-').unwrap_or(MAX_SLUG_CHARS);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug.push_str("post");
    }
    slug
}

/// The date `day` days after 0001-01-01 (the inverse of [`Date::day_number`]).
fn date_from_day_number(day: i64) -> Date {
    let jan1 = |year: u16| {
        Date {
            year,
            month: 1,
            day: 1,
        }
        .day_number()
    };
    let mut year = (day * 400 / 146_097 + 1).clamp(1, 9999) as u16;
    while year > 1 && jan1(year) > day {
        year -= 1;
    }
    while year < 9999 && jan1(year + 1) <= day {
        year += 1;
    }
    let mut rest = day - jan1(year);
    let mut month = 1u8;
    loop {
        let length = (28..=31)
            .rev()
            .find(|&d| Date::is_valid(year, month, d))
            .unwrap_or(28);
        if rest < i64::from(length) || month == 12 {
            return Date {
                year,
                month,
                day: (rest + 1) as u8,
            };
        }
        rest -= i64::from(length);
        month += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    fn in_degrees(posts: &[Post]) -> Vec<usize> {
        let index: BTreeMap<&str, usize> = posts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let mut d = vec![0; posts.len()];
        for p in posts {
            for l in &p.links {
                d[index[l.as_str()]] += 1;
            }
        }
        d
    }

    fn median(mut xs: Vec<usize>) -> usize {
        xs.sort_unstable();
        xs[xs.len() / 2]
    }

    fn assert_valid(posts: &[Post]) {
        let ids: BTreeSet<&str> = posts.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), posts.len(), "ids are unique");
        for w in posts.windows(2) {
            assert!(w[0].id.as_bytes() < w[1].id.as_bytes(), "sorted by id");
        }
        for p in posts {
            let chars = p.id.chars().count();
            assert!((1..=200).contains(&chars), "{}", p.id);
            assert!(!p.id.chars().any(char::is_control), "{}", p.id);
            assert!(!p.title.is_empty() && p.title.chars().count() <= 500);
            assert_eq!(p.url.as_deref(), Some(format!("/log/{}", p.id).as_str()));
            if let Some(d) = p.date {
                assert!(Date::is_valid(d.year, d.month, d.day), "{d:?}");
                assert!(d <= LAST_DAY);
            }
            assert!(p.tags.len() <= 64);
            let tags: BTreeSet<&String> = p.tags.iter().collect();
            assert_eq!(tags.len(), p.tags.len(), "duplicate tag in {}", p.id);
            assert!(
                p.tags
                    .iter()
                    .all(|t| (1..=100).contains(&t.chars().count()))
            );
            assert!(p.links.len() <= 10_000);
            let links: BTreeSet<&String> = p.links.iter().collect();
            assert_eq!(links.len(), p.links.len(), "duplicate link in {}", p.id);
            for l in &p.links {
                assert_ne!(l, &p.id, "self-link");
                assert!(ids.contains(l.as_str()), "{} links to missing {l}", p.id);
            }
            if let Some(s) = &p.summary {
                assert!(s.chars().count() <= 2000);
            }
            if let Some(w) = p.weight {
                assert!(w.is_finite() && w > 0.0);
            }
        }
    }

    #[test]
    fn same_seed_same_site() {
        let a = generate(3000, 7);
        assert_eq!(a, generate(3000, 7));
        assert_ne!(a, generate(3000, 8));
    }

    #[test]
    fn every_size_is_valid() {
        for n in [
            0, 1, 2, 5, 19, 20, 49, 50, 199, 200, 299, 300, 999, 1000, 4321,
        ] {
            for seed in [0, 1, u64::MAX] {
                let posts = generate(n, seed);
                assert_eq!(posts.len(), n);
                assert_valid(&posts);
            }
        }
    }

    #[test]
    fn regular_posts_have_one_to_four_tags_and_pages_none() {
        let posts = generate(2000, 3);
        for p in &posts {
            if p.date.is_some() {
                assert!((1..=4).contains(&p.tags.len()), "{}: {:?}", p.id, p.tags);
            } else {
                assert!(p.tags.is_empty(), "{}", p.id);
            }
        }
        assert!(posts.iter().any(|p| p.id == "start-here"));
    }

    #[test]
    fn tag_popularity_is_heavy_tailed() {
        let posts = generate(10_000, 1);
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &posts {
            for t in &p.tags {
                *counts.entry(t).or_default() += 1;
            }
        }
        assert!(counts.len() >= 150, "{} tags", counts.len());
        let top = counts.values().copied().max().unwrap_or(0);
        let med = median(counts.values().copied().collect());
        assert!(top >= 10 * med, "top {top}, median {med}");
    }

    #[test]
    fn there_are_hubs() {
        let posts = generate(10_000, 1);
        let d = in_degrees(&posts);
        let max = d.iter().copied().max().unwrap_or(0);
        let med = median(d.clone()).max(1);
        assert!(max >= 20 * med, "max {max}, median {med}");
        let out_max = posts.iter().map(|p| p.links.len()).max().unwrap_or(0);
        let out_med = median(posts.iter().map(|p| p.links.len()).collect()).max(1);
        assert!(
            out_max >= 20 * out_med,
            "out: max {out_max}, median {out_med}"
        );
        let linked = d.iter().filter(|&&x| x > 0).count();
        assert!(
            linked * 2 > posts.len(),
            "most posts are linked to: {linked}"
        );
    }

    #[test]
    fn links_are_mostly_near_in_time() {
        let posts = generate(10_000, 1);
        let day: BTreeMap<&str, i64> = posts
            .iter()
            .filter_map(|p| Some((p.id.as_str(), p.date?.day_number())))
            .collect();
        let (mut near, mut dated) = (0, 0);
        for p in &posts {
            let Some(&from) = day.get(p.id.as_str()) else {
                continue;
            };
            for l in &p.links {
                if let Some(&to) = day.get(l.as_str()) {
                    dated += 1;
                    near += usize::from((from - to).abs() <= 90);
                }
            }
        }
        assert!(dated > 10_000, "{dated} dated links");
        assert!(
            near * 10 >= dated * 6,
            "{near} of {dated} links within 90 days"
        );
    }

    #[test]
    fn dates_spread_over_years_more_recently() {
        let posts = generate(10_000, 2);
        let mut per_year: BTreeMap<u16, usize> = BTreeMap::new();
        for d in posts.iter().filter_map(|p| p.date) {
            *per_year.entry(d.year).or_default() += 1;
        }
        assert!(per_year.len() >= 5, "{per_year:?}");
        let first = per_year.values().next().copied().unwrap_or(0);
        let last = per_year.values().last().copied().unwrap_or(0);
        assert!(last > 2 * first, "{per_year:?}");
    }

    #[test]
    fn day_numbers_round_trip() {
        let start = Date {
            year: 1999,
            month: 1,
            day: 1,
        }
        .day_number();
        for d in start..start + 12_000 {
            assert_eq!(date_from_day_number(d).day_number(), d);
        }
        let leap = Date {
            year: 2024,
            month: 2,
            day: 29,
        };
        assert_eq!(date_from_day_number(leap.day_number()), leap);
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(
            slugify("Why our cache missed: a postmortem"),
            "why-our-cache-missed-a-postmortem"
        );
        assert_eq!(
            slugify("A naïve take on C++ — a checklist"),
            "a-naive-take-on-cpp-a-checklist"
        );
        assert_eq!(slugify("!!!"), "post");
        let long = "word ".repeat(100);
        let s = slugify(&long);
        assert!(s.len() <= MAX_SLUG_CHARS && s.ends_with("word"));
    }
}
