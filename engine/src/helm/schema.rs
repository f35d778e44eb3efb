//! `values.schema.json`: the coalesced values of each chart validated against its schema
//! (Helm's `ValidateAgainstSchema`: the root with all values, each subchart with its slice),
//! the draft taken from `$schema`. Each error is located at the values line that holds the
//! offending value when the value has an origin.

use super::chart::Chart;
use super::values::{Table, Value};
use crate::source::Location;

/// One schema violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SchemaError {
    /// The chart whose schema failed (`parent/sub` style names as Helm prints them).
    pub chart: String,
    /// The instance path (`/image/tag`).
    pub path: String,
    /// The validator's message.
    pub message: String,
    /// Where the value was written, when known.
    pub location: Option<Location>,
}

/// Validate values against the schemas of the chart and its subcharts.
pub(crate) fn validate(chart: &Chart, values: &Table) -> Vec<SchemaError> {
    let mut out = Vec::new();
    validate_rec(chart, &Value::map(values.clone()), &mut out);
    out
}

fn validate_rec(chart: &Chart, values: &Value, out: &mut Vec<SchemaError>) {
    if let Some(schema_file) = &chart.schema {
        match serde_json::from_str::<serde_json::Value>(schema_file.text()) {
            Err(e) => out.push(SchemaError {
                chart: chart.name().to_string(),
                path: String::new(),
                message: format!("unable to parse values.schema.json: {e}"),
                location: Some(Location::file_start(schema_file)),
            }),
            Ok(schema) => match jsonschema::options().build(&schema) {
                Err(e) => out.push(SchemaError {
                    chart: chart.name().to_string(),
                    path: String::new(),
                    message: format!("invalid schema: {e}"),
                    location: Some(Location::file_start(schema_file)),
                }),
                Ok(validator) => {
                    let instance = values.to_json();
                    for err in validator.iter_errors(&instance) {
                        let path = err.instance_path().as_str().to_string();
                        let location = located(values, &path);
                        out.push(SchemaError {
                            chart: chart.name().to_string(),
                            path,
                            message: err.to_string(),
                            location,
                        });
                    }
                }
            },
        }
    }
    for sub in &chart.dependencies {
        let slice = values
            .as_table()
            .and_then(|t| t.get(sub.name()))
            .cloned()
            .unwrap_or_else(|| Value::map(Table::new()));
        validate_rec(sub, &slice, out);
    }
}

/// The origin of the value at a pointer, or of its nearest ancestor that has one.
fn located(values: &Value, pointer: &str) -> Option<Location> {
    let mut p = pointer.to_string();
    loop {
        if let Some(o) = values.pointer(&p).and_then(|v| v.origin.as_ref()) {
            return Some(o.location());
        }
        let parent = crate::source::parent_pointer(&p)?.to_string();
        p = parent;
    }
}

/// Helm's error text for a failed validation:
/// `values don't meet the specifications of the schema(s) in the following chart(s):` then,
/// per chart, `<chart>:` and `- at '<path>': <message>` lines.
pub(crate) fn error_text(errors: &[SchemaError]) -> String {
    let mut out = String::from(
        "values don't meet the specifications of the schema(s) in the following chart(s):\n",
    );
    let mut last: Option<&str> = None;
    for e in errors {
        if last != Some(e.chart.as_str()) {
            out.push_str(&format!("{}:\n", e.chart));
            last = Some(&e.chart);
        }
        out.push_str(&format!("- at '{}': {}\n", e.path, e.message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helm::values::from_document;
    use crate::source::SourceFile;
    use crate::yaml::{parse, YamlLimits};

    #[test]
    fn errors_are_located_at_the_values_line() {
        let mut c = Chart::synthetic("app");
        c.schema = Some(SourceFile::new(
            "app/values.schema.json",
            r#"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"replicas": {"type": "integer"}}}"#,
        ));
        let file = SourceFile::new("app/values.yaml", "a: 1\nreplicas: two\n");
        let stream = parse(&file, &YamlLimits::default());
        let values = from_document(&stream.documents[0])
            .as_table()
            .cloned()
            .unwrap();
        let errs = validate(&c, &values);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].path, "/replicas");
        assert_eq!(errs[0].location.as_ref().unwrap().start.line, 2);
        assert!(error_text(&errs).starts_with("values don't meet the specifications of the schema(s) in the following chart(s):\napp:\n- at '/replicas': "));
        // Whole floats are integers, as in Helm (JSON numbers).
        let ok = from_document(
            &parse(
                &SourceFile::new("v.yaml", "replicas: 3\n"),
                &YamlLimits::default(),
            )
            .documents[0],
        );
        assert!(validate(&c, ok.as_table().unwrap()).is_empty());
    }
}
