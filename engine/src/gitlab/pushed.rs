//! The images a GitLab CI configuration builds and pushes, read from its model: the
//! destinations of `kaniko` (`--destination`), `docker`/`podman`/`buildah`/`nerdctl` (`push`,
//! `build -t`), `crane push` and `skopeo copy`, and the jobs that extend a kaniko or buildkit
//! template of the Cloud π Native catalogue with an `IMAGE_NAME` (pushed to `$REGISTRY_URL`).
//! The job's variables are expanded; a variable it does not define stays as written
//! (`$CI_REGISTRY_IMAGE/api`).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// The image names (without tag or digest) the jobs of a GitLab CI model push, sorted.
pub(crate) fn pushed_images(model: &Value) -> Vec<String> {
    let mut out = BTreeSet::new();
    let Some(jobs) = model.get("jobs").and_then(Value::as_object) else {
        return Vec::new();
    };
    for job in jobs.values() {
        let empty = Map::new();
        let vars = job
            .get("variables")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut found = Vec::new();
        for line in job
            .get("scriptLines")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for cmd in line
                .get("commands")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let program = cmd.get("program").and_then(Value::as_str).unwrap_or("");
                let args: Vec<&str> = cmd
                    .get("args")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                found.extend(destinations(program, &args));
            }
        }
        let catalogue = job
            .get("extendsAll")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|e| e.starts_with(".kaniko") || e.starts_with(".buildkit"));
        if catalogue && variable(vars, "IMAGE_NAME").is_some() {
            found.push("$REGISTRY_URL/$IMAGE_NAME".to_string());
        }
        for d in found {
            let name = image_name(&expand(&expand(&d, vars), vars));
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out.into_iter().collect()
}

/// The references a command pushes (or tags for pushing).
fn destinations(program: &str, args: &[&str]) -> Vec<String> {
    match program {
        "executor" | "kaniko" => option(args, &["--destination", "-d"]),
        "docker" | "podman" | "buildah" | "nerdctl" => {
            let verbs: Vec<&str> = args
                .iter()
                .copied()
                .filter(|a| !a.starts_with('-'))
                .take(2)
                .collect();
            match verbs.as_slice() {
                ["push", target, ..] => vec![target.to_string()],
                ["build", ..] | ["buildx", "build"] | ["bud", ..] => option(args, &["-t", "--tag"]),
                _ => Vec::new(),
            }
        }
        "crane" if args.first() == Some(&"push") => {
            args.last().map(|a| vec![a.to_string()]).unwrap_or_default()
        }
        "skopeo" if args.first() == Some(&"copy") => args
            .last()
            .and_then(|a| a.strip_prefix("docker://"))
            .map(|a| vec![a.to_string()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The values of an option: `--name value` and `--name=value`.
fn option(args: &[&str], names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        for n in names {
            if a == n {
                if let Some(v) = args.get(i + 1) {
                    out.push((*v).to_string());
                }
            } else if let Some(v) = a.strip_prefix(n).and_then(|r| r.strip_prefix('=')) {
                out.push(v.to_string());
            }
        }
    }
    out
}

/// A variable of a job: a string, or `{value: string}`.
fn variable<'a>(vars: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    match vars.get(name)? {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("value").and_then(Value::as_str),
        _ => None,
    }
}

/// `$NAME` and `${NAME}` replaced by the job's variables; unknown ones kept.
fn expand(text: &str, vars: &Map<String, Value>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match variable(vars, name).filter(|_| !name.is_empty()) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[i..i + 1 + len]),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// A reference without its digest and tag (`harbor.example/prj/api:1.2@sha256:…` →
/// `harbor.example/prj/api`); a registry port stays.
fn image_name(reference: &str) -> String {
    let without_digest = reference.split('@').next().unwrap_or("");
    let cut = without_digest.rfind('/').map_or(0, |i| i + 1);
    let name = match without_digest[cut..].find(':') {
        Some(colon) => &without_digest[..cut + colon],
        None => without_digest,
    };
    name.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn destinations_of_kaniko_docker_and_the_catalogue() {
        let model = json!({"jobs": {
            "kaniko": {
                "variables": {"NAME": "api"},
                "scriptLines": [{"commands": [{"program": "executor", "args": [
                    "--context", ".", "--destination=$CI_REGISTRY_IMAGE/${NAME}:$CI_COMMIT_SHA",
                    "--destination", "harbor.example:5000/prj/api:1.0"]}]}]
            },
            "docker": {
                "scriptLines": [{"commands": [
                    {"program": "docker", "args": ["build", "-t", "registry.example/team/web:1", "."]},
                    {"program": "docker", "args": ["push", "registry.example/team/worker@sha256:abc"]},
                    {"program": "docker", "args": ["login", "registry.example"]}]}]
            },
            "catalogue": {
                "extendsAll": [".kaniko:simple-build-push"],
                "variables": {"IMAGE_NAME": {"value": "front"}}
            },
            "other": {"extendsAll": [".kaniko:simple-build-push"]}
        }});
        assert_eq!(
            pushed_images(&model),
            vec![
                "$CI_REGISTRY_IMAGE/api",
                "$REGISTRY_URL/front",
                "harbor.example:5000/prj/api",
                "registry.example/team/web",
                "registry.example/team/worker",
            ]
        );
    }

    #[test]
    fn a_model_without_jobs_pushes_nothing() {
        assert!(pushed_images(&json!({"stages": []})).is_empty());
        assert_eq!(image_name("nginx"), "nginx");
        assert_eq!(expand("${UNSET}/x", &Map::new()), "${UNSET}/x");
    }
}
