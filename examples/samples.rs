//! Generates the inspector page's sample gallery (www/): SVIDs and trust bundles of a smart city,
//! made with freshly generated keys every time it runs — nothing is hand-written.
//!
//! The story: the trust domain `city.gov` runs traffic, energy and emergency agents; a regional
//! transit authority, `transit.example`, is federated with it (its buses ask city traffic signals
//! for priority); `riverside.example` is a town the city has *not* federated with.
//!
//! ```sh
//! cargo run --example samples -- www/dist/samples.json   # or no argument: JSON on stdout
//! SAMPLES_NOW=1767225600 cargo run --example samples      # pin the clock (Unix seconds)
//! ```
//!
//! Every sample declares the verdict it is meant to show; before writing anything the generator
//! checks each one with `svidkit::inspect` at the generation time and fails if the core disagrees.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SignatureAlgorithm, SigningKey,
    PKCS_ECDSA_P256_SHA256, PKCS_ECDSA_P384_SHA384,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use svidkit::{inspect, BundleSet, Options, Policy};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

const CITY: &str = "city.gov";
const TRANSIT: &str = "transit.example";
const RIVERSIDE: &str = "riverside.example";
/// The audience of the city's emergency dispatch service, which the JWT samples call.
const DISPATCH: &str = "spiffe://city.gov/emergency/dispatch";
/// The audience of the city's traffic-signal priority API, which transit buses call.
const SIGNAL_PRIORITY: &str = "spiffe://city.gov/traffic/signal-priority";

/// Sets a certificate's validity from Unix seconds.
fn validity(p: &mut CertificateParams, from: u64, to: u64) {
    // rcgen takes `time` values; adding a std Duration to the epoch avoids naming that crate.
    let epoch = rcgen::date_time_ymd(1970, 1, 1);
    p.not_before = epoch + Duration::from_secs(from);
    p.not_after = epoch + Duration::from_secs(to);
}

fn key(alg: &'static SignatureAlgorithm) -> Res<KeyPair> {
    Ok(KeyPair::generate_for(alg)?)
}

/// A signing certificate (root or intermediate) with the trust domain's SPIFFE ID (no path).
fn ca_params(
    td: &str,
    org: &str,
    cn: &str,
    path_len: Option<u8>,
    from: u64,
    to: u64,
) -> Res<CertificateParams> {
    let mut p = CertificateParams::default();
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CountryName, "US");
    p.distinguished_name.push(DnType::OrganizationName, org);
    p.distinguished_name.push(DnType::CommonName, cn);
    p.subject_alt_names = vec![SanType::URI(format!("spiffe://{td}").try_into()?)];
    p.is_ca = IsCa::Ca(match path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.use_authority_key_identifier_extension = true;
    validity(&mut p, from, to);
    Ok(p)
}

/// An X.509-SVID leaf the way SPIRE issues them: URI SAN, CA:FALSE, digitalSignature,
/// server and client auth.
fn leaf_params(
    uri: &str,
    org: &str,
    dns: Option<&str>,
    from: u64,
    to: u64,
) -> Res<CertificateParams> {
    let mut p = CertificateParams::default();
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CountryName, "US");
    p.distinguished_name.push(DnType::OrganizationName, org);
    p.subject_alt_names = vec![SanType::URI(uri.try_into()?)];
    if let Some(dns) = dns {
        p.subject_alt_names.push(SanType::DnsName(dns.try_into()?));
    }
    p.is_ca = IsCa::ExplicitNoCa;
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
    ];
    p.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    p.use_authority_key_identifier_extension = true;
    validity(&mut p, from, to);
    Ok(p)
}

fn pem_chain(certs: &[&[u8]]) -> String {
    certs.iter().map(|der| pem(der)).collect()
}

fn pem(der: &[u8]) -> String {
    let b64 = Base64::encode_string(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// The certificate with one bit of its signature flipped (the last byte of the DER is the last
/// byte of ECDSA's `s`, so the encoding stays valid and only the signature breaks).
fn tamper(der: &[u8]) -> Vec<u8> {
    let mut out = der.to_vec();
    *out.last_mut().expect("non-empty certificate") ^= 0x01;
    out
}

/// ECDSA signature as ASN.1 DER (what rcgen's keys produce) → the fixed-size r‖s of JWS.
fn der_to_jws(der: &[u8], size: usize) -> Res<Vec<u8>> {
    fn integer(input: &[u8]) -> Res<(&[u8], &[u8])> {
        if input.len() < 2 || input[0] != 0x02 || input[1] as usize + 2 > input.len() {
            return Err("bad ECDSA signature DER".into());
        }
        let len = input[1] as usize;
        Ok((&input[2..2 + len], &input[2 + len..]))
    }
    // SEQUENCE, with a one- or two-byte length.
    let body = match der {
        [0x30, 0x81, _, rest @ ..] => rest,
        [0x30, _, rest @ ..] => rest,
        _ => return Err("bad ECDSA signature DER".into()),
    };
    let (r, rest) = integer(body)?;
    let (s, _) = integer(rest)?;
    let mut out = vec![0u8; 2 * size];
    for (i, n) in [r, s].into_iter().enumerate() {
        let n = &n[n.iter().take_while(|b| **b == 0).count()..];
        out[(i + 1) * size - n.len()..(i + 1) * size].copy_from_slice(n);
    }
    Ok(out)
}

/// A JWT authority of a trust domain: an EC key with its `kid`.
struct JwtKey {
    key: KeyPair,
    kid: String,
    alg: &'static str,
    crv: &'static str,
    size: usize,
}

impl JwtKey {
    fn new(alg: &'static SignatureAlgorithm, kid: &str) -> Res<Self> {
        let (jws, crv, size) = if alg == &PKCS_ECDSA_P384_SHA384 {
            ("ES384", "P-384", 48)
        } else {
            ("ES256", "P-256", 32)
        };
        Ok(JwtKey {
            key: key(alg)?,
            kid: kid.into(),
            alg: jws,
            crv,
            size,
        })
    }

    fn jwk(&self) -> Value {
        // public_key_raw is the uncompressed SEC1 point 04 ‖ x ‖ y.
        let point = self.key.public_key_raw();
        let (x, y) = point[1..].split_at(self.size);
        json!({
            "kty": "EC",
            "use": "jwt-svid",
            "kid": self.kid,
            "crv": self.crv,
            "x": Base64UrlUnpadded::encode_string(x),
            "y": Base64UrlUnpadded::encode_string(y),
        })
    }

    fn sign(&self, claims: &Value) -> Res<String> {
        let header = json!({"alg": self.alg, "kid": self.kid, "typ": "JWT"});
        let input = format!("{}.{}", b64json(&header), b64json(claims));
        let sig = der_to_jws(&self.key.sign(input.as_bytes())?, self.size)?;
        Ok(format!(
            "{input}.{}",
            Base64UrlUnpadded::encode_string(&sig)
        ))
    }
}

fn b64json(v: &Value) -> String {
    Base64UrlUnpadded::encode_string(v.to_string().as_bytes())
}

/// HMAC-SHA256 (RFC 2104), for the sample that shows an HS256 token being refused.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut k = [0u8; 64];
    k[..key.len()].copy_from_slice(key);
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

fn bundle_doc(
    authorities: &[&Certificate],
    jwt: &[&JwtKey],
    refresh: u64,
    sequence: u64,
) -> String {
    let mut keys: Vec<Value> = authorities
        .iter()
        .map(|c| {
            // An x509-svid entry's authority is x5c[0]; kty only has to be a known type.
            json!({"use": "x509-svid", "kty": "EC", "x5c": [Base64::encode_string(c.der())]})
        })
        .collect();
    keys.extend(jwt.iter().map(|k| k.jwk()));
    let doc = json!({"keys": keys, "spiffe_refresh_hint": refresh, "spiffe_sequence": sequence});
    serde_json::to_string_pretty(&doc).expect("JSON")
}

/// One gallery entry.
struct Sample {
    id: &'static str,
    group: &'static str,
    title: &'static str,
    story: &'static str,
    kind: &'static str,
    input: String,
    audience: Vec<&'static str>,
    allow: Vec<&'static str>,
    /// `None` = trusted, else the error code the core must give.
    expect: Option<&'static str>,
}

fn sample(
    id: &'static str,
    title: &'static str,
    story: &'static str,
    kind: &'static str,
    input: String,
    expect: Option<&'static str>,
) -> Sample {
    Sample {
        id,
        group: if expect.is_some() { "fails" } else { "trusted" },
        title,
        story,
        kind,
        input,
        audience: if kind == "jwt-svid" {
            vec![DISPATCH]
        } else {
            vec![]
        },
        allow: vec![],
        expect,
    }
}

fn main() -> Res<()> {
    let now = match std::env::var("SAMPLES_NOW") {
        Ok(s) => s.parse()?,
        Err(_) => SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs(),
    };

    // city.gov: root → workload intermediate → agents; one JWT key.
    let city_root_key = key(&PKCS_ECDSA_P256_SHA256)?;
    let city_root_params = ca_params(
        CITY,
        "City of Example",
        "city.gov Root CA",
        None,
        now - 30 * DAY,
        now + 5 * 365 * DAY,
    )?;
    let city_root = city_root_params.self_signed(&city_root_key)?;
    let city_root_issuer = Issuer::new(city_root_params, city_root_key);
    let city_int_key = key(&PKCS_ECDSA_P256_SHA256)?;
    let city_int_params = ca_params(
        CITY,
        "City of Example",
        "city.gov Workload CA",
        Some(0),
        now - 7 * DAY,
        now + 180 * DAY,
    )?;
    let city_int = city_int_params.signed_by(&city_int_key, &city_root_issuer)?;
    let city_int_issuer = Issuer::new(city_int_params, city_int_key);
    let city_jwt = JwtKey::new(&PKCS_ECDSA_P256_SHA256, "city-gov-jwt-1")?;

    // transit.example: a P-384 root that signs its buses directly; one ES384 JWT key.
    let transit_root_key = key(&PKCS_ECDSA_P384_SHA384)?;
    let transit_root_params = ca_params(
        TRANSIT,
        "Regional Transit Authority",
        "transit.example Root CA",
        None,
        now - 60 * DAY,
        now + 3 * 365 * DAY,
    )?;
    let transit_root = transit_root_params.self_signed(&transit_root_key)?;
    let transit_issuer = Issuer::new(transit_root_params, transit_root_key);
    let transit_jwt = JwtKey::new(&PKCS_ECDSA_P384_SHA384, "transit-2026-a")?;

    // riverside.example: not federated; its bundle is never given to the page.
    let riverside_jwt = JwtKey::new(&PKCS_ECDSA_P256_SHA256, "riverside-1")?;

    let city_bundle = bundle_doc(&[&city_root], &[&city_jwt], 300, 42);
    let transit_bundle = bundle_doc(&[&transit_root], &[&transit_jwt], 600, 7);

    let city_leaf = |uri: &str, dns: Option<&str>, from: u64, to: u64| -> Res<Vec<u8>> {
        let k = key(&PKCS_ECDSA_P256_SHA256)?;
        let cert =
            leaf_params(uri, "City of Example", dns, from, to)?.signed_by(&k, &city_int_issuer)?;
        Ok(cert.der().to_vec())
    };
    let int = city_int.der().to_vec();
    let leaf_life = (now - HOUR, now + DAY);

    let mut samples = Vec::new();

    // ---- trusted ----
    let traffic = city_leaf(
        "spiffe://city.gov/traffic/signal/5th-and-main",
        Some("signal-5th-and-main.traffic.city.gov"),
        leaf_life.0,
        leaf_life.1,
    )?;
    samples.push(sample(
        "traffic-x509",
        "Traffic signal controller",
        "The signal controller at 5th & Main presents its X.509-SVID, issued by the city's workload CA (an intermediate) under the city.gov root.",
        "x509-svid",
        pem_chain(&[&traffic, &int]),
        None,
    ));
    samples.push(sample(
        "energy-jwt",
        "Grid balancer calls emergency dispatch",
        "The energy grid balancer warns emergency dispatch of a substation outage, authenticating with a JWT-SVID (ES256) for dispatch's audience.",
        "jwt-svid",
        city_jwt.sign(&json!({
            "sub": "spiffe://city.gov/energy/grid-balancer",
            "aud": [DISPATCH],
            "exp": now + DAY,
            "iat": now,
        }))?,
        None,
    ));
    let bus = {
        let k = key(&PKCS_ECDSA_P256_SHA256)?;
        let p = leaf_params(
            "spiffe://transit.example/bus/route-42/vehicle-1187",
            "Regional Transit Authority",
            None,
            leaf_life.0,
            leaf_life.1,
        )?;
        p.signed_by(&k, &transit_issuer)?.der().to_vec()
    };
    samples.push(sample(
        "transit-x509",
        "Federated: transit bus (X.509)",
        "Bus 1187 of the federated transit authority presents an X.509-SVID signed directly by the transit.example root (P-384); the city verifies it with the partner's bundle.",
        "x509-svid",
        pem_chain(&[&bus]),
        None,
    ));
    let mut transit_token = sample(
        "transit-jwt",
        "Federated: bus asks for signal priority",
        "Bus 1187 asks the city's signal-priority API for a green wave with an ES384 JWT-SVID from transit.example — trusted through federation.",
        "jwt-svid",
        transit_jwt.sign(&json!({
            "sub": "spiffe://transit.example/bus/route-42/vehicle-1187",
            "aud": SIGNAL_PRIORITY,
            "exp": now + DAY,
            "iat": now,
        }))?,
        None,
    );
    transit_token.audience = vec![SIGNAL_PRIORITY];
    samples.push(transit_token);

    // ---- failures ----
    let dispatch_old = city_leaf(
        "spiffe://city.gov/emergency/dispatch",
        None,
        now - 25 * HOUR,
        now - HOUR,
    )?;
    samples.push(sample(
        "expired-x509",
        "Expired dispatch certificate",
        "Emergency dispatch's X.509-SVID expired an hour ago — its agent stopped rotating it.",
        "x509-svid",
        pem_chain(&[&dispatch_old, &int]),
        Some("expired"),
    ));
    samples.push(sample(
        "expired-jwt",
        "Expired meter-reader token",
        "A smart-meter reader replays a JWT-SVID that expired ten minutes ago.",
        "jwt-svid",
        city_jwt.sign(&json!({
            "sub": "spiffe://city.gov/energy/meter-reader",
            "aud": [DISPATCH],
            "exp": now - 10 * 60,
            "iat": now - 15 * 60,
        }))?,
        Some("expired"),
    ));
    let impostor = city_leaf(
        "spiffe://transit.example/bus/route-42/vehicle-1187",
        None,
        leaf_life.0,
        leaf_life.1,
    )?;
    samples.push(sample(
        "wrong-trust-domain",
        "City CA mints a transit identity",
        "A certificate from the city's workload CA claims to be a transit.example bus. Only transit.example's own authorities may issue its identities.",
        "x509-svid",
        pem_chain(&[&impostor, &int]),
        Some("untrusted"),
    ));
    samples.push(sample(
        "not-federated",
        "Drone from an unfederated town",
        "A survey drone from riverside.example calls dispatch; the city holds no bundle for that trust domain.",
        "jwt-svid",
        riverside_jwt.sign(&json!({
            "sub": "spiffe://riverside.example/drone/survey-7",
            "aud": [DISPATCH],
            "exp": now + DAY,
            "iat": now,
        }))?,
        Some("no-bundle"),
    ));
    samples.push(sample(
        "tampered-x509",
        "Tampered certificate signature",
        "The traffic controller's certificate with one bit of its signature flipped in transit.",
        "x509-svid",
        pem_chain(&[&tamper(&traffic), &int]),
        Some("bad-signature"),
    ));
    let honest = city_jwt.sign(&json!({
        "sub": "spiffe://city.gov/energy/meter-reader",
        "aud": [DISPATCH],
        "exp": now + DAY,
        "iat": now,
    }))?;
    let forged_claims = b64json(&json!({
        "sub": "spiffe://city.gov/emergency/dispatch",
        "aud": [DISPATCH],
        "exp": now + DAY,
        "iat": now,
    }));
    let parts: Vec<&str> = honest.split('.').collect();
    samples.push(sample(
        "tampered-jwt",
        "Meter reader edits its own claims",
        "A meter reader's token whose sub was rewritten to emergency dispatch after signing; the signature no longer matches.",
        "jwt-svid",
        format!("{}.{forged_claims}.{}", parts[0], parts[2]),
        Some("bad-signature"),
    ));
    let ambulance = {
        let k = key(&PKCS_ECDSA_P256_SHA256)?;
        let mut p = leaf_params(
            "spiffe://city.gov/emergency/ambulance-12",
            "City of Example",
            None,
            leaf_life.0,
            leaf_life.1,
        )?;
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        p.signed_by(&k, &city_int_issuer)?.der().to_vec()
    };
    samples.push(sample(
        "leaf-is-ca",
        "Ambulance leaf marked as a CA",
        "Ambulance 12's certificate says cA=true: an X.509-SVID leaf must not be a CA, or it could mint identities.",
        "x509-svid",
        pem_chain(&[&ambulance, &int]),
        Some("invalid-svid"),
    ));
    samples.push(sample(
        "audience-mismatch",
        "Token meant for another service",
        "The traffic agent presents a token minted for the energy billing service to emergency dispatch.",
        "jwt-svid",
        city_jwt.sign(&json!({
            "sub": "spiffe://city.gov/traffic/incident-reporter",
            "aud": ["spiffe://city.gov/energy/billing"],
            "exp": now + DAY,
            "iat": now,
        }))?,
        Some("audience-mismatch"),
    ));
    let hs256 = {
        let header = b64json(&json!({"alg": "HS256", "typ": "JWT"}));
        let claims = b64json(&json!({
            "sub": "spiffe://city.gov/energy/grid-balancer",
            "aud": [DISPATCH],
            "exp": now + DAY,
            "iat": now,
        }));
        let input = format!("{header}.{claims}");
        let secret = Sha256::digest(format!("shared secret {now}").as_bytes());
        let mac = hmac_sha256(&secret, input.as_bytes());
        format!("{input}.{}", Base64UrlUnpadded::encode_string(&mac))
    };
    samples.push(sample(
        "unsupported-alg",
        "HS256 shared-secret token",
        "A legacy script signs its token with a shared HMAC secret (HS256). JWT-SVIDs allow only RS, PS and ES algorithms.",
        "jwt-svid",
        hs256,
        Some("unsupported-algorithm"),
    ));
    let meter = city_leaf(
        "spiffe://City.gov/energy/meter-reader",
        None,
        leaf_life.0,
        leaf_life.1,
    )?;
    samples.push(sample(
        "invalid-spiffe-id",
        "Upper-case trust domain",
        "A meter reader's URI SAN is spiffe://City.gov/…: SPIFFE IDs are never case-folded, so this is not a valid ID.",
        "x509-svid",
        pem_chain(&[&meter, &int]),
        Some("invalid-spiffe-id"),
    ));
    let mut policy = sample(
        "unauthorized",
        "Traffic agent at the floodgates",
        "The traffic controller's valid SVID, checked by the floodgate controller whose policy admits only spiffe://city.gov/emergency/*.",
        "x509-svid",
        pem_chain(&[&traffic, &int]),
        Some("unauthorized"),
    );
    policy.allow = vec!["spiffe://city.gov/emergency/*"];
    samples.push(policy);

    // Check every sample with the core, as the page will run it.
    let mut bundles = BundleSet::new();
    bundles.add(CITY, city_bundle.as_bytes())?;
    bundles.add(TRANSIT, transit_bundle.as_bytes())?;
    let mut wrong = Vec::new();
    for s in &samples {
        let mut policy = Policy::new();
        for p in &s.allow {
            policy = policy.allow(p)?;
        }
        let mut options = Options::new(now);
        if !s.allow.is_empty() {
            options = options.policy(&policy);
        }
        let report = if s.kind == "x509-svid" {
            let ders = svidkit::x509::decode_pem_chain(&s.input)?;
            let refs: Vec<&[u8]> = ders.iter().map(Vec::as_slice).collect();
            inspect::inspect_x509(&refs, &bundles, &options)
        } else {
            inspect::inspect_jwt(&s.input, &s.audience, &bundles, &options)
        };
        let got = report.verdict.as_ref().err().map(|e| e.code().as_str());
        if got != s.expect {
            wrong.push(format!(
                "{}: expected {:?}, the core says {:?} ({:?})",
                s.id, s.expect, got, report.verdict
            ));
        }
    }
    if !wrong.is_empty() {
        return Err(wrong.join("\n").into());
    }

    let out = json!({
        "generatedAt": now,
        "trustDomains": [CITY, TRANSIT],
        "unfederated": RIVERSIDE,
        "bundles": { CITY: city_bundle, TRANSIT: transit_bundle },
        "authorities": { CITY: pem(city_root.der()), TRANSIT: pem(transit_root.der()) },
        "samples": samples.iter().map(|s| json!({
            "id": s.id,
            "group": s.group,
            "title": s.title,
            "story": s.story,
            "kind": s.kind,
            "input": s.input,
            "audience": s.audience,
            "policy": if s.allow.is_empty() { Value::Null } else { json!({"allow": s.allow}) },
            "bundles": [CITY, TRANSIT],
            "expect": match s.expect {
                None => json!({"trusted": true}),
                Some(code) => json!({"trusted": false, "code": code}),
            },
        })).collect::<Vec<Value>>(),
    });
    let text = serde_json::to_string_pretty(&out)? + "\n";
    match std::env::args().nth(1) {
        Some(path) => {
            if let Some(dir) = std::path::Path::new(&path).parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, text)?;
            eprintln!("samples: {} written to {path}", samples.len());
        }
        None => print!("{text}"),
    }
    Ok(())
}
