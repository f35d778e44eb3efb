//! YAML as Helm sees it.
//!
//! * [`to_yaml`] reproduces `sigs.k8s.io/yaml.Marshal`: the value goes through JSON
//!   (so numbers are re-read by go-yaml v2's resolver) and is then emitted by go-yaml v2
//!   (sorted keys with its "natural" order, quoting rules, `|-` literals, 80-column
//!   folding, indentless sequences inside mappings).
//! * [`from_yaml`] reproduces `sigs.k8s.io/yaml.Unmarshal` into `interface{}`:
//!   numbers become `float64`, keys strings, timestamps stay strings.
//! * [`parse_values`] does the same while attaching [`Origin::Value`] spans to scalars.
//!
//! One module per stage: `node` turns a value into the tree go-yaml's encoder sees (the JSON
//! round trip, go-yaml's key order), `emit` writes that tree as go-yaml does, `decode` reads
//! YAML as sigs.k8s.io/yaml does. What tag a plain scalar gets is go-yaml v2's resolver,
//! [`cct_yaml11::resolve`].
//!
//! [`Origin::Value`]: crate::Origin::Value

mod decode;
mod emit;
mod node;

pub use decode::{from_yaml, parse_values, DecodeError};
pub use emit::{to_yaml, to_yaml_pretty, EmitError};
