//! Sprig's key/certificate generators and random identifiers.
//!
//! Real RSA/ECDSA key generation and X.509 signing are not implemented: the functions
//! return deterministic, clearly-marked *placeholder* PEM blocks (valid PEM armour and
//! base64, but the DER body is pseudo-random bytes, not a parseable key/certificate).
//! Helm's own output for these functions is random, so it can never be compared byte
//! for byte anyway; the shape (PEM headers, line width, `.Cert`/`.Key` fields) matches.

use std::collections::BTreeMap;

use super::encoding::{b64decode, b64encode};
use super::{i, s, CallCtx, FuncMap, Param};
use crate::value::Value;

use Param::*;

fn rand_bytes(ctx: &mut CallCtx<'_, '_>, n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(n + 8);
    while v.len() < n {
        v.extend_from_slice(&ctx.rand_u64().to_le_bytes());
    }
    v.truncate(n);
    v
}

fn pem(label: &str, body: &[u8]) -> String {
    let b = b64encode(body);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn placeholder_key(ctx: &mut CallCtx<'_, '_>, typ: &str) -> Result<String, String> {
    let (label, len) = match typ {
        "rsa" | "" => ("RSA PRIVATE KEY", 1192),
        "ecdsa" => ("EC PRIVATE KEY", 121),
        "ed25519" => ("PRIVATE KEY", 48),
        "dsa" => ("DSA PRIVATE KEY", 445),
        other => return Err(format!("Unknown type {other}")),
    };
    // DER SEQUENCE tag so the body at least starts like a key.
    let mut body = vec![0x30, 0x82];
    body.extend(rand_bytes(ctx, len));
    Ok(pem(label, &body))
}

fn cert_value(cert: String, key: String) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Cert".to_string(), Value::str(cert));
    m.insert("Key".to_string(), Value::str(key));
    Value::map(m)
}

fn placeholder_cert(ctx: &mut CallCtx<'_, '_>) -> Result<Value, super::FuncError> {
    let mut body = vec![0x30, 0x82];
    body.extend(rand_bytes(ctx, 780));
    let cert = pem("CERTIFICATE", &body);
    let key = placeholder_key(ctx, "rsa")?;
    Ok(cert_value(cert, key))
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert("genPrivateKey", &[Str], None, |c, a| {
        Ok(Value::str(placeholder_key(c, s(&a[0]))?))
    });
    m.insert("genCA", &[Str, Int], None, |c, _| placeholder_cert(c));
    m.insert("genCAWithKey", &[Str, Int, Str], None, |c, a| {
        let mut v = placeholder_cert(c)?;
        if let Some(mut mm) = v.as_map().map(|x| x.clone()) {
            mm.insert("Key".into(), a[2].clone());
            v = Value::map(mm);
        }
        Ok(v)
    });
    m.insert("genSelfSignedCert", &[Str, Any, Any, Int], None, |c, _| {
        placeholder_cert(c)
    });
    m.insert(
        "genSelfSignedCertWithKey",
        &[Str, Any, Any, Int, Str],
        None,
        |c, _| placeholder_cert(c),
    );
    m.insert("genSignedCert", &[Str, Any, Any, Int, Any], None, |c, _| {
        placeholder_cert(c)
    });
    m.insert(
        "genSignedCertWithKey",
        &[Str, Any, Any, Int, Any, Str],
        None,
        |c, _| placeholder_cert(c),
    );
    m.add("buildCustomCert", &[Str, Str], None, |a| {
        let cert =
            b64decode(s(&a[0])).map_err(|e| format!("unable to decode base64 certificate: {e}"))?;
        let key =
            b64decode(s(&a[1])).map_err(|e| format!("unable to decode base64 private key: {e}"))?;
        Ok(cert_value(
            String::from_utf8_lossy(&cert).into_owned(),
            String::from_utf8_lossy(&key).into_owned(),
        ))
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
    m.insert("htpasswd", &[Str, Str], None, |c, a| {
        // Placeholder bcrypt-shaped hash: "$2a$10$" + 53 chars of bcrypt's base64 alphabet.
        const ALPHA: &[u8] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let user = s(&a[0]);
        if user.contains(':') {
            return Ok(Value::str("invalid username: contains ':'"));
        }
        let tail: String = rand_bytes(c, 53)
            .iter()
            .map(|b| ALPHA[(*b as usize) % ALPHA.len()] as char)
            .collect();
        Ok(Value::str(format!("{user}:$2a$10${tail}")))
    });
}
