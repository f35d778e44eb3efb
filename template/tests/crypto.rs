//! Sprig's key, certificate and password-hash functions: real, well-formed and deterministic.
//! Certificates are parsed back with `x509-cert` and their signatures checked; when `openssl`
//! is installed, it must accept them too.

use std::time::Instant;

use cct_template::{ExecOptions, TemplateSet, Value};
use p256::ecdsa::signature::Verifier as _;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::sha2::{Digest, Sha256};
use rsa::traits::PublicKeyParts;
use x509_cert::der::{Decode, DecodePem, Encode};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::Certificate;

/// 2024-01-01T00:00:00Z, the default `now` of [`ExecOptions`].
const NOW: u64 = 1_704_067_200;

fn render_seed(src: &str, seed: u64) -> String {
    let mut set = TemplateSet::new();
    set.add("t", src).unwrap_or_else(|e| panic!("parse: {e}"));
    let opts = ExecOptions {
        seed,
        ..ExecOptions::default()
    };
    match set.execute("t", &Value::nil(), &opts) {
        Ok(r) => r.text,
        Err(e) => panic!("exec: {e}"),
    }
}

fn render(src: &str) -> String {
    render_seed(src, 7)
}

fn exec_err(src: &str) -> String {
    let mut set = TemplateSet::new();
    set.add("t", src).unwrap_or_else(|e| panic!("parse: {e}"));
    set.execute("t", &Value::nil(), &ExecOptions::default())
        .map(|r| r.text)
        .expect_err("expected an error")
        .to_string()
}

/// Splits text made of PEM blocks separated by `|` into its parts.
fn parts(out: &str) -> Vec<&str> {
    out.split('|').collect()
}

fn cert(pem: &str) -> Certificate {
    Certificate::from_pem(pem.as_bytes()).unwrap_or_else(|e| panic!("{e}: {pem}"))
}

fn cn(c: &Certificate) -> String {
    c.tbs_certificate()
        .subject()
        .common_name()
        .unwrap()
        .map(String::from)
        .unwrap_or_default()
}

fn ext<'a, T: Decode<'a> + x509_cert::der::oid::AssociatedOid>(
    c: &'a Certificate,
) -> Option<(bool, T)> {
    c.tbs_certificate().get_extension::<T>().unwrap()
}

fn validity(c: &Certificate) -> (u64, u64) {
    let v = c.tbs_certificate().validity();
    (
        v.not_before.to_unix_duration().as_secs(),
        v.not_after.to_unix_duration().as_secs(),
    )
}

/// Checks `c`'s signature with the RSA public key of `issuer`.
fn verify_rsa(c: &Certificate, issuer: &Certificate) {
    let spki = issuer
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let public = rsa::PublicKey::from_public_key_der(&spki).unwrap();
    let tbs = c.tbs_certificate().to_der().unwrap();
    let hash = Sha256::digest(&tbs);
    public
        .verify(
            rsa::Pkcs1v15Sign::new::<Sha256>(),
            &hash,
            c.signature().raw_bytes(),
        )
        .expect("signature verifies");
}

fn pem_body(pem: &str) -> (String, Vec<u8>) {
    let doc = x509_cert::der::pem::decode_vec(pem.as_bytes()).unwrap();
    (doc.0.to_string(), doc.1)
}

#[test]
fn gen_ca_is_a_real_ca() {
    let t0 = Instant::now();
    // A seed no other test uses: the key is not in the process-wide cache yet.
    let out = render_seed(
        r#"{{ $ca := genCA "my-ca" 365 }}{{ $ca.Cert }}|{{ $ca.Key }}"#,
        0xca,
    );
    eprintln!("genCA (RSA 2048 key): {:?}", t0.elapsed());
    let p = parts(&out);
    let c = cert(p[0]);
    assert_eq!(cn(&c), "my-ca");
    assert_eq!(c.tbs_certificate().issuer(), c.tbs_certificate().subject());
    let (_, bc) = ext::<BasicConstraints>(&c).expect("basic constraints");
    assert!(bc.ca);
    let (critical, ku) = ext::<KeyUsage>(&c).expect("key usage");
    assert!(critical && ku.key_cert_sign() && ku.digital_signature() && ku.key_encipherment());
    let (_, eku) = ext::<ExtendedKeyUsage>(&c).unwrap();
    assert_eq!(eku.0.len(), 2);
    assert!(ext::<SubjectKeyIdentifier>(&c).is_some());
    assert!(ext::<SubjectAltName>(&c).is_none());
    assert_eq!(validity(&c), (NOW, NOW + 365 * 86_400));
    // 128-bit serial (a leading zero byte when the top bit is set).
    assert!(c.tbs_certificate().serial_number().as_bytes().len() <= 17);
    // RSA 2048 PKCS#1 key matching the certificate.
    assert!(p[1].starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let key = rsa::PrivateKey::from_pkcs1_pem(p[1]).unwrap();
    assert_eq!(key.n().bit_width(), 2048);
    let spki = c
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    assert_eq!(
        rsa::PublicKey::from_public_key_der(&spki).unwrap(),
        key.to_public_key()
    );
    verify_rsa(&c, &c);
}

#[test]
fn self_signed_cert_has_names() {
    let out = render(
        r#"{{ $c := genSelfSignedCert "web" (list "10.0.0.1" "::1" "::ffff:1.2.3.4") (list "a.example" "*.b.example") 30 }}{{ $c.Cert }}|{{ $c.Key }}"#,
    );
    let p = parts(&out);
    let c = cert(p[0]);
    assert_eq!(cn(&c), "web");
    let (_, bc) = ext::<BasicConstraints>(&c).unwrap();
    assert!(!bc.ca);
    let (_, ku) = ext::<KeyUsage>(&c).unwrap();
    assert!(!ku.key_cert_sign() && ku.digital_signature());
    assert!(ext::<SubjectKeyIdentifier>(&c).is_none());
    let (critical, san) = ext::<SubjectAltName>(&c).unwrap();
    assert!(!critical);
    let names: Vec<String> = san
        .0
        .iter()
        .map(|n| match n {
            GeneralName::DnsName(d) => format!("dns:{d}"),
            GeneralName::IpAddress(ip) => format!("ip:{:?}", ip.as_bytes()),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        [
            "dns:a.example",
            "dns:*.b.example",
            "ip:[10, 0, 0, 1]",
            "ip:[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]",
            "ip:[1, 2, 3, 4]",
        ]
    );
    assert_eq!(validity(&c), (NOW, NOW + 30 * 86_400));
    verify_rsa(&c, &c);
}

#[test]
fn signed_cert_verifies_against_its_ca() {
    let out = render(
        r#"{{ $ca := genCA "the-ca" 3650 }}{{ $c := genSignedCert "svc.ns.svc" nil (list "svc" "svc.ns.svc") 365 $ca }}{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}|{{ $ca.Key }}"#,
    );
    let p = parts(&out);
    let (ca, c) = (cert(p[0]), cert(p[1]));
    assert_eq!(cn(&c), "svc.ns.svc");
    assert_eq!(c.tbs_certificate().issuer(), ca.tbs_certificate().subject());
    verify_rsa(&c, &ca);
    let (_, skid) = ext::<SubjectKeyIdentifier>(&ca).unwrap();
    let (_, akid) = ext::<AuthorityKeyIdentifier>(&c).unwrap();
    assert_eq!(akid.key_identifier, Some(skid.0));
    assert!(!ext::<BasicConstraints>(&c).unwrap().1.ca);
    // The leaf has its own key.
    assert_ne!(p[2], p[3]);
    let key = rsa::PrivateKey::from_pkcs1_pem(p[2]).unwrap();
    let spki = c
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    assert_eq!(
        rsa::PublicKey::from_public_key_der(&spki).unwrap(),
        key.to_public_key()
    );
}

#[test]
fn each_call_gets_a_new_key_and_serial() {
    let out = render(
        r#"{{ $a := genCA "ca" 1 }}{{ $b := genCA "ca" 1 }}{{ $a.Key }}|{{ $b.Key }}|{{ $a.Cert }}|{{ $b.Cert }}"#,
    );
    let p = parts(&out);
    assert_ne!(p[0], p[1]);
    let (a, b) = (cert(p[2]), cert(p[3]));
    assert_ne!(
        a.tbs_certificate().serial_number(),
        b.tbs_certificate().serial_number()
    );
}

fn render_cheap(src: &str, cheap_keys: bool) -> String {
    let mut set = TemplateSet::new();
    set.add("t", src).unwrap_or_else(|e| panic!("parse: {e}"));
    let opts = ExecOptions {
        seed: 7,
        cheap_keys,
        ..ExecOptions::default()
    };
    match set.execute("t", &Value::nil(), &opts) {
        Ok(r) => r.text,
        Err(e) => panic!("exec: {e}"),
    }
}

#[test]
fn cheap_keys_reuse_one_key_per_type_and_change_nothing_else() {
    let src = r#"{{ $a := genCA "ca" 1 }}{{ $b := genCA "ca" 1 }}{{ $c := genSignedCert "x" nil (list "x") 10 $a }}{{ $a.Key }}|{{ $b.Key }}|{{ $c.Key }}|{{ $a.Cert }}|{{ $b.Cert }}|{{ $c.Cert }}|{{ genPrivateKey "rsa" }}|{{ genPrivateKey "rsa" }}|{{ genPrivateKey "ecdsa" }}|{{ genPrivateKey "ecdsa" }}|{{ bcrypt "pw" }}|{{ htpasswd "u" "pw" }}|{{ randAlphaNum 12 }}|{{ uuidv4 }}"#;
    let cheap = render_cheap(src, true);
    let p = parts(&cheap);
    // One key per type, whatever the call.
    assert_eq!(p[0], p[1]);
    assert_eq!(p[0], p[2]);
    assert_eq!(p[6], p[7]);
    assert_eq!(p[8], p[9]);
    let rsa4096 = rsa::PrivateKey::from_pkcs1_pem(p[6]).unwrap();
    assert_eq!(rsa4096.size() * 8, 4096);
    let rsa2048 = rsa::PrivateKey::from_pkcs1_pem(p[0]).unwrap();
    assert_eq!(rsa2048.size() * 8, 2048);
    // Certificates are still real, with their own serial numbers, signed by their CA.
    let (a, b, c) = (cert(p[3]), cert(p[4]), cert(p[5]));
    verify_rsa(&a, &a);
    verify_rsa(&c, &a);
    assert_ne!(
        a.tbs_certificate().serial_number(),
        b.tbs_certificate().serial_number()
    );
    // bcrypt at its lowest cost, same format.
    assert!(p[10].starts_with("$2a$04$") && bcrypt::verify("pw", p[10]).unwrap());
    let h = p[11].strip_prefix("u:").unwrap();
    assert!(h.starts_with("$2a$04$") && bcrypt::verify("pw", h).unwrap());
    // What the generator gives the other calls is unchanged, and so are the lengths of the
    // hashes and of the random text.
    let fresh = render_cheap(src, false);
    let q = parts(&fresh);
    assert_ne!(q[0], q[1]);
    assert!(q[10].starts_with("$2a$10$"));
    assert_eq!(p[10].len(), q[10].len());
    assert_eq!(p[12..], q[12..]);
    assert_eq!(
        a.tbs_certificate().serial_number(),
        cert(q[3]).tbs_certificate().serial_number()
    );
    // Deterministic too.
    assert_eq!(cheap, render_cheap(src, true));
}

#[test]
fn output_is_deterministic_per_seed() {
    let src = r#"{{ $ca := genCA "ca" 10 }}{{ $c := genSignedCert "x" nil nil 10 $ca }}{{ $ca.Cert }}{{ $ca.Key }}{{ $c.Cert }}{{ $c.Key }}{{ genPrivateKey "ecdsa" }}{{ genPrivateKey "ed25519" }}{{ htpasswd "u" "p" }}{{ bcrypt "p" }}"#;
    let a = render_seed(src, 1);
    assert_eq!(a, render_seed(src, 1));
    let b = render_seed(src, 2);
    assert_ne!(a, b);
    // Nothing in common between the two renders but the PEM armour.
    let a_lines: std::collections::HashSet<&str> = a.lines().collect();
    assert!(b
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 20)
        .all(|l| !a_lines.contains(l)));
}

#[test]
fn private_keys_parse() {
    let ec = render(r#"{{ genPrivateKey "ecdsa" }}"#);
    assert!(ec.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
    let (_, der) = pem_body(&ec);
    p256::SecretKey::from_sec1_der(&der).unwrap();

    let ed = render(r#"{{ genPrivateKey "ed25519" }}"#);
    assert!(ed.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    let (_, der) = pem_body(&ed);
    // Go's PKCS#8 v1 layout for Ed25519: fixed 16-byte prefix, then the 32-byte seed.
    assert_eq!(der.len(), 48);
    assert_eq!(
        der[..16],
        [
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20
        ]
    );

    assert_eq!(render(r#"{{ genPrivateKey "foo" }}"#), "Unknown type foo");
}

#[test]
fn rsa_private_key_is_4096_bits() {
    let t0 = Instant::now();
    let rsa_pem = render(r#"{{ genPrivateKey "rsa" }}"#);
    eprintln!("genPrivateKey rsa: {:?}", t0.elapsed());
    let key = rsa::PrivateKey::from_pkcs1_pem(&rsa_pem).unwrap();
    assert_eq!(key.n().bit_width(), 4096);
    // Default type is RSA, and the process-wide cache returns the same key for the seed.
    let t0 = Instant::now();
    assert_eq!(render(r#"{{ genPrivateKey "" }}"#), rsa_pem);
    assert!(t0.elapsed().as_secs() < 2, "cached");
}

#[test]
fn dsa_private_key() {
    let t0 = Instant::now();
    let pem = render(r#"{{ genPrivateKey "dsa" }}"#);
    eprintln!("genPrivateKey dsa: {:?}", t0.elapsed());
    assert!(
        pem.starts_with("-----BEGIN DSA PRIVATE KEY-----\n"),
        "{pem}"
    );
    let (_, der) = pem_body(&pem);
    let ints: Vec<x509_cert::der::asn1::Uint> = Vec::from_der(&der).unwrap();
    assert_eq!(ints.len(), 6);
    assert_eq!(ints[1].as_bytes().len(), 256); // P: 2048 bits
    assert_eq!(ints[2].as_bytes().len(), 32); // Q: 256 bits
                                              // A DSA key cannot sign a certificate (not a crypto.Signer in Go).
    let err = exec_err(&format!("{{{{ genCAWithKey \"x\" 1 {pem:?} }}}}"));
    assert!(err.contains("does not implement crypto.Signer"), "{err}");
}

#[test]
fn with_key_variants_use_the_given_key() {
    // ECDSA: the SEC 1 key comes back unchanged, the certificate verifies.
    let out = render(
        r#"{{ $k := genPrivateKey "ecdsa" }}{{ $c := genCAWithKey "ec-ca" 5 $k }}{{ $k }}|{{ $c.Key }}|{{ $c.Cert }}"#,
    );
    let p = parts(&out);
    assert_eq!(p[0], p[1]);
    let c = cert(p[2]);
    let (_, der) = pem_body(p[0]);
    let sk = p256::SecretKey::from_sec1_der(&der).unwrap();
    let vk = p256::ecdsa::VerifyingKey::from(sk.public_key());
    let sig = p256::ecdsa::DerSignature::from_bytes(c.signature().raw_bytes()).unwrap();
    vk.verify(&c.tbs_certificate().to_der().unwrap(), &sig)
        .unwrap();
    assert!(ext::<BasicConstraints>(&c).unwrap().1.ca);

    // Ed25519 self-signed certificate and an RSA-CA-signed leaf with an Ed25519 key.
    let out = render(
        r#"{{ $k := genPrivateKey "ed25519" }}{{ $s := genSelfSignedCertWithKey "ed" nil (list "ed.example") 5 $k }}{{ $ca := genCA "ca" 5 }}{{ $l := genSignedCertWithKey "leaf" nil nil 5 $ca $k }}{{ $k }}|{{ $s.Key }}|{{ $s.Cert }}|{{ $l.Cert }}|{{ $ca.Cert }}"#,
    );
    let p = parts(&out);
    assert_eq!(p[0], p[1]);
    let s = cert(p[2]);
    let (_, der) = pem_body(p[0]);
    let seed: [u8; 32] = der[16..].try_into().unwrap();
    let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
    let sig = ed25519_dalek::Signature::from_slice(s.signature().raw_bytes()).unwrap();
    sk.verifying_key()
        .verify_strict(&s.tbs_certificate().to_der().unwrap(), &sig)
        .unwrap();
    let (leaf, ca) = (cert(p[3]), cert(p[4]));
    verify_rsa(&leaf, &ca);
    assert_eq!(
        leaf.tbs_certificate()
            .subject_public_key_info()
            .subject_public_key
            .raw_bytes(),
        sk.verifying_key().as_bytes()
    );

    // A PKCS#8 RSA key is accepted and returned as PKCS#1, like Sprig's pemBlockForKey.
    let pkcs8 = render(r#"{{ (genCA "x" 1).Key }}"#);
    let key = rsa::PrivateKey::from_pkcs1_pem(&pkcs8).unwrap();
    let der = rsa::pkcs8::EncodePrivateKey::to_pkcs8_der(&key).unwrap();
    let pkcs8_pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        b64(der.as_bytes())
    );
    let out = render(&format!(
        "{{{{ (genCAWithKey \"x\" 1 {:?}).Key }}}}",
        pkcs8_pem
    ));
    assert_eq!(out, pkcs8);
}

fn b64(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn errors_mirror_sprig() {
    let e = exec_err(r#"{{ genSelfSignedCert "x" (list "not-an-ip") nil 1 }}"#);
    assert!(
        e.contains("error calling genSelfSignedCert: error parsing ip: not-an-ip"),
        "{e}"
    );
    let e = exec_err(r#"{{ genSelfSignedCert "x" nil (list 1) 1 }}"#);
    assert!(
        e.contains("error processing alternate dns name: 1 is not a string"),
        "{e}"
    );
    let e = exec_err(r#"{{ genCAWithKey "x" 1 "garbage" }}"#);
    assert!(
        e.contains("parsing private key: no PEM data in input"),
        "{e}"
    );
    let e = exec_err(r#"{{ genSignedCert "x" nil nil 1 (dict "Cert" "" "Key" "") }}"#);
    assert!(e.contains("unable to decode certificate"), "{e}");
    let e = exec_err(r#"{{ buildCustomCert "%%%" "" }}"#);
    assert!(e.contains("unable to decode base64 certificate"), "{e}");
    // A CA key that does not match the CA certificate.
    let e = exec_err(
        r#"{{ $a := genCA "a" 1 }}{{ $b := genCA "b" 1 }}{{ genSignedCert "x" nil nil 1 (dict "Cert" $a.Cert "Key" $b.Key) }}"#,
    );
    assert!(e.contains("doesn't match parent's PublicKey"), "{e}");
}

#[test]
fn build_custom_cert_round_trips() {
    let out = render(
        r#"{{ $ca := genCA "ca" 1 }}{{ $c := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ eq $c.Cert $ca.Cert }} {{ eq $c.Key $ca.Key }}{{ $l := genSignedCert "l" nil nil 1 $c }}"#,
    );
    assert_eq!(out, "true true");
}

#[test]
fn htpasswd_and_bcrypt() {
    let line = render(r#"{{ htpasswd "admin" "secret" }}"#);
    let (user, hash) = line.split_once(':').unwrap();
    assert_eq!(user, "admin");
    assert!(hash.starts_with("$2a$10$") && hash.len() == 60, "{hash}");
    assert!(bcrypt::verify("secret", hash).unwrap());
    assert!(!bcrypt::verify("other", hash).unwrap());
    let h = render(r#"{{ bcrypt "pw" }}"#);
    assert!(bcrypt::verify("pw", &h).unwrap());
    assert_eq!(
        render(r#"{{ htpasswd "a:b" "x" }}"#),
        "invalid username: a:b"
    );
    let long = "x".repeat(73);
    assert_eq!(
        render(&format!("{{{{ bcrypt {long:?} }}}}")),
        "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    );
}

/// `openssl` accepts the certificates and keys (skipped when it is not installed).
#[test]
fn openssl_accepts_the_output() {
    use std::process::Command;
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("skipped: openssl is not installed");
        return;
    }
    let out = render(
        r#"{{ $ca := genCA "ca" 3650 }}{{ $c := genSignedCert "leaf" (list "127.0.0.1") (list "leaf.example") 3650 $ca }}{{ $k := genPrivateKey "ecdsa" }}{{ $e := genSelfSignedCertWithKey "ec" nil nil 3650 $k }}{{ $d := genPrivateKey "ed25519" }}{{ $ed := genCAWithKey "ed" 3650 $d }}{{ $ca.Cert }}|{{ $ca.Key }}|{{ $c.Cert }}|{{ $c.Key }}|{{ $e.Cert }}|{{ $k }}|{{ $ed.Cert }}|{{ $d }}"#,
    );
    let p = parts(&out);
    let dir = std::env::temp_dir().join(format!("cct-template-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let names = [
        "ca.crt", "ca.key", "leaf.crt", "leaf.key", "ec.crt", "ec.key", "ed.crt", "ed.key",
    ];
    for (n, text) in names.iter().zip(&p) {
        std::fs::write(dir.join(n), text).unwrap();
    }
    let run = |args: &[&str]| {
        let o = Command::new("openssl")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "openssl {args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    for crt in ["ca.crt", "leaf.crt", "ec.crt", "ed.crt"] {
        run(&["x509", "-noout", "-text", "-in", crt]);
    }
    for key in ["ca.key", "leaf.key", "ec.key", "ed.key"] {
        run(&["pkey", "-noout", "-in", key]);
    }
    // The chain verifies (at the render's `now`), and the leaf carries its names.
    let v = run(&[
        "verify",
        "-attime",
        &(NOW + 60).to_string(),
        "-CAfile",
        "ca.crt",
        "leaf.crt",
    ]);
    assert!(v.contains("leaf.crt: OK"), "{v}");
    let text = run(&["x509", "-noout", "-text", "-in", "leaf.crt"]);
    assert!(
        text.contains("DNS:leaf.example, IP Address:127.0.0.1"),
        "{text}"
    );
    assert!(text.contains("Subject: CN = leaf"), "{text}");
    assert!(text.contains("CA:FALSE"), "{text}");
    let text = run(&["x509", "-noout", "-text", "-in", "ca.crt"]);
    assert!(text.contains("CA:TRUE"), "{text}");
    assert!(text.contains("Certificate Sign"), "{text}");
    // The certificates' public keys match their private keys.
    for (crt, key) in [
        ("ca.crt", "ca.key"),
        ("leaf.crt", "leaf.key"),
        ("ec.crt", "ec.key"),
        ("ed.crt", "ed.key"),
    ] {
        let a = run(&["x509", "-noout", "-pubkey", "-in", crt]);
        let b = run(&["pkey", "-pubout", "-in", key]);
        assert_eq!(a, b, "{crt} / {key}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
