# Edge vectors for RSA signature length (RFC 8017 §8.2.2 step 1: "If the length of the signature S
# is not k octets, output 'invalid signature'"): a signature that happens to begin with 00,
# presented without that byte — the same number, one octet short. OpenSSL (node:crypto, WebCrypto
# in Node) reads it as valid; RFC 8017, Go and RustCrypto refuse it. Tokens and certificates are
# ground (jti, serial) until their genuine signature begins with 00. The RSA key comes from a seeded
# prime search, so the output is the same on every run:
#   python3 tests/gen/rsa_length_vectors.py tests/vectors
import datetime, json, os, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from seeded_rsa import rsa_key
from x509_gen import b64, b64u, svid_builder, tlv


NOW = 1767225600
TD = "example.org"
ID = "spiffe://example.org/ns/prod/sa/api"
REF = "RFC 8017 §8.2.2 (S must be k octets); RFC 7518 §3.3"
key = rsa_key(20261124)
pub = key.public_key().public_numbers()
n_bytes = pub.n.to_bytes(256, "big")
out = []

def vector(kind, name_, description, input_, expect):
    out.append((kind, name_, {"description": description, "kind": kind, "ref": REF, "now": NOW, "input": input_, "expect": expect}))

# JWT-SVID RS256.
jwks = json.dumps({"spiffe_sequence": 1, "keys": [{"use": "jwt-svid", "kty": "RSA", "kid": "rsa-1", "alg": "RS256",
                                                    "n": b64u(n_bytes), "e": b64u(pub.e.to_bytes(3, "big"))}]})
header = b64u(json.dumps({"alg": "RS256", "kid": "rsa-1", "typ": "JWT"}, separators=(",", ":")).encode())
i = 0
while True:
    claims = {"sub": ID, "aud": ["spiffe://example.org/reports"], "exp": NOW + 300, "jti": f"leading-zero-{i}"}
    signing_input = header + "." + b64u(json.dumps(claims, separators=(",", ":")).encode())
    sig = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    if sig[0] == 0: break
    i += 1
jwt_input = lambda s: {"token": signing_input + "." + b64u(s), "audience": ["spiffe://example.org/reports"], "bundles": {TD: jwks}}
vector("jwt-svid", "edge-rsa-length-rs256-leading-zero-ok", "RS256 token whose signature begins with 00, all 256 octets -> ok",
       jwt_input(sig), {"ok": True, "spiffe_id": ID, "expires_at": NOW + 300})
vector("jwt-svid", "edge-rsa-length-rs256-leading-zero-dropped", "the same RS256 token with the signature's leading 00 left out: the same number in 255 octets, which OpenSSL accepts and RFC 8017 §8.2.2 does not -> bad-signature",
       jwt_input(sig[1:]), {"ok": False, "error": "bad-signature"})

# X.509-SVID: an RSA root signs a P-256 leaf; the certificate's signature begins with 00.
NB = datetime.datetime(2025, 12, 31, tzinfo=datetime.timezone.utc)
NA = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
root = svid_builder("root", "root", key.public_key(), True, "spiffe://example.org", 1, NB, NA).sign(key, hashes.SHA256())
leaf_key = ec.derive_private_key(4242, ec.SECP256R1())
serial = 1000
while True:
    leaf = svid_builder("leaf", "root", leaf_key.public_key(), False, ID, serial, NB, NA).sign(key, hashes.SHA256())
    if leaf.signature[0] == 0: break
    serial += 1
tbs = leaf.tbs_certificate_bytes
alg = bytes.fromhex("300d06092a864886f70d01010b0500")
def cert(sig): return tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + sig))
assert cert(leaf.signature) == leaf.public_bytes(serialization.Encoding.DER)
bundle = json.dumps({"spiffe_sequence": 1, "keys": [{"use": "x509-svid", "kty": "RSA", "n": b64u(n_bytes),
                                                     "e": b64u(pub.e.to_bytes(3, "big")), "x5c": [b64(root.public_bytes(serialization.Encoding.DER))]}]})
x5 = lambda c: {"chain": [b64(c)], "bundles": {TD: bundle}}
vector("x509-svid", "edge-rsa-length-cert-leading-zero-ok", "leaf whose RSA (sha256WithRSAEncryption) signature by the bundle's root begins with 00, all 256 octets -> ok",
       x5(cert(leaf.signature)), {"ok": True, "spiffe_id": ID, "expires_at": int(NA.timestamp())})
vector("x509-svid", "edge-rsa-length-cert-leading-zero-dropped", "the same leaf with its signature's leading 00 left out of the BIT STRING (255 octets, the same number) -> bad-signature (RFC 8017 §8.2.2; Go's crypto/rsa refuses it too)",
       x5(cert(leaf.signature[1:])), {"ok": False, "error": "bad-signature"})

outdir = sys.argv[1]
for kind, name_, v in out:
    with open(os.path.join(outdir, kind, name_ + ".json"), "w") as f:
        json.dump(v, f, indent=2, ensure_ascii=False); f.write("\n")
print(len(out), "vectors")
