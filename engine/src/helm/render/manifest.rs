//! The manifest of a render: the templates' outputs (and the `crds/` files with
//! `--include-crds`) assembled as `helm template` prints them, with where each byte came from.

use super::error::{RenderError, RenderErrorKind};
use super::execute::{Executed, SegOrigin};
use super::{RenderOptions, RenderedDoc};
use crate::helm::output::{assemble_placed, OutputPart};
use crate::helm::Chart;
use crate::source::{ByteOrigin, ProvSegment, ProvenanceMap};
use crate::source::{ByteRange, SourceFile};

/// An assembled manifest.
pub(super) struct Assembled {
    /// What `helm template` prints.
    pub(super) manifest: String,
    /// Its documents, in order.
    pub(super) documents: Vec<RenderedDoc>,
    /// Where each of its bytes came from.
    pub(super) provenance: ProvenanceMap,
}

/// Assemble the manifest of `chart` from its executed templates, as `helm template` does.
pub(super) fn assemble_manifest(
    chart: &Chart,
    rendered: Executed,
    opts: &RenderOptions,
) -> Result<Assembled, RenderError> {
    let crds: Vec<(String, String, String)> = if opts.include_crds {
        collect_crds(chart, &mut Vec::new())
    } else {
        Vec::new()
    };
    let mut files = rendered.files;
    let crd_file_index: Vec<u32> = crds
        .iter()
        .map(|(_, text, shown)| {
            files.push(SourceFile::new(shown.clone(), text.clone()));
            (files.len() - 1) as u32
        })
        .collect();
    let crd_pairs: Vec<(String, String)> = crds
        .iter()
        .map(|(n, t, _)| (n.clone(), t.clone()))
        .collect();
    let (manifest, parts) = assemble_placed(&rendered.outputs, &crd_pairs)
        .map_err(|e| RenderError::new(RenderErrorKind::Output, e.message()))?;
    if manifest.len() > opts.limits.max_manifest_bytes {
        return Err(RenderError::new(
            RenderErrorKind::Limit,
            format!(
                "rendered manifest exceeds {} bytes",
                opts.limits.max_manifest_bytes
            ),
        ));
    }
    let mut segments: Vec<ProvSegment> = Vec::new();
    let mut documents = Vec::new();
    let mut doc_ranges = Vec::new();
    for (range, part) in parts {
        match part {
            OutputPart::Crd(i) => {
                let name = crd_pairs[i].0.clone();
                if range.end > range.start {
                    segments.push(ProvSegment {
                        start: range.start as u32,
                        end: range.end as u32,
                        origin: ByteOrigin::Text {
                            file: crd_file_index[i],
                            start: 0,
                        },
                    });
                }
                doc_ranges.push((ByteRange::new(range.start, range.end), name.clone()));
                documents.push(RenderedDoc {
                    source_template: name,
                    text_range: range,
                    kind: "CustomResourceDefinition".into(),
                    hook: false,
                    crd: true,
                });
            }
            OutputPart::Doc(p) => {
                let segs = &rendered.segments[p.template];
                let from = segs.partition_point(|s| s.end <= p.range.start);
                let len = range.end - range.start;
                for s in segs.get(from..).unwrap_or(&[]) {
                    if s.start >= p.range.start + len {
                        break;
                    }
                    let a = s.start.max(p.range.start);
                    let b = s.end.min(p.range.start + len);
                    if a >= b {
                        continue;
                    }
                    let origin = match s.origin {
                        SegOrigin::Text { file, start } => ByteOrigin::Text {
                            file,
                            start: start + (a - s.start) as u32,
                        },
                        o => o.into_byte_origin(),
                    };
                    let shift = |x: usize| (x - p.range.start + range.start) as u32;
                    segments.push(ProvSegment {
                        start: shift(a),
                        end: shift(b),
                        origin,
                    });
                }
                let name = rendered.outputs[p.template].0.clone();
                doc_ranges.push((ByteRange::new(range.start, range.end), name.clone()));
                documents.push(RenderedDoc {
                    source_template: name,
                    text_range: range,
                    kind: p.kind,
                    hook: p.hook,
                    crd: false,
                });
            }
        }
    }
    segments.sort_by_key(|s| s.start);
    Ok(Assembled {
        manifest,
        documents,
        provenance: ProvenanceMap {
            files,
            segments,
            documents: doc_ranges,
            ..ProvenanceMap::default()
        },
    })
}

/// The `crds/` files of a chart and its enabled subcharts (Helm's `CRDObjects`): full name
/// (`chart/charts/sub/crds/x.yaml`), text, and display path.
fn collect_crds(chart: &Chart, prefix: &mut Vec<String>) -> Vec<(String, String, String)> {
    prefix.push(chart.name().to_string());
    let path = prefix.join("/charts/");
    let mut out: Vec<(String, String, String)> = chart
        .crd_files()
        .map(|f| {
            (
                format!("{path}/{}", f.name),
                String::from_utf8_lossy(&f.data).into_owned(),
                format!("{}/{}", chart.display, f.name),
            )
        })
        .collect();
    for d in &chart.dependencies {
        out.extend(collect_crds(d, prefix));
    }
    prefix.pop();
    out
}
