//! The Go objects a template sees as `.Files` and `.Capabilities`: their fields, methods,
//! `%v` forms and plain values (for `toYaml`, `toJson`, `range`).

use std::collections::BTreeMap;
use std::rc::Rc;

use cct_template as tpl;
use tpl::MethodError;

use crate::helm::{Capabilities, Files, KubeVersion};

/// `.Files` (its `%v` form, costly for big charts, computed once), with the provenance
/// source of each text file (what `Get` reads points into its file).
#[derive(Debug)]
pub(super) struct FilesObj(
    Files,
    std::cell::OnceCell<String>,
    Rc<BTreeMap<String, u32>>,
);

impl FilesObj {
    pub(super) fn new(files: Files) -> FilesObj {
        FilesObj(files, std::cell::OnceCell::new(), Rc::default())
    }

    /// The same files, whose text read by `Get` comes from the given provenance sources.
    pub(super) fn with_origins(mut self, origins: Rc<BTreeMap<String, u32>>) -> FilesObj {
        self.2 = origins;
        self
    }

    /// `Get`: the file's text, from the whole file.
    fn get(&self, name: &str) -> tpl::Value {
        let text = self.0.get(name);
        match self.2.get(name) {
            Some(&source) if !text.is_empty() => {
                let end = text.len() as u32;
                tpl::Value::str(text).with_origin(tpl::Origin::Value {
                    source,
                    start: 0,
                    end,
                })
            }
            _ => tpl::Value::str(text),
        }
    }
}

impl tpl::Object for FilesObj {
    fn type_name(&self) -> String {
        "files.Files".into()
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets"
        )
    }
    fn call_method(&self, name: &str, args: &[tpl::Value]) -> Result<tpl::Value, MethodError> {
        let arg = |i: usize| -> Result<&str, MethodError> {
            match args.get(i) {
                Some(v) => v.as_str().ok_or_else(|| MethodError::ArgType {
                    expected: "string".into(),
                    got: v.type_name(),
                }),
                None => Err(MethodError::ArgCount {
                    method: name.to_string(),
                    want: 1,
                    got: 0,
                }),
            }
        };
        Ok(match name {
            "Get" | "GetBytes" => self.get(arg(0)?),
            "Glob" => tpl::Value::object(Rc::new(
                FilesObj::new(self.0.glob(arg(0)?)).with_origins(Rc::clone(&self.2)),
            )),
            "Lines" => tpl::Value::list(
                self.0
                    .lines(arg(0)?)
                    .into_iter()
                    .map(tpl::Value::str)
                    .collect(),
            ),
            "AsConfig" => tpl::Value::str(self.0.as_config()),
            "AsSecrets" => tpl::Value::str(self.0.as_secrets()),
            _ => return Err(MethodError::Unknown(name.to_string())),
        })
    }
    fn truthy(&self) -> bool {
        !self.0.map.is_empty()
    }
    fn display(&self) -> String {
        // Go's `%v` of a `map[string][]byte`: `map[name:[97 98] …]`.
        self.1
            .get_or_init(|| {
                let size: usize = self
                    .0
                    .map
                    .iter()
                    .map(|(k, v)| k.len() + 4 * v.len() + 4)
                    .sum();
                let mut out = String::with_capacity(size + 5);
                out.push_str("map[");
                for (i, (k, v)) in self.0.map.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push_str(":[");
                    for (j, b) in v.iter().enumerate() {
                        if j > 0 {
                            out.push(' ');
                        }
                        if *b >= 100 {
                            out.push(char::from(b'0' + b / 100));
                        }
                        if *b >= 10 {
                            out.push(char::from(b'0' + (b / 10) % 10));
                        }
                        out.push(char::from(b'0' + b % 10));
                    }
                    out.push(']');
                }
                out.push(']');
                out
            })
            .clone()
    }
    fn to_plain(&self) -> tpl::Value {
        // `map[string][]byte`: JSON gives base64 strings.
        tpl::Value::map(
            self.0
                .map
                .iter()
                .map(|(k, v)| (k.clone(), tpl::Value::str(crate::helm::data::base64(v))))
                .collect(),
        )
    }
}

/// `.Capabilities.APIVersions`.
#[derive(Debug)]
struct ApiVersionsObj(Vec<String>);

impl tpl::Object for ApiVersionsObj {
    fn type_name(&self) -> String {
        "common.VersionSet".into()
    }
    fn has_method(&self, name: &str) -> bool {
        name == "Has"
    }
    fn call_method(&self, _: &str, args: &[tpl::Value]) -> Result<tpl::Value, MethodError> {
        let a = args.first().and_then(tpl::Value::as_str).unwrap_or("");
        Ok(tpl::Value::bool(self.0.iter().any(|v| v == a)))
    }
    fn display(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn to_plain(&self) -> tpl::Value {
        tpl::Value::list(self.0.iter().map(|s| tpl::Value::str(s.as_str())).collect())
    }
}

/// `.Capabilities.KubeVersion` (prints as its version).
#[derive(Debug)]
struct KubeVersionObj(KubeVersion);

impl tpl::Object for KubeVersionObj {
    fn type_name(&self) -> String {
        "*common.KubeVersion".into()
    }
    fn field(&self, name: &str) -> Option<tpl::Value> {
        Some(tpl::Value::str(match name {
            "Version" | "GitVersion" => self.0.version.as_str(),
            "Major" => self.0.major.as_str(),
            "Minor" => self.0.minor.as_str(),
            _ => return None,
        }))
    }
    fn has_method(&self, name: &str) -> bool {
        name == "String"
    }
    fn call_method(&self, _: &str, _: &[tpl::Value]) -> Result<tpl::Value, MethodError> {
        Ok(tpl::Value::str(self.0.version.as_str()))
    }
    fn display(&self) -> String {
        self.0.version.clone()
    }
    fn to_plain(&self) -> tpl::Value {
        tpl::Value::map(
            [
                ("major", &self.0.major),
                ("minor", &self.0.minor),
                ("version", &self.0.version),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), tpl::Value::str(v.as_str())))
            .collect(),
        )
    }
}

pub(super) fn capabilities_value(c: &Capabilities) -> tpl::Value {
    let mut m = BTreeMap::new();
    m.insert(
        "APIVersions".to_string(),
        tpl::Value::object(Rc::new(ApiVersionsObj(c.api_versions.clone()))),
    );
    m.insert(
        "KubeVersion".to_string(),
        tpl::Value::object(Rc::new(KubeVersionObj(c.kube_version.clone()))),
    );
    let hv: BTreeMap<String, tpl::Value> = [
        ("Version", c.helm_version.as_str()),
        ("GitCommit", ""),
        ("GitTreeState", ""),
        ("GoVersion", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), tpl::Value::str(v)))
    .collect();
    m.insert("HelmVersion".to_string(), tpl::Value::map(hv));
    tpl::Value::map(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tpl::Object;

    #[test]
    fn files_methods_and_their_errors() {
        let mut files = Files::default();
        files.map.insert("a.txt".into(), Arc::from(&b"x\ny"[..]));
        let obj = FilesObj::new(files);
        let call = |name: &str, args: &[tpl::Value]| obj.call_method(name, args);
        let lines = call("Lines", &[tpl::Value::str("a.txt")]).unwrap();
        assert_eq!(lines.as_list().map(|l| l.len()), Some(2));
        let err = |name: &str, args: &[tpl::Value]| call(name, args).unwrap_err().to_string();
        assert_eq!(
            err("Get", &[]),
            "wrong number of args for Get: want 1 got 0"
        );
        assert_eq!(
            err("Get", &[tpl::Value::int(1)]),
            "wrong type for value; expected string; got int"
        );
        assert_eq!(err("Open", &[]), "can't call method Open");
    }

    #[test]
    fn capabilities_objects() {
        let caps = capabilities_value(&Capabilities::default());
        let api = caps.get("APIVersions").unwrap();
        let tpl::Kind::Object(api) = api.kind() else {
            panic!("{api:?}")
        };
        let has = |v: &str| api.call_method("Has", &[tpl::Value::str(v)]).unwrap();
        assert!(has("apps/v1").truthy());
        assert!(!has("apps/v0").truthy());
    }
}
