//! Benchmark: suppressing one week of needs on the dashboard's real shape (3 families, 9 regions, 6 victim
//! classes), by how many needs the week has. Each size is reported as a ratio to the smallest one, measured
//! in the same run; the last column is a week with no small count at all (nothing to audit).
//!
//! `cargo bench -p app --features ssr --bench disclosure -- [--iterations 30]`

use std::time::{Duration, Instant};

use app::domain::need_web::{NeedAtom, Shape, SuppressedWeek};

const SHAPE: Shape = Shape { families: 3, regions: 9, victims: 6 };
const SIZES: [usize; 3] = [10, 40, 160];

/// A fixed pseudo-random week of `n` needs (a linear congruential generator: the same weeks every run).
fn week(n: usize, seed: u64) -> Vec<NeedAtom> {
    let mut state = seed;
    let mut next = |m: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m
    };
    (0..n)
        .map(|_| NeedAtom {
            region: 1 + next(SHAPE.regions),
            victim: 1 + next(SHAPE.victims),
            outcome: 1 + next(3),
            families: next(1 << SHAPE.families) as u32,
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
    println!("| needs in the week | p50 ms | p99 ms | ratio p50 (to {} needs) |", SIZES[0]);
    println!("| --- | --- | --- | --- |");
    let mut base = None;
    for n in SIZES {
        // A different week each iteration, the same ones every run.
        let samples: Vec<Duration> = (0..iterations)
            .map(|i| {
                let atoms = week(n, 1 + i as u64);
                let start = Instant::now();
                std::hint::black_box(SuppressedWeek::build(SHAPE, &atoms, 5));
                start.elapsed()
            })
            .collect();
        let (p50, p99) = percentiles(samples);
        let base = *base.get_or_insert(p50);
        println!("| {n} | {p50:.1} | {p99:.1} | {:.1} |", p50 / base);
    }
    let crowded: Vec<NeedAtom> = (0..5).flat_map(|_| week(400, 7)).collect();
    let samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(SuppressedWeek::build(SHAPE, &crowded, 5));
            start.elapsed()
        })
        .collect();
    let (p50, p99) = percentiles(samples);
    println!(
        "| {} (each of its profiles five times or more: no small count, no audit) | {p50:.1} | {p99:.1} | — |",
        crowded.len()
    );
}
