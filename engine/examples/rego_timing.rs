// TEMPORARY (perf investigation), to delete.
use regorus::{Engine, Value};
use std::time::Instant;
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    for round in 0..3 {
        let t = Instant::now();
        let mut e = Engine::new();
        e.set_strict_builtin_errors(false);
        let t_new = t.elapsed();
        let pkg = e.add_policy("p.rego".into(), text.clone()).unwrap();
        let t_parse = t.elapsed();
        let found = e.has_declared_rule_rooted_at("p.rego", "deny");
        let t_decl = t.elapsed();
        e.add_data(Value::from_json_str(r#"{"params":{"min_replicas":2, "platform_default_netpols": true},"profile":"cpin"}"#).unwrap()).unwrap();
        e.set_input(Value::new_object());
        let r = e.eval_rule(format!("{pkg}.deny"));
        let t_prep = t.elapsed();
        let mut c = e.clone();
        let t_clone = t.elapsed();
        c.set_input(
            Value::from_json_str(r#"{"kind":"Deployment","metadata":{"name":"x"},"spec":{}}"#)
                .unwrap(),
        );
        let _ = c.eval_rule(format!("{pkg}.deny"));
        let t_eval = t.elapsed();
        for _ in 0..std::env::var("N")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(100)
        {
            let _ = c.eval_rule(format!("{pkg}.deny"));
        }
        let t_100 = t.elapsed();
        c.add_data(
            Value::from_json_str(r#"{"inventory":{"resources":[],"by_kind":{},"namespace":""}}"#)
                .unwrap(),
        )
        .unwrap();
        let _ = c.eval_rule(format!("{pkg}.deny"));
        let t_readd = t.elapsed();
        println!("round {round}: new {:?} parse {:?} decl {:?}={:?} prep+eval {:?} clone {:?} eval1 {:?} eval100 {:?} add_data+eval {:?} ({})",
            t_new, t_parse - t_new, t_decl - t_parse, found.is_ok_and(|x| x), t_prep - t_decl, t_clone - t_prep, t_eval - t_clone, t_100 - t_eval, t_readd - t_100, r.is_ok());
    }
}
