//! Profiles: which admission rules a scan judges against.

use serde::{Deserialize, Serialize};

/// A profile: the set of rules that run, and the severity escalations that apply.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// The CCT on the Cloud π Native platform, with its OpenShift and Kyverno admission
    /// escalations (the default).
    #[default]
    Cpin,
    /// The CCT on plain Kubernetes: no platform escalation.
    Kubernetes,
    /// Kubernetes Pod Security Standards, baseline level: only the Pod Security controls run
    /// (`rules/pss/`), an error exactly where Pod Security Admission would refuse the pod.
    PssBaseline,
    /// Kubernetes Pod Security Standards, restricted level: only the Pod Security controls run
    /// (`rules/pss/`), an error exactly where Pod Security Admission would refuse the pod.
    PssRestricted,
}

impl Profile {
    /// Every profile, in the order they are documented.
    pub const ALL: [Profile; 4] = [
        Profile::Cpin,
        Profile::Kubernetes,
        Profile::PssBaseline,
        Profile::PssRestricted,
    ];

    /// The name used on the command line, in rule files and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Cpin => "cpin",
            Profile::Kubernetes => "kubernetes",
            Profile::PssBaseline => "pss-baseline",
            Profile::PssRestricted => "pss-restricted",
        }
    }

    /// The profile of a name.
    pub fn parse(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::parse(s).ok_or_else(|| UnknownProfile(s.to_string()))
    }
}

/// A profile name cct does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile `{0}` (expected one of: cpin, kubernetes, pss-baseline, pss-restricted)")]
pub struct UnknownProfile(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Profile::ALL {
            assert_eq!(Profile::parse(p.as_str()), Some(p));
            assert_eq!(
                serde_json::to_value(p).ok(),
                Some(serde_json::json!(p.as_str()))
            );
        }
        assert!("openshift".parse::<Profile>().is_err());
    }
}
