# Edge vectors for Ed25519 strictness: small-order and mixed-order points, non-canonical
# encodings, s >= L (tests/vectors/x509-svid/edge-ed25519-*.json). Certificates are built with
# `cryptography`; signatures are computed here from RFC 8032's arithmetic so that R, s and A can be
# chosen. Verdicts follow ed25519-dalek's verify_strict rules (DESIGN: Ed25519; README: strict
# checks), decided before svidkit ran them. Deterministic:
#   python3 tests/gen/ed25519_vectors.py tests/vectors/x509-svid
import datetime, hashlib, json, os, sys
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives import serialization
from x509_gen import b64, b64u, der_len, svid_builder

p = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
d = -121665 * pow(121666, p - 2, p) % p
I = pow(2, (p - 1) // 4, p)

def inv(x): return pow(x, p - 2, p)
def xrecover(y, sign):
    xx = (y * y - 1) * inv(d * y * y + 1) % p
    x = pow(xx, (p + 3) // 8, p)
    if (x * x - xx) % p != 0: x = x * I % p
    if (x * x - xx) % p != 0: raise ValueError("not a point")
    if x & 1 != sign: x = p - x
    return x
By = 4 * inv(5) % p
B = (xrecover(By, 0), By)
def add(P, Q):
    (x1, y1), (x2, y2) = P, Q
    x3 = (x1 * y2 + x2 * y1) * inv(1 + d * x1 * x2 * y1 * y2) % p
    y3 = (y1 * y2 + x1 * x2) * inv(1 - d * x1 * x2 * y1 * y2) % p
    return (x3, y3)
def mul(k, P):
    Q = (0, 1)
    while k:
        if k & 1: Q = add(Q, P)
        P = add(P, P); k >>= 1
    return Q
def enc(P):
    x, y = P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")
def dec(b):
    v = int.from_bytes(b, "little"); y = v & ((1 << 255) - 1)
    return (xrecover(y % p, v >> 255), y % p)
def H(*parts): return int.from_bytes(hashlib.sha512(b"".join(parts)).digest(), "little")

# A point of order 8 (its y is listed in src/crypto.rs SMALL_ORDER_Y).
T8 = dec(bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"))
assert mul(8, T8) == (0, 1) and mul(4, T8) != (0, 1)

def expand(seed):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8; a |= 1 << 254
    return a, h[32:]

class Key:
    """An Ed25519 key whose public point may be anything: `a` is its scalar where one is known."""
    def __init__(self, seed=None, point=None, a=None):
        if seed is not None:
            self.a, self.prefix = expand(seed)
            self.A = enc(mul(self.a, B))
            self.real = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
            assert self.real.public_key().public_bytes_raw() == self.A
        else:
            self.a, self.prefix, self.A, self.real = a, b"prefix", point, None
    def public(self): return ed25519.Ed25519PublicKey.from_public_bytes(self.A)
    def sign(self, msg):
        r = H(self.prefix, msg) % L
        R = enc(mul(r, B))
        k = H(R, self.A, msg) % L
        return R + ((r + k * self.a) % L).to_bytes(32, "little"), k

NOTBEFORE = datetime.datetime(2025, 12, 31, tzinfo=datetime.timezone.utc)
NOTAFTER = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
NOW = 1767225600
TD = "example.org"
LEAF_ID = "spiffe://example.org/ns/prod/sa/api"
THROWAWAY = ed25519.Ed25519PrivateKey.from_private_bytes(b"\x09" * 32)

def tbs(subject, issuer, key, ca, uri, serial):
    b = svid_builder(subject, issuer, key.public(), ca, uri, serial, NOTBEFORE, NOTAFTER)
    # cryptography signs with a real key; the TBS is what we keep.
    return b.sign(THROWAWAY, None).tbs_certificate_bytes

def cert(tbs_bytes, signature):
    assert len(signature) == 64
    body = tbs_bytes + bytes.fromhex("300506032b6570") + b"\x03\x41\x00" + signature
    return b"\x30" + der_len(len(body)) + body


def bundle(root_der, root_key):
    return json.dumps({"spiffe_sequence": 1, "keys": [{"use": "x509-svid", "kty": "OKP", "crv": "Ed25519",
        "x": b64u(root_key.A), "x5c": [b64(root_der)]}]})

def self_signed_root(key, serial=1):
    t = tbs("root-ed", "root-ed", key, True, "spiffe://example.org", serial)
    # A root's own signature is not checked (a bundle is trusted as it is); made by the key where
    # there is one, else left to the throwaway key's.
    sig = key.sign(t)[0] if key.a is not None else THROWAWAY.sign(t)
    return cert(t, sig)

def vector(name_, description, ref, chain, bundles, expect):
    return name_, {"description": description, "kind": "x509-svid", "ref": ref, "now": NOW,
                   "input": {"chain": [b64(c) for c in chain], "bundles": {TD: bundles}}, "expect": expect}

BAD = {"ok": False, "error": "bad-signature"}
OK = {"ok": True, "spiffe_id": LEAF_ID, "expires_at": int(NOTAFTER.timestamp())}
REF = "RFC 8032 §5.1.7; DESIGN algorithms (Ed25519, strict verification)"
out = []

root = Key(seed=b"\x01" * 32)
root_der = self_signed_root(root)
root_bundle = bundle(root_der, root)

def leaf_tbs(issuer, serial, key=None):
    return tbs("leaf", issuer, key or Key(seed=b"\x02" * 32), False, LEAF_ID, serial)

# 0. sanity: a genuine signature made by this script's arithmetic verifies.
t = leaf_tbs("root-ed", 100)
out.append(vector("edge-ed25519-genuine-signature-ok", "Ed25519 leaf signed by the bundle's root (RFC 8032 signing done by hand) -> ok",
                  REF, [cert(t, root.sign(t)[0])], root_bundle, OK))

# 1. R = identity, s = k·a: satisfies [s]B = R + [k]A without the cofactor; R is of small order.
t = leaf_tbs("root-ed", 101)
R = enc((0, 1)); k = H(R, root.A, t) % L
sig = R + (k * root.a % L).to_bytes(32, "little")
out.append(vector("edge-ed25519-identity-r", "Ed25519 signature with R = identity and s = k·a (holds in the cofactorless equation; small-order R refused by strict verification) -> bad-signature",
                  REF, [cert(t, sig)], root_bundle, BAD))

# 2. R = identity encoded non-canonically (y = 1 + p), s = k·a over those bytes.
t = leaf_tbs("root-ed", 102)
R = (1 + p).to_bytes(32, "little"); k = H(R, root.A, t) % L
sig = R + (k * root.a % L).to_bytes(32, "little")
out.append(vector("edge-ed25519-identity-r-noncanonical", "Ed25519 signature with R = identity encoded as y = p + 1 and s = k·a -> bad-signature",
                  REF, [cert(t, sig)], root_bundle, BAD))

# 3. s + L: the genuine signature with an unreduced s.
t = leaf_tbs("root-ed", 103)
sig, _ = root.sign(t)
s = int.from_bytes(sig[32:], "little") + L
assert s < 2**253
out.append(vector("edge-ed25519-s-plus-order", "Ed25519 signature whose s is the genuine one plus L (unreduced; RFC 8032 §5.1.7 requires 0 <= s < L) -> bad-signature",
                  REF, [cert(t, sig[:32] + s.to_bytes(32, "little"))], root_bundle, BAD))

# 4. The bundle's root key is the identity point; (R, s) = (B, 1) then holds for any message.
ident = Key(point=enc((0, 1)))
ident_root = self_signed_root(ident)
t = leaf_tbs("root-ed", 104)
out.append(vector("edge-ed25519-identity-root-key", "the bundle's Ed25519 root key is the identity point and the leaf's signature is (R = B, s = 1), which the cofactorless equation accepts for any message -> bad-signature (small-order key)",
                  REF, [cert(t, enc(B) + (1).to_bytes(32, "little"))], bundle(ident_root, ident), BAD))

# 5. The root key is a point of order 8; (B, 1) holds when k ≡ 0 (mod 8): grind the serial.
t8 = Key(point=enc(T8))
t8_root = self_signed_root(t8)
serial = 200
while True:
    t = leaf_tbs("root-ed", serial)
    if (H(enc(B), t8.A, t) % L) % 8 == 0: break
    serial += 1
out.append(vector("edge-ed25519-order-8-root-key", "the bundle's Ed25519 root key is a point of order 8 and the leaf's signature (R = B, s = 1) satisfies the cofactorless equation -> bad-signature (small-order key)",
                  REF, [cert(t, enc(B) + (1).to_bytes(32, "little"))], bundle(t8_root, t8), BAD))

# 6. A presented intermediate whose key is the identity point (genuinely signed by the root).
t = tbs("int-ed", "root-ed", ident, True, "spiffe://example.org", 300)
int_der = cert(t, root.sign(t)[0])
t = leaf_tbs("int-ed", 301)
out.append(vector("edge-ed25519-identity-intermediate-key", "a presented intermediate (signed by the root) whose Ed25519 key is the identity point; the leaf's signature (R = B, s = 1) -> bad-signature (small-order key)",
                  REF, [cert(t, enc(B) + (1).to_bytes(32, "little")), int_der], root_bundle, BAD))

# 7/8. A presented intermediate with a mixed-order key A = [a]B + T8 (its authority signed it).
seed_a, _ = expand(b"\x03" * 32)
mixed = Key(point=enc(add(mul(seed_a, B), T8)), a=seed_a)
t = tbs("int-ed", "root-ed", mixed, True, "spiffe://example.org", 400)
mixed_int = cert(t, root.sign(t)[0])
def mixed_leaf(want_zero):
    serial = 401
    while True:
        t = leaf_tbs("int-ed", serial)
        sig, k = mixed.sign(t)
        if (k % 8 == 0) == want_zero: return t, sig
        serial += 1
t, sig = mixed_leaf(True)
out.append(vector("edge-ed25519-mixed-order-intermediate-ok", "a presented intermediate whose Ed25519 key has a small-order component (A = [a]B + T, T of order 8); the leaf's signature s = r + k·a with k ≡ 0 (mod 8) satisfies the cofactorless equation, and neither A nor R is of small order -> ok",
                  REF, [cert(t, sig), mixed_int], root_bundle, OK))
t, sig = mixed_leaf(False)
out.append(vector("edge-ed25519-mixed-order-intermediate-cofactored-only", "the same mixed-order intermediate key; the leaf's signature s = r + k·a with k ≢ 0 (mod 8) holds only with the cofactor ([8][s]B = [8]R + [8][k]A), not in the cofactorless equation strict verification uses -> bad-signature",
                  REF, [cert(t, sig), mixed_int], root_bundle, BAD))

# 9. R is the genuine one plus a point of order 8 — (R + T8) with s unchanged: R' != R.
t = leaf_tbs("root-ed", 500)
sig, _ = root.sign(t)
R2 = enc(add(dec(sig[:32]), T8))
out.append(vector("edge-ed25519-r-plus-torsion", "the genuine Ed25519 signature with a point of order 8 added to R -> bad-signature",
                  REF, [cert(t, R2 + sig[32:])], root_bundle, BAD))

dest = sys.argv[1]
for n, v in out:
    with open(os.path.join(dest, n + ".json"), "w") as f:
        json.dump(v, f, indent=2); f.write("\n")
print(len(out), "vectors")
