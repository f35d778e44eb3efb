//! A set of associated templates (Go's `*template.Template` namespace).

use std::collections::HashMap;
use std::rc::Rc;

use crate::ast::{is_empty_tree, List};
use crate::exec::{self, ExecError, ExecOptions};
use crate::funcs::FuncMap;
use crate::parse::{parse, ParseError};
use crate::prov::{FileId, Origin, Prov, Rendered};
use crate::value::Value;

/// Source text a template was parsed from.
#[derive(Debug)]
pub(crate) struct Source {
    /// Parse name (file name used in error locations).
    pub(crate) name: Rc<str>,
    pub(crate) text: Rc<str>,
    /// File id for template files; `None` for dynamic (`tpl`) sources.
    pub(crate) file: Option<FileId>,
    /// Provenance of the text itself (for `tpl` sources).
    pub(crate) text_prov: Prov,
    /// Origin for computed bytes when no finer origin is known.
    pub(crate) fallback: Origin,
}

/// A named template tree.
#[derive(Debug)]
pub(crate) struct TemplateDef {
    pub(crate) name: Rc<str>,
    pub(crate) root: Rc<List>,
    pub(crate) source: Rc<Source>,
}

/// A set of templates sharing `define`d names and a function map.
///
/// ```
/// use cct_template::{TemplateSet, Value, ExecOptions};
/// let mut set = TemplateSet::new();
/// set.add("hello", r#"{{ define "x" }}[{{ . }}]{{ end }}Hello {{ include "x" .name | upper }}!"#).unwrap();
/// let data = Value::from_json(r#"{"name": "world"}"#).unwrap();
/// let out = set.execute("hello", &data, &ExecOptions::default()).unwrap();
/// assert_eq!(out.text, "Hello [WORLD]!");
/// ```
pub struct TemplateSet {
    files: Vec<Rc<Source>>,
    templates: HashMap<Rc<str>, Rc<TemplateDef>>,
    funcs: FuncMap,
    left: String,
    right: String,
}

impl Default for TemplateSet {
    fn default() -> Self {
        TemplateSet::new()
    }
}

impl TemplateSet {
    /// A set with Go's builtins, Sprig and the default Helm-like functions (`include`, `tpl`, ...).
    pub fn new() -> TemplateSet {
        TemplateSet::with_funcs(FuncMap::standard())
    }

    /// A set with the given functions.
    pub fn with_funcs(funcs: FuncMap) -> TemplateSet {
        TemplateSet {
            files: Vec::new(),
            templates: HashMap::new(),
            funcs,
            left: "{{".into(),
            right: "}}".into(),
        }
    }

    /// The function map (register functions before adding templates that use them).
    pub fn funcs_mut(&mut self) -> &mut FuncMap {
        &mut self.funcs
    }

    /// The function map.
    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    /// Sets the action delimiters for subsequently added templates (empty = default).
    pub fn set_delims(&mut self, left: &str, right: &str) {
        self.left = if left.is_empty() { "{{" } else { left }.into();
        self.right = if right.is_empty() { "}}" } else { right }.into();
    }

    pub(crate) fn left_delim(&self) -> &str {
        &self.left
    }
    pub(crate) fn right_delim(&self) -> &str {
        &self.right
    }

    /// Parses `text` as the template `name` and adds it and its `define`s to the set.
    /// Later definitions replace earlier ones, except that an empty body never replaces
    /// a non-empty one (as in Go).
    pub fn add(&mut self, name: &str, text: &str) -> Result<FileId, ParseError> {
        let funcs = &self.funcs;
        let parsed = parse(name, text, &self.left, &self.right, &|f| {
            funcs.get(f).is_some()
        })?;
        let id = self.files.len() as FileId;
        let source = Rc::new(Source {
            name: name.into(),
            text: text.into(),
            file: Some(id),
            text_prov: Prov::None,
            fallback: Origin::Action {
                file: id,
                start: 0,
                end: text.len() as u32,
            },
        });
        self.files.push(source.clone());
        let mut trees: Vec<(Rc<str>, List)> = vec![(name.into(), parsed.root)];
        trees.extend(parsed.defs);
        for (n, list) in trees {
            if let Some(old) = self.templates.get(&n) {
                if is_empty_tree(&list) && !is_empty_tree(&old.root) {
                    continue;
                }
            }
            self.templates.insert(
                n.clone(),
                Rc::new(TemplateDef {
                    name: n,
                    root: Rc::new(list),
                    source: source.clone(),
                }),
            );
        }
        Ok(id)
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<Rc<TemplateDef>> {
        self.templates.get(name).cloned()
    }

    /// Whether a template of that name exists.
    pub fn has_template(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// Names of all templates, sorted.
    pub fn template_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.templates.keys().map(|k| k.to_string()).collect();
        v.sort();
        v
    }

    /// The name of a file added with [`TemplateSet::add`].
    pub fn file_name(&self, id: FileId) -> Option<&str> {
        self.files.get(id as usize).map(|s| &*s.name)
    }

    /// The text of a file added with [`TemplateSet::add`].
    pub fn file_text(&self, id: FileId) -> Option<&str> {
        self.files.get(id as usize).map(|s| &*s.text)
    }

    /// Executes the template `name` with `data`.
    pub fn execute(
        &self,
        name: &str,
        data: &Value,
        opts: &ExecOptions,
    ) -> Result<Rendered, ExecError> {
        exec::execute(self, name, data, opts)
    }
}
