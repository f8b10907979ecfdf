//! Scans `../shared/corpus` (or the directory given as the first argument) several times and
//! prints files/s, MB/s and peak memory. Run with `cargo bench --bench corpus [-- DIR]`.
//! Not a test: nothing is asserted.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use resilint::knowledge::KnowledgeBase;
use resilint::scan::{self, ScanOptions};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if !dir.is_dir() {
        eprintln!("{} is not a directory: nothing to benchmark", dir.display());
        return;
    }
    let runs = 5;
    let mut times: Vec<Duration> = Vec::new();
    let mut last = None;
    let mut first_peak = None;
    for _ in 0..runs {
        // Free the previous scan first, so peak memory is that of one scan.
        drop(last.take());
        let kb = KnowledgeBase::builtin().expect("built-in knowledge base");
        let start = Instant::now();
        let result = scan::run(ScanOptions::for_paths(vec![dir.clone()], kb)).expect("scan");
        times.push(start.elapsed());
        if first_peak.is_none() {
            first_peak = peak_rss_kib();
        }
        last = Some(result);
    }
    let Some(scan) = last else { return };
    times.sort();
    let median = times[runs / 2];
    let secs = median.as_secs_f64();
    let mb = scan.stats.bytes as f64 / 1e6;
    println!("corpus:     {}", dir.display());
    println!("threads:    {}", rayon::current_num_threads());
    println!(
        "input:      {} files, {:.1} MB, {} resources, {} stateful, {} findings",
        scan.stats.files,
        mb,
        scan.stats.resources,
        scan.stats.components,
        scan.findings.len()
    );
    println!(
        "time:       median {:.3} s of {runs} runs (min {:.3} s, max {:.3} s)",
        secs,
        times[0].as_secs_f64(),
        times[runs - 1].as_secs_f64()
    );
    println!(
        "throughput: {:.0} files/s, {:.1} MB/s",
        scan.stats.files as f64 / secs,
        mb / secs
    );
    // The first scan's peak is what one `resilint check` needs; later runs add allocator
    // fragmentation of the long-lived process.
    if let (Some(first), Some(all)) = (first_peak, peak_rss_kib()) {
        println!(
            "peak RSS:   {:.0} MB for one scan ({:.0} MB over all runs)",
            first as f64 / 1024.0,
            all as f64 / 1024.0
        );
    }
}
