//! Helm's values coalescing (`chartutil.CoalesceValues`, `MergeValues`, `CoalesceTables`,
//! `MergeTables`), rule for rule: user values over chart defaults, `null` deleting a default
//! (when coalescing, not when merging), globals copied down to subcharts, and each subchart's
//! values scoped under its name (or alias).

use super::chart::Chart;
use super::values::{Table, Value, ValueKind};
use super::HelmError;

/// Warnings Helm logs while coalescing (a table overwritten by a scalar…), in order.
pub(crate) type Warnings = Vec<String>;

/// `CoalesceValues(chart, vals)`: the chart's defaults (and its subcharts') under `vals`.
pub(crate) fn coalesce_values(
    chart: &Chart,
    vals: &Table,
    warn: &mut Warnings,
) -> Result<Table, HelmError> {
    let mut dest = vals.clone();
    coalesce(chart, &mut dest, "", false, warn)?;
    Ok(dest)
}

/// `MergeValues(chart, vals)`: as [`coalesce_values`] but `null`s are kept.
pub(crate) fn merge_values(
    chart: &Chart,
    vals: &Table,
    warn: &mut Warnings,
) -> Result<Table, HelmError> {
    let mut dest = vals.clone();
    coalesce(chart, &mut dest, "", true, warn)?;
    Ok(dest)
}

fn coalesce(
    chart: &Chart,
    dest: &mut Table,
    prefix: &str,
    merge: bool,
    warn: &mut Warnings,
) -> Result<(), HelmError> {
    coalesce_chart_values(chart, dest, prefix, merge, warn);
    coalesce_deps(chart, dest, prefix, merge, warn)
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

fn coalesce_deps(
    chart: &Chart,
    dest: &mut Table,
    prefix: &str,
    merge: bool,
    warn: &mut Warnings,
) -> Result<(), HelmError> {
    for sub in &chart.dependencies {
        let name = sub.name();
        match dest.get(name) {
            None => {
                dest.insert(name.to_string(), Value::map(Table::new()));
            }
            Some(v) if !v.is_table() => {
                return Err(HelmError::Values(format!(
                    "type mismatch on {name}: {}",
                    go_type_mismatch(v)
                )));
            }
            Some(_) => {}
        }
        let sub_prefix = concat_prefix(prefix, chart.name());
        let globals = dest.get(GLOBAL).cloned();
        if let Some(ValueKind::Map(dv)) = dest.get_mut(name).map(|v| &mut v.kind) {
            coalesce_globals(dv, globals.as_ref(), warn);
            coalesce(sub, dv, &sub_prefix, merge, warn)?;
        }
    }
    Ok(())
}

/// `%t` of a non-bool in Go prints `%!t(type=value)`; Helm's message shows that.
fn go_type_mismatch(v: &Value) -> String {
    match &v.kind {
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::String(s) => format!("%!t(string={s})"),
        ValueKind::Float(f) => format!("%!t(float64={f})"),
        ValueKind::Int(i) => format!("%!t(int64={i})"),
        ValueKind::Null => "%!t(<nil>)".to_string(),
        ValueKind::List(_) => "[...]".to_string(),
        ValueKind::Map(_) => "map[...]".to_string(),
    }
}

/// The key holding global values.
pub(super) const GLOBAL: &str = "global";

fn coalesce_globals(dest: &mut Table, src_global: Option<&Value>, warn: &mut Warnings) {
    let mut dg = match dest.get(GLOBAL) {
        None => Value::map(Table::new()),
        Some(v) if v.is_table() => v.clone(),
        Some(_) => {
            warn.push(
                "warning: skipping globals because destination global is not a table.".into(),
            );
            return;
        }
    };
    let sg = match src_global {
        None => Table::new(),
        Some(Value {
            kind: ValueKind::Map(t),
            ..
        }) => t.clone(),
        Some(_) => {
            warn.push("warning: skipping globals because source global is not a table.".into());
            return;
        }
    };
    let Some(dgt) = dg.as_table_mut() else { return };
    for (key, val) in sg {
        if val.is_table() {
            let mut vv = val;
            match dgt.get(&key) {
                None => {
                    dgt.insert(key, vv);
                }
                Some(destv) => match &destv.kind {
                    ValueKind::Map(destmap) => {
                        if let ValueKind::Map(vt) = &mut vv.kind {
                            coalesce_tables(vt, destmap.clone(), true, warn);
                        }
                        dgt.insert(key, vv);
                    }
                    _ => warn.push(format!(
                        "Conflict: cannot merge map onto non-map for {key:?}. Skipping."
                    )),
                },
            }
        } else if dgt.get(&key).is_some_and(Value::is_table) {
            warn.push(format!("key {key} is table. Skipping"));
        } else {
            dgt.insert(key, val);
        }
    }
    dest.insert(GLOBAL.to_string(), dg);
}

/// `coalesceValues`: the chart's own defaults into `v` (user values win).
fn coalesce_chart_values(
    chart: &Chart,
    v: &mut Table,
    prefix: &str,
    merge: bool,
    warn: &mut Warnings,
) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    for (key, val) in chart.values.clone() {
        match v.get_mut(&key) {
            Some(value) if value.is_null() && !merge => {
                v.remove(&key);
            }
            Some(value) => {
                if let ValueKind::Map(dest) = &mut value.kind {
                    match val.kind {
                        ValueKind::Map(src) => {
                            let child_merge =
                                merge || chart.dependencies.iter().any(|d| d.name() == key);
                            coalesce_tables(dest, src, child_merge, warn);
                        }
                        ValueKind::Null => {}
                        _ => warn.push(format!(
                            "warning: skipped value for {sub_prefix}.{key}: Not a table."
                        )),
                    }
                }
            }
            None => {
                // Helm v4 copies a default absent from the user values without its nulls
                // when coalescing (a `null` default never reaches `.Values`), as is when
                // merging.
                if merge {
                    v.insert(key, val);
                } else if let Some(val) = without_nulls(val) {
                    v.insert(key, val);
                }
            }
        }
    }
}

/// A value with the `null` entries of its tables removed (`None` for `null` itself).
fn without_nulls(v: Value) -> Option<Value> {
    match v.kind {
        ValueKind::Null => None,
        ValueKind::Map(t) => Some(Value {
            kind: ValueKind::Map(
                t.into_iter()
                    .filter_map(|(k, v)| without_nulls(v).map(|v| (k, v)))
                    .collect(),
            ),
            origin: v.origin,
        }),
        kind => Some(Value {
            kind,
            origin: v.origin,
        }),
    }
}

/// `CoalesceTables` (merge = false) / `MergeTables` (merge = true): `src` into `dst`, `dst`
/// authoritative.
pub(crate) fn coalesce_tables(dst: &mut Table, mut src: Table, merge: bool, warn: &mut Warnings) {
    for (key, val) in dst.iter() {
        if val.is_null() {
            src.insert(key.clone(), Value::null());
        }
    }
    for (key, val) in src {
        let Some(dv) = dst.get_mut(&key) else {
            dst.insert(key, val);
            continue;
        };
        if !merge && dv.is_null() {
            dst.remove(&key);
        } else if let ValueKind::Map(st) = val.kind {
            if let ValueKind::Map(dt) = &mut dv.kind {
                coalesce_tables(dt, st, merge, warn);
            } else {
                warn.push(format!(
                    "warning: cannot overwrite table with non table for {key} (map[...])"
                ));
            }
        } else if dv.is_table() && !val.is_null() {
            warn.push(format!(
                "warning: destination for {key} is a table. Ignoring non-table value ({})",
                super::data::go_print(&val)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(j: serde_json::Value) -> Table {
        Value::from_json(&j, None).as_table().cloned().unwrap()
    }

    fn j(t: &Table) -> serde_json::Value {
        Value::map(t.clone()).to_json()
    }

    fn chart(name: &str, values: serde_json::Value, deps: Vec<Chart>) -> Chart {
        let mut c = Chart::synthetic(name);
        c.values = t(values);
        c.dependencies = deps;
        c
    }

    #[test]
    fn user_values_win_and_null_deletes_a_default() {
        let c = chart(
            "a",
            json!({"x": 1, "y": {"z": 2, "w": 3}, "k": "d"}),
            vec![],
        );
        let mut w = Warnings::new();
        let out = coalesce_values(
            &c,
            &t(json!({"y": {"z": null, "q": 1}, "k": null, "n": null})),
            &mut w,
        )
        .unwrap();
        // A user null with no default to delete stays as null.
        assert_eq!(j(&out), json!({"x": 1, "y": {"w": 3, "q": 1}, "n": null}));
    }

    #[test]
    fn null_defaults_never_reach_the_values() {
        let c = chart(
            "a",
            json!({"foo": null, "nest": {"a": null, "b": 1}}),
            vec![],
        );
        let mut w = Warnings::new();
        let out = coalesce_values(&c, &Table::new(), &mut w).unwrap();
        assert_eq!(j(&out), json!({"nest": {"b": 1}}));
    }

    #[test]
    fn merge_keeps_nulls() {
        let c = chart("a", json!({"k": "d", "y": {"z": 1}}), vec![]);
        let mut w = Warnings::new();
        let out = merge_values(&c, &t(json!({"k": null, "y": {"z": null}})), &mut w).unwrap();
        assert_eq!(j(&out), json!({"k": null, "y": {"z": null}}));
    }

    #[test]
    fn table_and_scalar_conflicts_keep_the_user_value() {
        let c = chart("a", json!({"m": {"a": 1}, "s": 1}), vec![]);
        let mut w = Warnings::new();
        let out = coalesce_values(&c, &t(json!({"m": "str", "s": {"b": 2}})), &mut w).unwrap();
        assert_eq!(j(&out), json!({"m": "str", "s": {"b": 2}}));
    }

    #[test]
    fn subcharts_are_scoped_and_receive_globals() {
        let sub = chart(
            "sub",
            json!({"port": 80, "global": {"g": "sub", "h": "sub"}}),
            vec![],
        );
        let parent = chart(
            "parent",
            json!({"global": {"g": "parent", "t": {"a": 1}}, "sub": {"port": 81}}),
            vec![sub],
        );
        let mut w = Warnings::new();
        let out = coalesce_values(&parent, &t(json!({"global": {"t": {"b": 2}}})), &mut w).unwrap();
        assert_eq!(
            j(&out),
            json!({
                "global": {"g": "parent", "t": {"a": 1, "b": 2}},
                "sub": {"port": 81, "global": {"g": "parent", "h": "sub", "t": {"a": 1, "b": 2}}}
            })
        );
    }

    #[test]
    fn a_null_for_a_subchart_key_deletes_the_subchart_default() {
        let sub = chart("sub", json!({"a": 1, "b": 2}), vec![]);
        let parent = chart("parent", json!({"sub": {"a": 5, "c": 3}}), vec![sub]);
        let mut w = Warnings::new();
        let out =
            coalesce_values(&parent, &t(json!({"sub": {"a": null, "c": null}})), &mut w).unwrap();
        // `c` is only a parent default: the parent-level merge for a subchart key keeps the
        // null, and the subchart has no `c` default to delete.
        assert_eq!(j(&out), json!({"sub": {"b": 2, "c": null, "global": {}}}));
    }

    #[test]
    fn a_scalar_in_place_of_a_subchart_table_is_an_error() {
        let sub = chart("sub", json!({}), vec![]);
        let parent = chart("parent", json!({}), vec![sub]);
        let mut w = Warnings::new();
        let err = coalesce_values(&parent, &t(json!({"sub": true})), &mut w).unwrap_err();
        assert_eq!(err.to_string(), "type mismatch on sub: true");
    }
}
