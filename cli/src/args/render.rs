//! The arguments of `cct render`.

use std::path::PathBuf;

/// The arguments of `cct render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The chart folder, or a kustomization folder (built as `kustomize build` does).
    pub chart: PathBuf,
    /// A values file, merged in order (repeatable).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// Set a value (Helm's syntax: a.b=c,d[0]=e; repeatable).
    #[arg(long = "set", value_name = "K=V")]
    pub set: Vec<String>,
    /// Set a string value (repeatable).
    #[arg(long = "set-string", value_name = "K=V")]
    pub set_string: Vec<String>,
    /// Set a JSON value (`a.b={"c":1}`, or a whole JSON object; repeatable).
    #[arg(long = "set-json", value_name = "K=JSON")]
    pub set_json: Vec<String>,
    /// Set a value to the text of a file (`key=path`; repeatable).
    #[arg(long = "set-file", value_name = "K=PATH")]
    pub set_file: Vec<String>,
    /// Set a string value taken literally, commas and backslashes included (repeatable).
    #[arg(long = "set-literal", value_name = "K=V")]
    pub set_literal: Vec<String>,
    /// The release name.
    #[arg(long = "release", value_name = "NAME", default_value = "release-name")]
    pub release: String,
    /// The release namespace.
    #[arg(
        short = 'n',
        long = "namespace",
        value_name = "NS",
        default_value = "default"
    )]
    pub namespace: String,
    /// A folder of charts where dependencies that `charts/` lacks are found by name (repeatable).
    #[arg(long = "charts-dir", value_name = "DIR")]
    pub charts_dir: Vec<PathBuf>,
    /// The Kubernetes version for `.Capabilities.KubeVersion` (default v1.36.0).
    #[arg(long = "kube-version", value_name = "V")]
    pub kube_version: Option<String>,
    /// An API version added to `.Capabilities.APIVersions` (repeatable).
    #[arg(long = "api-versions", value_name = "G/V")]
    pub api_versions: Vec<String>,
    /// Print the `crds/` files first.
    #[arg(long = "include-crds")]
    pub include_crds: bool,
}
