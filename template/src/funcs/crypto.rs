//! Sprig's key/certificate generators, password hashes and random identifiers.
//!
//! Keys, certificates and bcrypt hashes are real (see [`super::pki`]) and deterministic:
//! their randomness is drawn from the execution's seeded generator
//! ([`crate::ExecOptions::seed`]) and validity periods start at [`crate::ExecOptions::now`],
//! so two renders with the same options give byte-identical output.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::encoding::{b64decode, b64encode};
use super::pki::{MalformedCertificate, PkiError};
use super::{i, pki, s, CallCtx, FuncError, FuncMap, FuncResult, Param};
use crate::value::Value;

use Param::*;

/// Why a certificate function failed, with Sprig's messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CryptoError {
    #[error("error parsing ip: {0} is not a string")]
    IpNotString(String),
    #[error("error parsing ip: {0}")]
    BadIp(String),
    #[error("error processing alternate dns name: {0} is not a string")]
    DnsNameNotString(String),
    /// The key given to a `*WithKey` function.
    #[error("parsing private key: {0}")]
    SubjectKey(PkiError),
    /// The key of the CA (`genSignedCert`) or of `buildCustomCert`.
    #[error("error parsing private key: {0}")]
    SignerKey(PkiError),
    #[error("wrong type for value; expected sprig.certificate; got {0}")]
    NotACertificate(String),
    #[error("unable to decode base64 certificate")]
    CertificateBase64,
    #[error("unable to decode base64 private key")]
    KeyBase64,
    #[error("error parsing certificate: decodedCert.Bytes: {0}")]
    Certificate(MalformedCertificate),
    #[error(transparent)]
    Pki(#[from] PkiError),
}

fn rand_bytes(ctx: &mut CallCtx<'_, '_>, n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(n + 8);
    while v.len() < n {
        v.extend_from_slice(&ctx.rand_u64().to_le_bytes());
    }
    v.truncate(n);
    v
}

/// A 32-byte seed for key generation, drawn from the execution's generator.
fn key_seed(ctx: &mut CallCtx<'_, '_>) -> [u8; 32] {
    let mut seed = [0u8; 32];
    for chunk in seed.chunks_mut(8) {
        chunk.copy_from_slice(&ctx.rand_u64().to_le_bytes());
    }
    seed
}

fn cert_value(cert: String, key: String) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Cert".to_string(), Value::str(cert));
    m.insert("Key".to_string(), Value::str(key));
    Value::map(m)
}

/// Each item of a list argument (none for anything else), as Sprig's `getNetIPs` and
/// `getAlternateDNSStrs` read them.
fn each<T>(v: &Value, item: fn(&Value) -> Result<T, CryptoError>) -> Result<Vec<T>, CryptoError> {
    match v.as_list() {
        Some(list) => list.iter().map(item).collect(),
        None => Ok(Vec::new()),
    }
}

fn net_ip(ip: &Value) -> Result<IpAddr, CryptoError> {
    match ip.as_str() {
        None => Err(CryptoError::IpNotString(super::strval(ip))),
        Some(s) => s
            .parse::<IpAddr>()
            .map_err(|_| CryptoError::BadIp(s.to_string())),
    }
}

fn dns_name(d: &Value) -> Result<String, CryptoError> {
    d.as_str()
        .map(str::to_string)
        .ok_or_else(|| CryptoError::DnsNameNotString(super::strval(d)))
}

/// `getBaseCertTemplate`: serial number from the generator, `now` from the options.
fn base_template(
    ctx: &mut CallCtx<'_, '_>,
    cn: &str,
    ips: &Value,
    dns: &Value,
    days: i64,
) -> Result<pki::CertTemplate, CryptoError> {
    let ips = each(ips, net_ip)?;
    let dns = each(dns, dns_name)?;
    let mut serial = [0u8; 16];
    serial[..8].copy_from_slice(&ctx.rand_u64().to_be_bytes());
    serial[8..].copy_from_slice(&ctx.rand_u64().to_be_bytes());
    let now = ctx.options().now.unix_nanos.div_euclid(1_000_000_000);
    Ok(pki::CertTemplate {
        cn: cn.to_string(),
        ips,
        dns,
        days,
        is_ca: false,
        serial,
        now: i64::try_from(now).unwrap_or(i64::MAX),
    })
}

/// The key of a `*WithKey` call, or a new RSA 2048 key (Sprig's default for certificates).
fn subject_key(ctx: &mut CallCtx<'_, '_>, pem: Option<&str>) -> Result<pki::PrivKey, FuncError> {
    match pem {
        Some(p) => Ok(pki::parse_private_key_pem(p).map_err(CryptoError::SubjectKey)?),
        None => {
            let kind = pki::KeyKind::Rsa(2048);
            ctx.charge(key_steps(kind))?;
            Ok(new_key(ctx, kind)?)
        }
    }
}

/// A new key of `kind`: from a seed drawn from the generator, or with
/// [`crate::ExecOptions::cheap_keys`], the process's one key of that kind (the seed is drawn
/// all the same, so that what the generator gives the template's other calls is unchanged).
fn new_key(ctx: &mut CallCtx<'_, '_>, kind: pki::KeyKind) -> Result<pki::PrivKey, pki::PkiError> {
    let seed = key_seed(ctx);
    if ctx.options().cheap_keys {
        pki::generate_cheap(kind)
    } else {
        pki::generate(kind, seed)
    }
}

/// Steps charged for generating a key of `kind`, about what the executor walks in the time
/// the key takes (an RSA 4096 key takes seconds: searching primes is cubic in the size), so
/// that a template generating keys in a loop meets the step limit within seconds.
fn key_steps(kind: pki::KeyKind) -> u64 {
    /// An RSA 1024 key; other sizes scale with the cube of the size.
    const RSA_1024: u64 = 100_000;
    match kind {
        pki::KeyKind::Rsa(bits) => {
            let k = (bits as u64 / 1024).max(1);
            RSA_1024 * k * k * k
        }
        pki::KeyKind::Dsa => 8 * RSA_1024,
        pki::KeyKind::Ecdsa | pki::KeyKind::Ed25519 => 1_000,
    }
}

fn gen_ca(ctx: &mut CallCtx<'_, '_>, a: &[Value], key: Option<&str>) -> FuncResult {
    let priv_key = subject_key(ctx, key)?;
    let mut t = base_template(ctx, s(&a[0]), &Value::nil(), &Value::nil(), i(&a[1]))?;
    t.is_ca = true;
    let cert = pki::create_certificate(&t, &priv_key, None, &priv_key)?;
    Ok(cert_value(cert, priv_key.to_pem()?))
}

fn gen_self_signed(ctx: &mut CallCtx<'_, '_>, a: &[Value], key: Option<&str>) -> FuncResult {
    let priv_key = subject_key(ctx, key)?;
    let t = base_template(ctx, s(&a[0]), &a[1], &a[2], i(&a[3]))?;
    let cert = pki::create_certificate(&t, &priv_key, None, &priv_key)?;
    Ok(cert_value(cert, priv_key.to_pem()?))
}

/// The `Cert` and `Key` of a certificate object (`genCA` output).
fn ca_parts(v: &Value) -> Result<(String, String), CryptoError> {
    let Some(m) = v.as_map() else {
        return Err(CryptoError::NotACertificate(v.type_name()));
    };
    let field = |k: &str| m.get(k).and_then(|x| x.as_str().map(str::to_string));
    Ok((
        field("Cert").unwrap_or_default(),
        field("Key").unwrap_or_default(),
    ))
}

fn gen_signed(ctx: &mut CallCtx<'_, '_>, a: &[Value], key: Option<&str>) -> FuncResult {
    let priv_key = subject_key(ctx, key)?;
    let (ca_cert, ca_key) = ca_parts(&a[4])?;
    let parent = pki::parse_parent(&ca_cert)?;
    let signer = pki::parse_private_key_pem(&ca_key).map_err(CryptoError::SignerKey)?;
    let t = base_template(ctx, s(&a[0]), &a[1], &a[2], i(&a[3]))?;
    let cert = pki::create_certificate(&t, &priv_key, Some(&parent), &signer)?;
    Ok(cert_value(cert, priv_key.to_pem()?))
}

/// Sprig's `bcrypt` (Go's `bcrypt.GenerateFromPassword` with the default cost 10, `$2a$`),
/// with the salt drawn from the generator; at the lowest cost (4) with
/// [`crate::ExecOptions::cheap_keys`].
fn bcrypt_hash(ctx: &mut CallCtx<'_, '_>, password: &str) -> String {
    if password.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    let mut salt = [0u8; 16];
    salt[..8].copy_from_slice(&ctx.rand_u64().to_le_bytes());
    salt[8..].copy_from_slice(&ctx.rand_u64().to_le_bytes());
    let cost = if ctx.options().cheap_keys { 4 } else { 10 };
    match bcrypt::hash_with_salt(password, cost, salt) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert("genPrivateKey", &[Str], None, |c, a| {
        // Sprig returns its errors as the function's string result.
        let kind = match s(&a[0]) {
            "" | "rsa" => pki::KeyKind::Rsa(4096),
            "ecdsa" => pki::KeyKind::Ecdsa,
            "ed25519" => pki::KeyKind::Ed25519,
            "dsa" => pki::KeyKind::Dsa,
            other => return Ok(Value::str(format!("Unknown type {other}"))),
        };
        c.charge(key_steps(kind))?;
        let key = new_key(c, kind).and_then(|k| k.to_pem());
        Ok(Value::str(key.unwrap_or_else(|e| match kind {
            pki::KeyKind::Dsa => e.to_string(),
            _ => format!("failed to generate private key: {e}"),
        })))
    });
    m.insert("genCA", &[Str, Int], None, |c, a| gen_ca(c, &a, None));
    m.insert("genCAWithKey", &[Str, Int, Str], None, |c, a| {
        gen_ca(c, &a, Some(s(&a[2])))
    });
    m.insert(
        "genSelfSignedCert",
        &[Str, List, List, Int],
        None,
        |c, a| gen_self_signed(c, &a, None),
    );
    m.insert(
        "genSelfSignedCertWithKey",
        &[Str, List, List, Int, Str],
        None,
        |c, a| gen_self_signed(c, &a, Some(s(&a[4]))),
    );
    m.insert(
        "genSignedCert",
        &[Str, List, List, Int, Any],
        None,
        |c, a| gen_signed(c, &a, None),
    );
    m.insert(
        "genSignedCertWithKey",
        &[Str, List, List, Int, Any, Str],
        None,
        |c, a| gen_signed(c, &a, Some(s(&a[5]))),
    );
    m.add("buildCustomCert", &[Str, Str], None, |a| {
        let cert = b64decode(s(&a[0])).map_err(|_| CryptoError::CertificateBase64)?;
        let key = b64decode(s(&a[1])).map_err(|_| CryptoError::KeyBase64)?;
        let cert = String::from_utf8_lossy(&cert).into_owned();
        let key = String::from_utf8_lossy(&key).into_owned();
        let (_, der) = pki::pem_decode(&cert).ok_or(PkiError::NoCertificate)?;
        pki::parse_certificate(&der).map_err(CryptoError::Certificate)?;
        pki::parse_private_key_pem(&key).map_err(CryptoError::SignerKey)?;
        Ok(cert_value(cert, key))
    });
    m.insert("randBytes", &[Int], None, |c, a| {
        let n = i(&a[0]).max(0) as usize;
        Ok(Value::str(b64encode(&rand_bytes(c, n.min(1 << 20)))))
    });
    m.insert("uuidv4", &[], None, |c, _| {
        let mut b = rand_bytes(c, 16);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = super::encoding::hex(&b);
        Ok(Value::str(format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )))
    });
    m.insert("bcrypt", &[Str], None, |c, a| {
        Ok(Value::str(bcrypt_hash(c, s(&a[0]))))
    });
    m.insert("htpasswd", &[Str, Str], None, |c, a| {
        let user = s(&a[0]);
        if user.contains(':') {
            return Ok(Value::str(format!("invalid username: {user}")));
        }
        let hash = bcrypt_hash(c, s(&a[1]));
        Ok(Value::str(format!("{user}:{hash}")))
    });
}
