//! Keys and X.509 certificates for Sprig's `genPrivateKey`, `genCA`, `genSelfSignedCert`,
//! `genSignedCert` (and `*WithKey`) and `buildCustomCert`, following Sprig's `crypto.go` and
//! Go's `crypto/x509.CreateCertificate`, but deterministic: all randomness comes from a
//! 32-byte seed that the caller draws from the execution's seeded generator, expanded with
//! ChaCha20. Signatures are deterministic by construction (RSA PKCS#1 v1.5, ECDSA with
//! RFC 6979 nonces, Ed25519).
//!
//! The certificate DER is written here (a few TLV helpers) so that its layout is exactly Go's:
//! extension order and criticality, `PrintableString`/`UTF8String` choice for the common
//! name, `UTCTime` before 2050, subject key identifier on CA certificates only.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, OnceLock};

use p256::ecdsa::signature::Signer as _;
use rand_chacha::rand_core::{Rng as _, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::sha2::{Digest, Sha256};
use x509_cert::der::oid::ObjectIdentifier as Oid;
use x509_cert::der::{Decode, Encode};

use super::encoding::{b64decode, b64encode};

/// Why a key or a certificate could not be made or read, with the messages of Sprig and Go's
/// `crypto/x509` (the underlying library's text where Go would print its own).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PkiError {
    #[error("error generating rsa key: {0}")]
    GenerateRsa(String),
    #[error("failed to generate dsa params: {0}")]
    GenerateDsaParameters(String),
    #[error("failed to generate private key: {0}")]
    GenerateDsa(String),
    #[error("error pem-encoding key: {0}")]
    EncodeKey(String),
    #[error("error creating certificate: {0}")]
    CreateCertificate(String),
    #[error(
        "error creating certificate: x509: only RSA, ECDSA, Ed25519, and X25519 keys supported"
    )]
    UnsupportedPublicKey,
    /// Go's `*dsa.PrivateKey` is not a `crypto.Signer`.
    #[error(
        "error creating certificate: x509: certificate private key does not implement crypto.Signer"
    )]
    NotASigner,
    #[error(
        "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey"
    )]
    KeyMismatch,
    #[error("no PEM data in input")]
    NoPem,
    #[error("decoding PEM as PKCS#8: {0}")]
    Pkcs8(Pkcs8Error),
    #[error("no private key data in PEM block of type {0}")]
    NotAPrivateKey(String),
    #[error("parsing RSA private key from PEM: {0}")]
    ParseRsa(String),
    #[error("parsing EC private key from PEM: {0} (only P-256 keys are supported)")]
    ParseEc(String),
    #[error("parsing DSA private key from PEM: {0}")]
    ParseDsa(String),
    #[error("invalid private key type {0}")]
    UnknownKeyType(String),
    #[error("unable to decode certificate")]
    NoCertificate,
    #[error("error parsing certificate: decodedSignerCert.Bytes: {0}")]
    SignerCertificate(MalformedCertificate),
    /// The parent certificate's subject or public key does not re-encode.
    #[error("{0}")]
    ParentEncoding(String),
}

/// Why a PKCS#8 private key could not be read (Go's `x509.ParsePKCS8PrivateKey`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Pkcs8Error {
    /// The DER does not decode.
    #[error("{0}")]
    Malformed(String),
    #[error("{0} (only P-256 keys are supported)")]
    NotP256(String),
    #[error("x509: invalid Ed25519 private key length")]
    Ed25519Length,
    #[error("x509: PKCS#8 wrapping contained private key with unknown algorithm: {0}")]
    UnknownAlgorithm(String),
}

/// Certificate DER that does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("x509: malformed certificate: {0}")]
pub(crate) struct MalformedCertificate(String);

const OID_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const OID_SHA256_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const OID_EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const OID_P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
const OID_ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const OID_ED25519: Oid = Oid::new_unwrap("1.3.101.112");
const OID_CN: Oid = Oid::new_unwrap("2.5.4.3");
const OID_SKID: Oid = Oid::new_unwrap("2.5.29.14");
const OID_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
const OID_SAN: Oid = Oid::new_unwrap("2.5.29.17");
const OID_BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
const OID_AKID: Oid = Oid::new_unwrap("2.5.29.35");
const OID_EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
const OID_SERVER_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.1");
const OID_CLIENT_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.2");

// ---------------------------------------------------------------------------------------
// DER writing

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = n.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(body);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn oid(o: &Oid) -> Vec<u8> {
    tlv(0x06, o.as_bytes())
}

/// A non-negative INTEGER from big-endian magnitude bytes.
fn uint(be: &[u8]) -> Vec<u8> {
    let skip = be.iter().take_while(|&&b| b == 0).count();
    let mut body = Vec::with_capacity(be.len() + 1);
    let rest = &be[skip..];
    if rest.first().is_none_or(|&b| b & 0x80 != 0) {
        body.push(0);
    }
    body.extend_from_slice(rest);
    tlv(0x02, &body)
}

fn bit_string(unused: u8, bytes: &[u8]) -> Vec<u8> {
    let mut body = vec![unused];
    body.extend_from_slice(bytes);
    tlv(0x03, &body)
}

fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(0x04, bytes)
}

/// Go's `asn1` choice for an untyped string: `PrintableString` when every character is
/// printable (Go also lets `*` and `&` through), `UTF8String` otherwise.
fn go_string(s: &str) -> Vec<u8> {
    let printable = s.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'\''
                    | b'('
                    | b')'
                    | b'+'
                    | b','
                    | b'-'
                    | b'.'
                    | b'/'
                    | b':'
                    | b'='
                    | b'?'
                    | b'*'
                    | b'&'
            )
    });
    tlv(if printable { 0x13 } else { 0x0c }, s.as_bytes())
}

/// `pkix.Name{CommonName: cn}` as Go marshals it (an empty sequence without a name).
fn name(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return seq(&[]);
    }
    let atv = seq(&[&oid(&OID_CN), &go_string(cn)]);
    seq(&[&tlv(0x31, &atv)])
}

/// Go's time encoding in certificates: `UTCTime` for 1950..2049, `GeneralizedTime` after.
fn asn1_time(unix: i64) -> Vec<u8> {
    let t = crate::value::GoTime {
        unix_nanos: i128::from(unix) * 1_000_000_000,
        offset: 0,
    };
    if (-631_152_000..2_524_608_000).contains(&unix) {
        tlv(0x17, super::date::go_format(&t, "060102150405Z").as_bytes())
    } else {
        tlv(
            0x18,
            super::date::go_format(&t, "20060102150405Z").as_bytes(),
        )
    }
}

// ---------------------------------------------------------------------------------------
// PEM

/// `pem.EncodeToMemory`: 64-column base64 body.
pub(crate) fn pem(label: &str, body: &[u8]) -> String {
    let b = b64encode(body);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The first PEM block of `text` (`pem.Decode`): its type and decoded bytes. Header lines
/// (`Proc-Type: …`) are skipped.
pub(crate) fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let mut rest = text;
    loop {
        let start = rest.find("-----BEGIN ")?;
        let after = &rest[start + 11..];
        let close = after.find("-----")?;
        let label = &after[..close];
        if label.contains('\n') {
            rest = after;
            continue;
        }
        let body = &after[close + 5..];
        let end_marker = format!("-----END {label}-----");
        let Some(end) = body.find(&end_marker) else {
            rest = after;
            continue;
        };
        let mut b64 = String::new();
        for line in body[..end].lines() {
            if line.contains(':') {
                continue;
            }
            b64.extend(line.chars().filter(|c| !c.is_whitespace()));
        }
        match b64decode(&b64) {
            Ok(bytes) => return Some((label.to_string(), bytes)),
            Err(_) => rest = after,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Keys

/// A private key of one of the types Sprig generates or parses.
#[derive(Clone)]
pub(crate) enum PrivKey {
    Rsa(Box<rsa::PrivateKey>),
    Ec(p256::SecretKey),
    Ed25519(ed25519_dalek::SigningKey),
    /// Sprig's `DSA PRIVATE KEY` DER (`{version, P, Q, G, Y, X}`): it can be generated and
    /// printed, not used to sign (Go's `*dsa.PrivateKey` is not a `crypto.Signer`).
    Dsa(Vec<u8>),
}

/// Key types of `genPrivateKey`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum KeyKind {
    Rsa(usize),
    Ecdsa,
    Ed25519,
    Dsa,
}

type KeyCache = Mutex<HashMap<([u8; 32], KeyKind), PrivKey>>;

/// Generated keys by (seed, kind), process-wide: rendering the same chart again with the
/// same seed (determinism checks, several value sets) reuses the keys instead of searching
/// for RSA primes again. Each call still draws a fresh seed, so two calls of one render get
/// two different keys, as in Sprig.
fn cache() -> &'static KeyCache {
    static CACHE: OnceLock<KeyCache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

const CACHE_MAX: usize = 256;

/// A key of `kind` derived from `seed` (same seed and kind, same key).
pub(crate) fn generate(kind: KeyKind, seed: [u8; 32]) -> Result<PrivKey, PkiError> {
    if let Some(k) = cache()
        .lock()
        .ok()
        .and_then(|m| m.get(&(seed, kind)).cloned())
    {
        return Ok(k);
    }
    let mut rng = ChaCha20Rng::from_seed(seed);
    let key = match kind {
        KeyKind::Rsa(bits) => PrivKey::Rsa(Box::new(
            rsa::PrivateKey::new(&mut rng, bits)
                .map_err(|e| PkiError::GenerateRsa(e.to_string()))?,
        )),
        KeyKind::Ecdsa => PrivKey::Ec(loop {
            // A scalar in [1, n-1]; out-of-range draws (probability ~2^-32) are redrawn.
            if let Ok(k) = p256::SecretKey::from_slice(&random_32(&mut rng)) {
                break k;
            }
        }),
        KeyKind::Ed25519 => {
            PrivKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&random_32(&mut rng)))
        }
        KeyKind::Dsa => PrivKey::Dsa(generate_dsa(&mut rng)?),
    };
    if let Ok(mut m) = cache().lock() {
        if m.len() >= CACHE_MAX {
            m.clear();
        }
        m.insert((seed, kind), key.clone());
    }
    Ok(key)
}

/// Published RSA keys of Sprig's two sizes (certificates: 2048 bits, `genPrivateKey`: 4096),
/// generated once with `openssl genrsa -traditional` for [`generate_cheap`]. They protect
/// nothing: they stand in for keys nobody uses.
const CHEAP_RSA_2048: &str = include_str!("lint_keys/rsa-2048.pem");
const CHEAP_RSA_4096: &str = include_str!("lint_keys/rsa-4096.pem");

/// A key of `kind` that is the same for every call of the process
/// ([`crate::ExecOptions::cheap_keys`]): for RSA 2048 and 4096, a published key read once;
/// for other kinds and sizes, a key derived from a fixed seed (generated once, then cached).
pub(crate) fn generate_cheap(kind: KeyKind) -> Result<PrivKey, PkiError> {
    static RSA: OnceLock<[Option<PrivKey>; 2]> = OnceLock::new();
    let published = match kind {
        KeyKind::Rsa(2048) => Some(0),
        KeyKind::Rsa(4096) => Some(1),
        _ => None,
    };
    if let Some(i) = published {
        let keys = RSA.get_or_init(|| {
            [CHEAP_RSA_2048, CHEAP_RSA_4096].map(|pem| parse_private_key_pem(pem).ok())
        });
        if let Some(Some(key)) = keys.get(i) {
            return Ok(key.clone());
        }
    }
    generate(kind, [0x5e; 32])
}

fn random_32(rng: &mut ChaCha20Rng) -> [u8; 32] {
    let mut s = [0u8; 32];
    rng.fill_bytes(&mut s);
    s
}

fn generate_dsa(rng: &mut ChaCha20Rng) -> Result<Vec<u8>, PkiError> {
    let components =
        dsa::Components::try_generate_from_rng_with_key_size(rng, dsa::KeySize::DSA_2048_256)
            .map_err(|e| PkiError::GenerateDsaParameters(e.to_string()))?;
    let key = dsa::SigningKey::try_generate_from_rng_with_components(rng, components)
        .map_err(|e| PkiError::GenerateDsa(e.to_string()))?;
    let vk = key.verifying_key();
    let c = vk.components();
    let int = |u: &rsa::BoxedUint| uint(&u.to_be_bytes());
    Ok(seq(&[
        &uint(&[0]),
        &int(c.p().as_ref()),
        &int(c.q().as_ref()),
        &int(c.g().as_ref()),
        &int(vk.y().as_ref()),
        &int(key.x().as_ref()),
    ]))
}

impl PrivKey {
    /// Sprig's `pemBlockForKey`: PKCS#1 for RSA, SEC 1 for ECDSA, Sprig's own DSA layout,
    /// PKCS#8 otherwise (Ed25519).
    pub(crate) fn to_pem(&self) -> Result<String, PkiError> {
        match self {
            PrivKey::Rsa(k) => {
                let der = k
                    .to_pkcs1_der()
                    .map_err(|e| PkiError::EncodeKey(e.to_string()))?;
                Ok(pem("RSA PRIVATE KEY", der.as_bytes()))
            }
            PrivKey::Ec(k) => {
                let der = k
                    .to_sec1_der()
                    .map_err(|e| PkiError::EncodeKey(e.to_string()))?;
                Ok(pem("EC PRIVATE KEY", &der))
            }
            PrivKey::Ed25519(k) => {
                // Go's MarshalPKCS8PrivateKey: version 0, no public key.
                let der = seq(&[
                    &uint(&[0]),
                    &seq(&[&oid(&OID_ED25519)]),
                    &octets(&octets(k.as_bytes())),
                ]);
                Ok(pem("PRIVATE KEY", &der))
            }
            PrivKey::Dsa(der) => Ok(pem("DSA PRIVATE KEY", der)),
        }
    }

    /// `SubjectPublicKeyInfo` DER and the public key bytes (the BIT STRING contents).
    fn spki(&self) -> Result<(Vec<u8>, Vec<u8>), PkiError> {
        match self {
            PrivKey::Rsa(k) => {
                let public = k.to_public_key();
                let der = public
                    .to_public_key_der()
                    .map_err(|e| PkiError::CreateCertificate(e.to_string()))?;
                let pkcs1 = rsa::pkcs1::EncodeRsaPublicKey::to_pkcs1_der(&public)
                    .map_err(|e| PkiError::CreateCertificate(e.to_string()))?;
                Ok((der.as_bytes().to_vec(), pkcs1.as_bytes().to_vec()))
            }
            PrivKey::Ec(k) => {
                let point =
                    p256::elliptic_curve::sec1::ToSec1Point::to_sec1_point(&k.public_key(), false);
                let bytes = point.as_bytes().to_vec();
                let alg = seq(&[&oid(&OID_EC_PUBLIC_KEY), &oid(&OID_P256)]);
                Ok((seq(&[&alg, &bit_string(0, &bytes)]), bytes))
            }
            PrivKey::Ed25519(k) => {
                let bytes = k.verifying_key().to_bytes().to_vec();
                let alg = seq(&[&oid(&OID_ED25519)]);
                Ok((seq(&[&alg, &bit_string(0, &bytes)]), bytes))
            }
            PrivKey::Dsa(_) => Err(PkiError::UnsupportedPublicKey),
        }
    }

    /// The signature `AlgorithmIdentifier` Go picks for this signing key.
    fn signature_algorithm(&self) -> Result<Vec<u8>, PkiError> {
        match self {
            PrivKey::Rsa(_) => Ok(seq(&[&oid(&OID_SHA256_RSA), &[0x05, 0x00]])),
            PrivKey::Ec(_) => Ok(seq(&[&oid(&OID_ECDSA_SHA256)])),
            PrivKey::Ed25519(_) => Ok(seq(&[&oid(&OID_ED25519)])),
            PrivKey::Dsa(_) => Err(PkiError::NotASigner),
        }
    }

    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, PkiError> {
        let fail = |e: &dyn std::fmt::Display| PkiError::CreateCertificate(e.to_string());
        match self {
            PrivKey::Rsa(k) => {
                let hash = Sha256::digest(tbs);
                k.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &hash)
                    .map_err(|e| fail(&e))
            }
            PrivKey::Ec(k) => {
                let signer = p256::ecdsa::SigningKey::from(k);
                let sig: p256::ecdsa::DerSignature = signer.try_sign(tbs).map_err(|e| fail(&e))?;
                Ok(sig.as_bytes().to_vec())
            }
            PrivKey::Ed25519(k) => {
                let sig: ed25519_dalek::Signature =
                    ed25519_dalek::Signer::try_sign(k, tbs).map_err(|e| fail(&e))?;
                Ok(sig.to_bytes().to_vec())
            }
            PrivKey::Dsa(_) => Err(PkiError::NotASigner),
        }
    }
}

/// Sprig's `parsePrivateKeyPEM`.
pub(crate) fn parse_private_key_pem(text: &str) -> Result<PrivKey, PkiError> {
    let (label, der) = pem_decode(text).ok_or(PkiError::NoPem)?;
    if label == "PRIVATE KEY" {
        return parse_pkcs8(&der).map_err(PkiError::Pkcs8);
    }
    let Some(prefix) = label.strip_suffix(" PRIVATE KEY") else {
        return Err(PkiError::NotAPrivateKey(label));
    };
    match prefix {
        "RSA" => rsa::PrivateKey::from_pkcs1_der(&der)
            .map(|k| PrivKey::Rsa(Box::new(k)))
            .map_err(|e| PkiError::ParseRsa(e.to_string())),
        "EC" => p256::SecretKey::from_sec1_der(&der)
            .map(PrivKey::Ec)
            .map_err(|e| PkiError::ParseEc(e.to_string())),
        "DSA" => {
            // Check the shape: SEQUENCE of six INTEGERs.
            let ints: Vec<x509_cert::der::asn1::Int> = Vec::from_der(&der)
                .map_err(|e: x509_cert::der::Error| PkiError::ParseDsa(e.to_string()))?;
            if ints.len() != 6 {
                return Err(PkiError::ParseDsa("asn1: structure error".into()));
            }
            Ok(PrivKey::Dsa(der))
        }
        _ => Err(PkiError::UnknownKeyType(label)),
    }
}

fn parse_pkcs8(der: &[u8]) -> Result<PrivKey, Pkcs8Error> {
    let malformed = |e: &dyn std::fmt::Display| Pkcs8Error::Malformed(e.to_string());
    let info = rsa::pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| malformed(&e))?;
    let alg = info.algorithm.oid;
    if alg == OID_RSA {
        rsa::PrivateKey::from_pkcs8_der(der)
            .map(|k| PrivKey::Rsa(Box::new(k)))
            .map_err(|e| malformed(&e))
    } else if alg == OID_EC_PUBLIC_KEY {
        p256::SecretKey::from_pkcs8_der(der)
            .map(PrivKey::Ec)
            .map_err(|e| Pkcs8Error::NotP256(e.to_string()))
    } else if alg == OID_ED25519 {
        let inner = <&x509_cert::der::asn1::OctetStringRef>::from_der(info.private_key.as_bytes())
            .map_err(|e| malformed(&e))?;
        let seed: [u8; 32] = inner
            .as_bytes()
            .try_into()
            .map_err(|_| Pkcs8Error::Ed25519Length)?;
        Ok(PrivKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(
            &seed,
        )))
    } else {
        Err(Pkcs8Error::UnknownAlgorithm(alg.to_string()))
    }
}

// ---------------------------------------------------------------------------------------
// Certificates

/// Sprig's `getBaseCertTemplate` (plus the CA overrides of `genCA`).
pub(crate) struct CertTemplate {
    pub(crate) cn: String,
    pub(crate) ips: Vec<IpAddr>,
    pub(crate) dns: Vec<String>,
    pub(crate) days: i64,
    pub(crate) is_ca: bool,
    /// 16 random bytes: the serial number (`rand.Int(rand.Reader, 2^128)`).
    pub(crate) serial: [u8; 16],
    /// `time.Now()`, in Unix seconds.
    pub(crate) now: i64,
}

/// The parent certificate of `genSignedCert`, as `x509.CreateCertificate` uses it.
pub(crate) struct Parent {
    subject: Vec<u8>,
    skid: Option<Vec<u8>>,
    spki: Vec<u8>,
}

/// Parses the `.Cert` PEM of a CA (`x509.ParseCertificate`).
pub(crate) fn parse_parent(cert_pem: &str) -> Result<Parent, PkiError> {
    let (_, der) = pem_decode(cert_pem).ok_or(PkiError::NoCertificate)?;
    let cert = parse_certificate(&der).map_err(PkiError::SignerCertificate)?;
    let tbs = cert.tbs_certificate();
    let skid = tbs
        .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
        .ok()
        .flatten()
        .map(|(_, s)| s.0.as_bytes().to_vec());
    Ok(Parent {
        subject: tbs
            .subject()
            .to_der()
            .map_err(|e| PkiError::ParentEncoding(e.to_string()))?,
        skid,
        spki: tbs
            .subject_public_key_info()
            .to_der()
            .map_err(|e| PkiError::ParentEncoding(e.to_string()))?,
    })
}

/// Parses certificate DER, with a Go-like message on failure.
pub(crate) fn parse_certificate(
    der: &[u8],
) -> Result<x509_cert::Certificate, MalformedCertificate> {
    x509_cert::Certificate::from_der(der).map_err(|e| MalformedCertificate(e.to_string()))
}

/// `x509.CreateCertificate(rand, template, parent, subjectKey.Public(), signer)` with
/// Go's encoding choices; returns the certificate PEM.
pub(crate) fn create_certificate(
    t: &CertTemplate,
    subject_key: &PrivKey,
    parent: Option<&Parent>,
    signer: &PrivKey,
) -> Result<String, PkiError> {
    let sig_alg = signer.signature_algorithm()?;
    let (spki, public_bytes) = subject_key.spki()?;
    let subject = name(&t.cn);
    let issuer = match parent {
        Some(p) => {
            let (signer_spki, _) = signer.spki()?;
            if signer_spki != p.spki {
                return Err(PkiError::KeyMismatch);
            }
            p.subject.clone()
        }
        None => subject.clone(),
    };
    let not_before = t.now;
    let not_after = t.now.saturating_add(t.days.saturating_mul(86_400));

    let mut exts: Vec<Vec<u8>> = Vec::new();
    let ext = |id: &Oid, critical: bool, value: &[u8]| {
        if critical {
            seq(&[&oid(id), &[0x01, 0x01, 0xff], &octets(value)])
        } else {
            seq(&[&oid(id), &octets(value)])
        }
    };
    // KeyUsage: digitalSignature (bit 0), keyEncipherment (2), keyCertSign (5).
    let usage = if t.is_ca {
        bit_string(2, &[0xa4])
    } else {
        bit_string(5, &[0xa0])
    };
    exts.push(ext(&OID_KEY_USAGE, true, &usage));
    exts.push(ext(
        &OID_EXT_KEY_USAGE,
        false,
        &seq(&[&oid(&OID_SERVER_AUTH), &oid(&OID_CLIENT_AUTH)]),
    ));
    let bc = if t.is_ca {
        seq(&[&[0x01, 0x01, 0xff]])
    } else {
        seq(&[])
    };
    exts.push(ext(&OID_BASIC_CONSTRAINTS, true, &bc));
    if t.is_ca {
        // Go >= 1.25: truncated SHA-256 of the public key (RFC 7093, method 1).
        let h = Sha256::digest(&public_bytes);
        exts.push(ext(&OID_SKID, false, &octets(&h[..20])));
    }
    if let Some(skid) = parent.and_then(|p| p.skid.as_ref()) {
        if issuer != subject {
            exts.push(ext(&OID_AKID, false, &seq(&[&tlv(0x80, skid)])));
        }
    }
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut names = Vec::new();
        for d in &t.dns {
            names.extend(tlv(0x82, d.as_bytes()));
        }
        for ip in &t.ips {
            let bytes = match ip {
                IpAddr::V4(v4) => v4.octets().to_vec(),
                IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                    Some(v4) => v4.octets().to_vec(),
                    None => v6.octets().to_vec(),
                },
            };
            names.extend(tlv(0x87, &bytes));
        }
        exts.push(ext(&OID_SAN, t.cn.is_empty(), &tlv(0x30, &names)));
    }
    let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();

    let tbs = seq(&[
        &tlv(0xa0, &uint(&[2])),
        &uint(&t.serial),
        &sig_alg,
        &issuer,
        &seq(&[&asn1_time(not_before), &asn1_time(not_after)]),
        &subject,
        &spki,
        &tlv(0xa3, &seq(&ext_refs)),
    ]);
    let signature = signer.sign(&tbs)?;
    let cert = seq(&[&tbs, &sig_alg, &bit_string(0, &signature)]);
    Ok(pem("CERTIFICATE", &cert))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_integers_are_minimal_and_positive() {
        assert_eq!(uint(&[0]), [0x02, 0x01, 0x00]);
        assert_eq!(uint(&[0, 0, 5]), [0x02, 0x01, 0x05]);
        assert_eq!(uint(&[0x80]), [0x02, 0x02, 0x00, 0x80]);
        assert_eq!(tlv(0x04, &[7; 200])[..3], [0x04, 0x81, 200]);
        assert_eq!(tlv(0x04, &[7; 300])[..4], [0x04, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn names_and_times_are_encoded_like_go() {
        // PrintableString (Go lets '*' through), UTF8String otherwise, empty name = empty SEQUENCE.
        assert_eq!(name("*.a-b")[11], 0x13);
        assert_eq!(name("é")[11], 0x0c);
        assert_eq!(name(""), [0x30, 0x00]);
        assert_eq!(asn1_time(1_704_067_200), b"\x17\x0d240101000000Z");
        assert_eq!(asn1_time(2_524_608_000), b"\x18\x0f20500101000000Z");
    }

    #[test]
    fn pem_decoding_skips_headers_and_other_blocks() {
        let text = "junk\n-----BEGIN A-----\nnot base64!\n-----END A-----\n\
                    -----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAEC\nAw==\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(
            pem_decode(text),
            Some(("RSA PRIVATE KEY".to_string(), vec![0, 1, 2, 3]))
        );
        assert_eq!(pem_decode("nothing"), None);
    }

    #[test]
    fn errors_print_go_messages() {
        let dsa = PrivKey::Dsa(Vec::new());
        assert_eq!(
            dsa.signature_algorithm().unwrap_err().to_string(),
            "error creating certificate: x509: certificate private key does not implement crypto.Signer"
        );
        assert_eq!(
            dsa.spki().unwrap_err().to_string(),
            "error creating certificate: x509: only RSA, ECDSA, Ed25519, and X25519 keys supported"
        );
        let key_err = |label: &str, body: &str| {
            let pem = format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n");
            parse_private_key_pem(&pem).err().map(|e| e.to_string())
        };
        assert_eq!(
            key_err("CERTIFICATE", "AAAA").as_deref(),
            Some("no private key data in PEM block of type CERTIFICATE")
        );
        assert_eq!(
            key_err("X PRIVATE KEY", "AAAA").as_deref(),
            Some("invalid private key type X PRIVATE KEY")
        );
        assert!(key_err("PRIVATE KEY", "AAAA")
            .is_some_and(|e| e.starts_with("decoding PEM as PKCS#8: ")));
        assert!(key_err("EC PRIVATE KEY", "AAAA")
            .is_some_and(|e| e.starts_with("parsing EC private key from PEM: ")
                && e.ends_with(" (only P-256 keys are supported)")));
        assert_eq!(
            parse_private_key_pem("x")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("no PEM data in input")
        );
        assert_eq!(
            parse_parent("x").err().map(|e| e.to_string()).as_deref(),
            Some("unable to decode certificate")
        );
    }

    #[test]
    fn generation_depends_only_on_the_seed() {
        let pem = |kind, seed| generate(kind, seed).unwrap().to_pem().unwrap();
        for kind in [KeyKind::Ecdsa, KeyKind::Ed25519] {
            assert_eq!(pem(kind, [1; 32]), pem(kind, [1; 32]));
            assert_ne!(pem(kind, [1; 32]), pem(kind, [2; 32]));
            // Keys round-trip through Sprig's PEM parsing.
            let key = parse_private_key_pem(&pem(kind, [3; 32])).unwrap();
            assert_eq!(key.to_pem().unwrap(), pem(kind, [3; 32]));
        }
    }
}
