//! Benchmark: suppressing one week of needs on the dashboard's real shapes (3 families, 6 victim classes;
//! the 9 planning regions alone, and with the 8 counties published beside them, as the dashboard does, over
//! Connecticut's 19 places where the two overlap), by how many needs the week has. Each figure is reported as
//! a ratio to the smallest week on planning regions alone, measured in the same run; the last row of each
//! shape is a week with no small count at all (nothing to audit).
//!
//! `cargo bench -p app --features ssr --bench disclosure -- [--iterations 30]`

use std::time::{Duration, Instant};

use app::domain::need_web::{NeedAtom, Shape, SuppressedWeek};
use app::domain::region::{COUNTIES, TOWN_CROSSWALK_CSV, parse_crosswalk};
use app::oversight::Geography;

const FAMILIES: usize = 3;
const VICTIMS: usize = 6;

/// Planning regions and counties, over the places where Connecticut's towns put them together.
fn both_schemes() -> Shape {
    let towns = parse_crosswalk(TOWN_CROSSWALK_CSV).expect("the crosswalk parses");
    let county = |fips: &str| COUNTIES.iter().find(|(f, _)| *f == fips).map(|(_, n)| (*n).to_owned()).unwrap();
    let mut planning: Vec<String> = towns.iter().map(|t| t.planning_region_name.clone()).collect();
    planning.sort();
    planning.dedup();
    let mut counties: Vec<String> = COUNTIES.iter().map(|(_, n)| (*n).to_owned()).collect();
    counties.sort();
    let mut places: Vec<(String, String)> =
        towns.iter().map(|t| (t.planning_region_name.clone(), county(&t.county_fips))).collect();
    places.sort();
    places.dedup();
    let geography = Geography::new(planning, counties, places, false);
    Shape { families: FAMILIES, victims: VICTIMS, regions: geography.layout() }
}

const SIZES: [usize; 3] = [10, 40, 160];

/// A fixed pseudo-random week of `n` needs (a linear congruential generator: the same weeks every run).
fn week(shape: &Shape, n: usize, seed: u64) -> Vec<NeedAtom> {
    let places = shape.regions.places();
    let mut state = seed;
    let mut next = |m: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m
    };
    (0..n)
        .map(|_| NeedAtom {
            place: 1 + next(places),
            victim: 1 + next(shape.victims),
            outcome: 1 + next(3),
            families: next(1 << shape.families) as u32,
        })
        .collect()
}

/// p50 and p99 in milliseconds.
fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
    (at(0.5), at(0.99))
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    let iterations =
        argv.windows(2).find(|w| w[0] == "--iterations").and_then(|w| w[1].parse().ok()).unwrap_or(30usize);
    println!(
        "| regions published | needs in the week | p50 ms | p99 ms | ratio p50 (to {} needs, planning alone) |",
        SIZES[0]
    );
    println!("| --- | --- | --- | --- | --- |");
    let mut base = None;
    for (name, shape) in
        [("planning regions", Shape::single(FAMILIES, 9, VICTIMS)), ("planning regions and counties", both_schemes())]
    {
        for n in SIZES {
            // A different week each iteration, the same ones every run.
            let samples: Vec<Duration> = (0..iterations)
                .map(|i| {
                    let atoms = week(&shape, n, 1 + i as u64);
                    let start = Instant::now();
                    std::hint::black_box(SuppressedWeek::build(&shape, &atoms, 5));
                    start.elapsed()
                })
                .collect();
            let (p50, p99) = percentiles(samples);
            let base = *base.get_or_insert(p50);
            println!("| {name} | {n} | {p50:.1} | {p99:.1} | {:.1} |", p50 / base);
        }
        let crowded: Vec<NeedAtom> = (0..5).flat_map(|_| week(&shape, 400, 7)).collect();
        let samples: Vec<Duration> = (0..iterations)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(SuppressedWeek::build(&shape, &crowded, 5));
                start.elapsed()
            })
            .collect();
        let (p50, p99) = percentiles(samples);
        println!(
            "| {name} | {} (each of its profiles five times or more: no small count, no audit) | {p50:.1} | {p99:.1} | — |",
            crowded.len()
        );
    }
}
