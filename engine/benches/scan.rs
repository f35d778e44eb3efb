//! Benchmarks on the shared real-world corpus (`../shared/corpus`): YAML loading of the golden
//! Helm renders, a whole scan of them, and the check of one file (the pre-commit path).
//!
//! `cargo bench -p cct-engine --bench scan`. Skipped (with a message) when the corpus is absent.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cct_engine::source::SourceFile;
use cct_engine::yaml::{self, YamlLimits};
use cct_engine::{CatalogueBuilder, Scan, ScanOptions};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared/corpus not found");
        None
    }
}

/// The golden renders (`rendered/**/*.yaml`), loaded in memory.
fn rendered(root: &Path) -> Vec<Arc<SourceFile>> {
    let mut paths = Vec::new();
    let mut stack = vec![root.join("rendered")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some(SourceFile::new(p.display().to_string(), text))
        })
        .collect()
}

fn load(c: &mut Criterion) {
    let Some(root) = corpus() else { return };
    let files = rendered(&root);
    let bytes: usize = files.iter().map(|f| f.text().len()).sum();
    let limits = YamlLimits::default();
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("rendered", |b| {
        b.iter(|| {
            let mut documents = 0;
            for f in &files {
                documents += yaml::parse(black_box(f), &limits).documents.len();
            }
            documents
        })
    });
    group.finish();
}

fn check(c: &mut Criterion) {
    let Some(root) = corpus() else { return };
    let bytes: usize = rendered(&root).iter().map(|f| f.text().len()).sum();
    let catalogue = CatalogueBuilder::new().build().expect("embedded catalogue");
    let paths = [root.join("rendered")];
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Bytes(bytes as u64));
    for jobs in [1, 0] {
        let scan = Scan::new(
            &catalogue,
            ScanOptions {
                jobs,
                ..Default::default()
            },
        );
        let name = if jobs == 0 { "all-cores" } else { "1-job" };
        group.bench_with_input(BenchmarkId::new("rendered", name), &paths, |b, paths| {
            b.iter(|| scan.run(black_box(paths)).findings.len())
        });
    }
    // The same scan without the Rego rules: what the cross-resource rules cost.
    let mut no_rego = CatalogueBuilder::new().build().expect("embedded catalogue");
    no_rego.rules.retain(|r| r.spec.check.rego.is_none());
    let scan = Scan::new(&no_rego, ScanOptions::default());
    group.bench_with_input(
        BenchmarkId::new("rendered", "all-cores-no-rego"),
        &paths,
        |b, paths| b.iter(|| scan.run(black_box(paths)).findings.len()),
    );
    group.finish();
}

fn single_file(c: &mut Criterion) {
    let Some(root) = corpus() else { return };
    let catalogue = CatalogueBuilder::new().build().expect("embedded catalogue");
    let scan = Scan::new(&catalogue, ScanOptions::default());
    let mut group = c.benchmark_group("single_file");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(3));
    for (name, rel) in [
        // A typical hand-written Deployment (one document).
        (
            "deployment",
            "manifests/kubernetes-examples/web/guestbook/frontend-deployment.yaml",
        ),
        // A small chart render: Deployment, Service, NetworkPolicy, PDB, ServiceAccount…
        ("chart-render", "rendered/bitnami/apache.yaml"),
    ] {
        let Ok(text) = std::fs::read_to_string(root.join(rel)) else {
            eprintln!("skipped single_file/{name}: {rel} not found");
            continue;
        };
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, text| {
            b.iter(|| scan.check_text(rel, black_box(text)).findings.len())
        });
    }
    // What a one-file process pays before checking anything: compiling the embedded catalogue.
    group.throughput(Throughput::Elements(1));
    group.bench_function("catalogue-build", |b| {
        b.iter(|| CatalogueBuilder::new().build().map(|c| c.rules.len()))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = load, check, single_file
}
criterion_main!(benches);
