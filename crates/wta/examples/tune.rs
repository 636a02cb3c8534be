//! Tries local-search settings on one benchmark instance (text format on stdin).
//! Usage: xz -dc FILE | cargo run --release -p rampart-wta --example tune -- DEPTH BREADTH PATIENCE WORK
use std::io::Read;

use rampart_wta::{Greedy, LocalSearch};

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("number"))
        .collect();
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).expect("stdin");
    let p = rampart_wta::io::read_text(&text).expect("instance");
    let ls = LocalSearch {
        depth: args[0] as usize,
        breadth: args[1] as usize,
        patience: args[2] as u32,
        candidates: args.get(4).copied().unwrap_or(40) as usize,
        seed: args.get(5).copied().unwrap_or(1),
    };
    let t = std::time::Instant::now();
    let g = p.using(Greedy).solve().expect("valid");
    let s = p.using(ls).work_limit(args[3]).solve().expect("valid");
    println!(
        "greedy {:.6} local {:.12} work {} time {:.0} ms",
        g.objective,
        s.objective,
        s.work,
        t.elapsed().as_secs_f64() * 1000.0
    );
}
