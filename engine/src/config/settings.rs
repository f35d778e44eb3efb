//! What the configuration says of each rule, resolved against the catalogue: switched on or
//! off, its severity, its parameters. Keys name a rule (id or name) or a requirement (every
//! rule that implements it); shared `params` go to every rule that declares a parameter of
//! that name. Precedence: shared parameters, then the requirement's settings, then the rule's.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{ConfigError, LoadedConfig, RuleConfig};
use crate::catalogue::{Catalogue, Rule};
use crate::source::escape_token;
use crate::vocab::{DiagnosticCode, Severity, Text};

/// What the configuration says of one rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSetting {
    /// `Some(false)`: switched off; `Some(true)`: switched on even where its profile leaves it
    /// out.
    pub enabled: Option<bool>,
    /// The severity of its findings, whatever the profile.
    pub severity: Option<Severity>,
    /// Parameters that replace the rule's defaults.
    pub params: Map<String, Value>,
}

/// The settings of every rule the configuration names, by rule id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSettings {
    by_rule: BTreeMap<String, RuleSetting>,
}

impl RuleSettings {
    /// The settings of a rule, if the configuration says anything of it.
    pub fn get(&self, rule_id: &str) -> Option<&RuleSetting> {
        self.by_rule.get(rule_id)
    }

    /// Resolve a configuration against a catalogue: an unknown rule, requirement or parameter
    /// is an error located in the file.
    pub fn resolve(
        loaded: &LoadedConfig,
        catalogue: &Catalogue,
    ) -> Result<RuleSettings, ConfigError> {
        let mut diagnostics = Vec::new();
        let mut by_rule: BTreeMap<String, RuleSetting> = BTreeMap::new();
        let config = &loaded.config;

        // Shared parameters: every rule that declares one of that name.
        for (name, value) in &config.params {
            let pointer = format!("/params/{}", escape_token(name));
            let rules: Vec<&Rule> = catalogue
                .rules
                .iter()
                .filter(|r| r.spec.params.contains_key(name))
                .map(|r| &**r)
                .collect();
            if rules.is_empty() {
                diagnostics.push(loaded.problem(
                    &pointer,
                    DiagnosticCode::ConfigUnknownParameter,
                    Text::new(
                        format!("no rule has a parameter `{name}`"),
                        format!("aucune règle n'a de paramètre `{name}`"),
                    ),
                ));
                continue;
            }
            for rule in rules {
                if let Some(problem) = type_mismatch(rule, name, value) {
                    diagnostics.push(loaded.problem(
                        &pointer,
                        DiagnosticCode::ConfigInvalid,
                        problem,
                    ));
                    continue;
                }
                by_rule
                    .entry(rule.spec.id.clone())
                    .or_default()
                    .params
                    .insert(name.clone(), value.clone());
            }
        }

        // Requirements first, then rules, so that a rule's own settings win.
        let mut keyed: Vec<(bool, &String, &RuleConfig)> = Vec::new();
        for (key, rc) in &config.rules {
            let is_rule = catalogue.rule(key).is_some();
            keyed.push((is_rule, key, rc));
        }
        keyed.sort_by_key(|(is_rule, _, _)| *is_rule);
        for (is_rule, key, rc) in keyed {
            let pointer = format!("/rules/{}", escape_token(key));
            let rules: Vec<&Rule> = if is_rule {
                catalogue.rule(key).map(|r| &**r).into_iter().collect()
            } else if let Some(req) = catalogue.requirement(key) {
                let rules: Vec<&Rule> = catalogue
                    .rules_for(&req.uid)
                    .into_iter()
                    .map(|r| &**r)
                    .collect();
                if rules.is_empty() {
                    diagnostics.push(loaded.problem(
                        &pointer,
                        DiagnosticCode::ConfigUnknownRule,
                        Text::new(
                            format!("requirement `{key}` has no rule: it is judged by hand (see `cct explain {key}`)"),
                            format!("l'exigence `{key}` n'a aucune règle : elle se juge à la main (voir `cct explain {key}`)"),
                        ),
                    ));
                }
                rules
            } else {
                diagnostics.push(loaded.problem(
                    &pointer,
                    DiagnosticCode::ConfigUnknownRule,
                    Text::new(
                        format!("`{key}` is neither a rule id, a rule name nor a requirement (`cct rules` lists them)"),
                        format!("`{key}` n'est ni un identifiant de règle, ni un nom de règle, ni une exigence (`cct rules` les liste)"),
                    ),
                ));
                continue;
            };
            for (name, value) in &rc.params {
                let declaring: Vec<&&Rule> = rules
                    .iter()
                    .filter(|r| r.spec.params.contains_key(name))
                    .collect();
                if declaring.is_empty() {
                    diagnostics.push(loaded.problem(
                        &format!("{pointer}/params/{}", escape_token(name)),
                        DiagnosticCode::ConfigUnknownParameter,
                        Text::new(
                            format!("`{key}` has no parameter `{name}`"),
                            format!("`{key}` n'a pas de paramètre `{name}`"),
                        ),
                    ));
                }
                for rule in declaring {
                    if let Some(problem) = type_mismatch(rule, name, value) {
                        diagnostics.push(loaded.problem(
                            &format!("{pointer}/params/{}", escape_token(name)),
                            DiagnosticCode::ConfigInvalid,
                            problem,
                        ));
                    }
                }
            }
            for rule in rules {
                let setting = by_rule.entry(rule.spec.id.clone()).or_default();
                if rc.enabled.is_some() {
                    setting.enabled = rc.enabled;
                }
                if rc.severity.is_some() {
                    setting.severity = rc.severity;
                }
                for (name, value) in &rc.params {
                    if rule.spec.params.contains_key(name) {
                        setting.params.insert(name.clone(), value.clone());
                    }
                }
            }
        }
        if diagnostics.is_empty() {
            Ok(RuleSettings { by_rule })
        } else {
            Err(ConfigError { diagnostics })
        }
    }
}

/// Whether a value has the JSON type of a parameter's default (a `null` default takes anything).
fn type_mismatch(rule: &Rule, name: &str, value: &Value) -> Option<Text> {
    let default = rule.spec.params.get(name)?;
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    };
    if default.is_null() || value.is_null() || kind(default) == kind(value) {
        return None;
    }
    Some(Text::new(
        format!(
            "parameter `{name}` of {} is a {}, not a {}",
            rule.spec.id,
            kind(default),
            kind(value)
        ),
        format!(
            "le paramètre `{name}` de {} est de type {}, pas {}",
            rule.spec.id,
            kind(default),
            kind(value)
        ),
    ))
}
