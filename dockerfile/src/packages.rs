//! Package managers: install commands recognised (`apt-get install`,
//! `apk add`, `dnf install`, `pip install`, `npm install -g`, `yarn global
//! add`, `gem install`...), their options skipped, and each package word
//! split into a name and a version pin, with spans.

use crate::mapped::Span;
use crate::shell::{basename, ShellWord};

/// A package named in an install command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Package name, version pin removed.
    pub name: String,
    /// Version pin (`=1.2`, `==1.2`, `@1.2`), without the operator.
    pub version: Option<String>,
    /// The whole word.
    pub word: ShellWord,
    /// Span of the name.
    pub name_span: Span,
    /// Span of the version.
    pub version_span: Option<Span>,
}

/// A package installation (`apt-get install`, `apk add`, `pip install`...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageInstall {
    /// Package manager program name (`apt-get`, `apk`, `pip`, `npm`...).
    pub manager: String,
    /// Global install (`npm install -g`, `yarn global add`).
    pub global: bool,
    /// Packages.
    pub packages: Vec<Package>,
}

/// Options that take a separate argument, per package manager family.
fn option_takes_arg(manager: &str, opt: &str) -> bool {
    if opt.contains('=') || !opt.starts_with('-') {
        return false;
    }
    match manager {
        "apt-get" | "apt" | "aptitude" => matches!(
            opt,
            "-o" | "-c"
                | "-t"
                | "--option"
                | "--config-file"
                | "--target-release"
                | "--default-release"
        ),
        "apk" => matches!(
            opt,
            "-X" | "--repository"
                | "-t"
                | "--virtual"
                | "-p"
                | "--root"
                | "--arch"
                | "--cache-dir"
                | "--keys-dir"
                | "--repositories-file"
        ),
        "dnf" | "dnf5" | "yum" | "microdnf" | "tdnf" | "zypper" => matches!(
            opt,
            "-x" | "--exclude"
                | "--repo"
                | "--enablerepo"
                | "--disablerepo"
                | "--releasever"
                | "--installroot"
                | "-c"
                | "--config"
                | "--setopt"
                | "-r"
                | "--repository"
        ),
        "pip" => matches!(
            opt,
            "-r" | "--requirement"
                | "-c"
                | "--constraint"
                | "-e"
                | "--editable"
                | "-i"
                | "--index-url"
                | "--extra-index-url"
                | "--trusted-host"
                | "-f"
                | "--find-links"
                | "-t"
                | "--target"
                | "--prefix"
                | "--root"
                | "--src"
                | "--upgrade-strategy"
                | "--platform"
                | "--python-version"
                | "--implementation"
                | "--abi"
                | "--no-binary"
                | "--only-binary"
                | "--progress-bar"
                | "--cache-dir"
                | "--log"
                | "--proxy"
                | "--retries"
                | "--timeout"
                | "--exists-action"
                | "--cert"
                | "--client-cert"
                | "--global-option"
                | "--config-settings"
                | "-C"
                | "--python"
        ),
        "npm" | "yarn" | "pnpm" => matches!(
            opt,
            "--prefix" | "--registry" | "--cache" | "-C" | "--dir" | "--filter"
        ),
        "gem" => matches!(
            opt,
            "-v" | "--version"
                | "-i"
                | "--install-dir"
                | "-n"
                | "--bindir"
                | "-s"
                | "--source"
                | "--platform"
        ),
        _ => false,
    }
}

pub(crate) fn detect_install(words: &[ShellWord], program: usize) -> Option<PackageInstall> {
    let prog = basename(&words.get(program)?.value);
    let mut args: &[ShellWord] = words.get(program + 1..)?;
    let manager: &str = match prog {
        "apt-get" | "apt" | "aptitude" | "apk" | "dnf" | "dnf5" | "yum" | "microdnf" | "tdnf"
        | "zypper" | "npm" | "yarn" | "pnpm" | "gem" => prog,
        p if p.starts_with("pip") && p[3..].chars().all(|c| c.is_ascii_digit() || c == '.') => {
            "pip"
        }
        p if p.starts_with("python") && p[6..].chars().all(|c| c.is_ascii_digit() || c == '.') => {
            let m = args.iter().position(|w| w.value == "-m")?;
            if args.get(m + 1).map(|w| w.value.as_str()) != Some("pip") {
                return None;
            }
            args = args.get(m + 2..)?;
            "pip"
        }
        _ => return None,
    };
    let family = manager;
    // Subcommand: first non-option argument.
    let mut i = 0;
    let mut global = false;
    while i < args.len() && args[i].value.starts_with('-') {
        if matches!(args[i].value.as_str(), "-g" | "--global") {
            global = true;
        }
        i += if option_takes_arg(family, &args[i].value) {
            2
        } else {
            1
        };
    }
    let sub = args.get(i).map(|w| w.value.as_str())?;
    let install = match manager {
        "apk" => sub == "add",
        "zypper" => matches!(sub, "install" | "in"),
        "npm" => matches!(sub, "install" | "i" | "add" | "isntall" | "in"),
        "yarn" => {
            if sub == "global" && args.get(i + 1).map(|w| w.value.as_str()) == Some("add") {
                global = true;
                i += 1;
                true
            } else {
                sub == "add"
            }
        }
        "pnpm" => matches!(sub, "add" | "install" | "i"),
        _ => sub == "install",
    };
    if !install {
        return None;
    }
    let mut packages = Vec::new();
    let mut j = i + 1;
    while j < args.len() {
        let w = &args[j];
        let v = w.value.as_str();
        if v.starts_with('-') {
            if matches!(v, "-g" | "--global") {
                global = true;
            }
            j += if option_takes_arg(family, v) { 2 } else { 1 };
            continue;
        }
        if !v.is_empty() {
            packages.push(split_package(family, w));
        }
        j += 1;
    }
    Some(PackageInstall {
        manager: manager.to_string(),
        global,
        packages,
    })
}

fn split_package(family: &str, w: &ShellWord) -> Package {
    let v = w.value.as_str();
    let local = v.starts_with('.') || v.starts_with('/') || v.contains("://");
    // (name end, version start)
    let cut: Option<(usize, usize)> = if local {
        None
    } else {
        match family {
            "apt-get" | "apt" | "aptitude" => v.find('=').map(|i| (i, i + 1)),
            "apk" => v.find(['=', '~', '<', '>']).map(|i| {
                let vs = i + v[i..].len() - v[i..].trim_start_matches(['=', '~', '<', '>']).len();
                (i, vs)
            }),
            "pip" => v.find(['=', '<', '>', '!', '~', '@', ';', '[']).map(|i| {
                let name_end = i;
                let mut vs = i;
                if v[i..].starts_with('[') {
                    vs = v[i..].find(']').map_or(v.len(), |k| i + k + 1);
                }
                let rest = &v[vs..];
                let trimmed = rest.trim_start_matches(['=', '<', '>', '!', '~', '@', ' ']);
                (name_end, vs + rest.len() - trimmed.len())
            }),
            "npm" | "yarn" | "pnpm" => v
                .char_indices()
                .skip(1)
                .find(|(_, c)| *c == '@')
                .map(|(i, _)| (i, i + 1)),
            "gem" => v.find(':').map(|i| (i, i + 1)),
            _ => None,
        }
    };
    let (name_end, version) = match cut {
        Some((ne, vs)) if vs <= v.len() => {
            let ver = &v[vs..];
            (
                ne,
                if ver.is_empty() {
                    None
                } else {
                    Some((vs, ver.to_string()))
                },
            )
        }
        _ => (v.len(), None),
    };
    let mut name_end2 = name_end;
    if matches!(family, "apt-get" | "apt" | "aptitude") && !local {
        if let Some(slash) = v[..name_end].find('/') {
            name_end2 = slash;
        }
    }
    Package {
        name: v[..name_end2].to_string(),
        version: version.as_ref().map(|(_, s)| s.clone()),
        name_span: w.value_span(0..name_end2),
        version_span: version.as_ref().map(|(vs, _)| w.value_span(*vs..v.len())),
        word: w.clone(),
    }
}
