//! A part of a rule file that most runs never read, kept as its JSON text until first used.
//!
//! A one-file check compiles the schemas of the dozen rules that select something in it and
//! shows the remediation of the rules it reports; reading every part of the 99 embedded rules
//! (their long bilingual rationales and their schemas as JSON trees) was three quarters of the
//! instructions of a check that finds nothing. Such parts are now only scanned for their end
//! when the rule is read, and parsed on first use, once.

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A value read from its JSON text on first use (see the module's documentation).
#[derive(Clone)]
pub struct Deferred<T> {
    raw: Box<RawValue>,
    value: OnceLock<T>,
}

impl<T: Serialize + DeserializeOwned + Default> Deferred<T> {
    /// A value known now.
    pub fn new(value: T) -> Self {
        let raw =
            serde_json::value::to_raw_value(&value).unwrap_or_else(|_| RawValue::NULL.to_owned());
        Deferred {
            raw,
            value: OnceLock::from(value),
        }
    }

    /// The value, parsed now if it was not yet. A text that does not parse (a rule file that
    /// was neither validated against the rule schema nor tested) is the type's default; see
    /// [`Deferred::parse`] to know.
    pub fn value(&self) -> &T {
        self.value.get_or_init(|| self.parse().unwrap_or_default())
    }

    /// Parse the JSON text (without keeping the result).
    pub fn parse(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.raw.get())
    }
}

impl<T: Serialize + DeserializeOwned + Default> Default for Deferred<T> {
    fn default() -> Self {
        Deferred::new(T::default())
    }
}

impl<T: Serialize + DeserializeOwned + Default> Deref for Deferred<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.value()
    }
}

impl<'de, T> Deserialize<'de> for Deferred<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Deferred {
            raw: Box::<RawValue>::deserialize(deserializer)?,
            value: OnceLock::new(),
        })
    }
}

impl<T> Serialize for Deferred<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<T> fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Deferred").field(&self.raw.get()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Deferred;
    use crate::vocab::Text;

    #[test]
    fn a_deferred_value_is_parsed_on_first_use_and_written_back_as_read() {
        let d: Deferred<Text> = serde_json::from_str(r#"{"en": "e", "fr": "f"}"#).unwrap();
        assert!(d.value.get().is_none());
        assert_eq!(d.en, "e");
        assert_eq!(d.fr, "f");
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"en": "e", "fr": "f"}"#
        );
        let from_value: Deferred<Text> =
            serde_json::from_value(serde_json::json!({"en": "e", "fr": "f"})).unwrap();
        assert_eq!(from_value.fr, "f");
    }

    #[test]
    fn a_deferred_value_that_does_not_parse_is_the_default_and_parse_says_why() {
        let d: Deferred<Text> = serde_json::from_str("[1]").unwrap();
        assert!(d.parse().is_err());
        assert_eq!(d.en, "");
        let none: Deferred<Option<serde_json::Value>> = Deferred::default();
        assert!(none.is_none());
        assert_eq!(serde_json::to_string(&none).unwrap(), "null");
    }
}
