//! Build stages and variable scopes.

use crate::ast::{Dockerfile, Healthcheck, InstructionKind, KeyValue};
use crate::expand::{expand_with_escape, Vars};
use crate::image::{parse_image_ref, ImageRef};
use std::ops::Range;

/// What a `FROM` (or `COPY --from`) refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageRef {
    /// A previous stage, by index.
    Stage(usize),
    /// An image.
    Image(ImageRef),
}

/// A build stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// 0-based index.
    pub index: usize,
    /// Name after `AS`, lower-cased.
    pub name: Option<String>,
    /// Index in [`Dockerfile::instructions`] of the `FROM`.
    pub from: usize,
    /// Indexes in [`Dockerfile::instructions`] of the stage's instructions,
    /// `FROM` included.
    pub instructions: Range<usize>,
    /// The image after variable substitution.
    pub image: String,
    /// Variables used in the image (or platform) without a value.
    pub undefined: Vec<String>,
    /// Platform after substitution.
    pub platform: Option<String>,
    /// Base: a previous stage or an image.
    pub base: StageRef,
}

impl Dockerfile {
    /// `ARG` pairs declared before the first `FROM`.
    pub fn global_args(&self) -> Vec<&KeyValue> {
        let mut out = Vec::new();
        for ins in &self.instructions {
            match &ins.kind {
                InstructionKind::From(_) => break,
                InstructionKind::Arg(pairs) => out.extend(pairs.iter()),
                _ => {}
            }
        }
        out
    }

    /// Variables in scope when each instruction runs (same length as
    /// [`Dockerfile::instructions`]). Global ARGs are visible in `FROM`
    /// lines only, unless re-declared in the stage; ARG defaults and ENV are
    /// applied in order; ENV is inherited from a parent stage.
    pub fn scopes(&self) -> Vec<Vars> {
        self.compute().0
    }

    /// Variables in scope at instruction `index` (see [`Dockerfile::scopes`]).
    ///
    /// ```
    /// let p = cct_dockerfile::parse("ARG V=3.20\nFROM alpine:$V\nARG V\nENV HOME=/home/app\nUSER app\n");
    /// let df = &p.dockerfile;
    /// assert_eq!(df.scope_at(1).get("V"), Some("3.20"));
    /// assert_eq!(df.scope_at(4).get("HOME"), Some("/home/app"));
    /// assert_eq!(df.scope_at(4).get("V"), Some("3.20"));
    /// ```
    pub fn scope_at(&self, index: usize) -> Vars {
        self.scopes().into_iter().nth(index).unwrap_or_default()
    }

    /// Build stages.
    pub fn stages(&self) -> Vec<Stage> {
        self.compute().1
    }

    /// Resolves a `--from` value (stage name, stage index or image) as seen
    /// from stage `current`.
    pub fn resolve_from(&self, value: &str, stages: &[Stage], current: usize) -> StageRef {
        let lower = value.to_ascii_lowercase();
        if let Some(s) = stages[..current.min(stages.len())]
            .iter()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
        {
            return StageRef::Stage(s.index);
        }
        if let Ok(i) = value.parse::<usize>() {
            if i < current {
                return StageRef::Stage(i);
            }
        }
        StageRef::Image(parse_image_ref(value))
    }

    fn compute(&self) -> (Vec<Vars>, Vec<Stage>) {
        let esc = self.escape;
        let mut scopes = Vec::with_capacity(self.instructions.len());
        let mut stages: Vec<Stage> = Vec::new();
        let mut stage_env: Vec<Vars> = Vec::new();
        let mut global = Vars::new();
        let mut in_stage = false;
        let mut scope = Vars::new();
        let mut env_names: Vec<String> = Vec::new();
        let mut env = Vars::new();
        for (i, ins) in self.instructions.iter().enumerate() {
            match &ins.kind {
                InstructionKind::From(from) => {
                    if in_stage {
                        stage_env.push(std::mem::take(&mut env));
                        if let Some(last) = stages.last_mut() {
                            last.instructions.end = i;
                        }
                    }
                    in_stage = true;
                    scopes.push(global.clone());
                    let e = expand_with_escape(&from.image.raw, esc, &global);
                    let mut undefined = e.undefined;
                    let platform = ins
                        .flag("platform")
                        .and_then(|f| f.value.as_ref())
                        .map(|p| {
                            let pe = expand_with_escape(p, esc, &global);
                            for u in pe.undefined {
                                if !undefined.contains(&u) {
                                    undefined.push(u);
                                }
                            }
                            pe.value
                        });
                    let index = stages.len();
                    let base = match self.resolve_from(&e.value, &stages, index) {
                        StageRef::Stage(s) if e.value.parse::<usize>().is_err() => {
                            StageRef::Stage(s)
                        }
                        _ => StageRef::Image(parse_image_ref(&e.value)),
                    };
                    scope = Vars::new();
                    env = Vars::new();
                    env_names.clear();
                    if let StageRef::Stage(s) = base {
                        if let Some(parent) = stage_env.get(s) {
                            for (k, v) in parent.iter() {
                                scope.set(k, v);
                                env.set(k, v);
                                env_names.push(k.to_string());
                            }
                        }
                    }
                    stages.push(Stage {
                        index,
                        name: from.stage_name.as_ref().map(|n| n.value.clone()),
                        from: i,
                        instructions: i..self.instructions.len(),
                        image: e.value,
                        undefined,
                        platform,
                        base,
                    });
                }
                kind => {
                    let global_snapshot = if in_stage {
                        global.clone()
                    } else {
                        Vars::new()
                    };
                    let current = if in_stage { &mut scope } else { &mut global };
                    scopes.push(current.clone());
                    match kind {
                        InstructionKind::Arg(pairs) => {
                            for p in pairs {
                                let name = p.key.value.clone();
                                if in_stage && env_names.contains(&name) {
                                    continue;
                                }
                                match &p.value {
                                    Some(v) => {
                                        let val = expand_with_escape(&v.raw, esc, current).value;
                                        current.set(name, val);
                                    }
                                    None => {
                                        if let Some(g) = global_snapshot.get(&name) {
                                            current.set(name, g);
                                        }
                                    }
                                }
                            }
                        }
                        InstructionKind::Env(pairs) => {
                            for p in pairs {
                                let raw = p.value.as_ref().map_or("", |v| v.raw.as_str());
                                let val = expand_with_escape(raw, esc, current).value;
                                let name = p.key.value.clone();
                                current.set(name.clone(), val.clone());
                                if in_stage {
                                    env.set(name.clone(), val);
                                    if !env_names.contains(&name) {
                                        env_names.push(name);
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        (scopes, stages)
    }

    /// Index of the last `USER` instruction in effect at the end of stage
    /// `stage` (following parent stages), and whether it was inherited.
    pub(crate) fn effective(
        &self,
        stages: &[Stage],
        stage: usize,
        pick: fn(&InstructionKind) -> bool,
    ) -> Option<(usize, bool)> {
        let mut s = stage;
        let mut inherited = false;
        for _ in 0..=stages.len() {
            let st = stages.get(s)?;
            let found = st
                .instructions
                .clone()
                .rev()
                .find(|&i| self.instructions.get(i).is_some_and(|ins| pick(&ins.kind)));
            if let Some(i) = found {
                return Some((i, inherited));
            }
            match st.base {
                StageRef::Stage(p) if p < s => {
                    s = p;
                    inherited = true;
                }
                _ => return None,
            }
        }
        None
    }
}

pub(crate) fn is_user(k: &InstructionKind) -> bool {
    matches!(k, InstructionKind::User(_))
}

pub(crate) fn is_healthcheck(k: &InstructionKind) -> bool {
    matches!(
        k,
        InstructionKind::Healthcheck(Healthcheck::None | Healthcheck::Cmd(_))
    )
}
