# Edge vectors for SEC1 point encodings in certificates (tests/vectors/x509-svid/edge-ec-point-*.json):
# EC keys as compressed points (RFC 5480 §2.2: 02/03 ‖ x, which an implementation MAY read), both
# y parities, P-256/P-384/P-521, a flipped parity tag (the negated point: a valid key that did not
# make the signature), an x with no point, x or y not below p, a point off the curve and the first
# octets RFC 5480 does not allow (identity, compact, hybrid). Certificates are built and signed
# by `cryptography` with deterministic ECDSA (RFC 6979); the compressed SPKI is put into the TBS
# before it is signed. Verdicts were set from RFC 5480 / SEC1 before svidkit ran them.
# Deterministic:  python3 tests/gen/ec_point_vectors.py tests/vectors/x509-svid
import datetime, json, os, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from x509_gen import b64, b64u, read_tlv, svid_builder, tlv

NOTBEFORE = datetime.datetime(2025, 12, 31, tzinfo=datetime.timezone.utc)
NOTAFTER = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
NOW = 1767225600
TD = "example.org"
LEAF_ID = "spiffe://example.org/ns/prod/sa/api"
CURVES = {
    "p256": (ec.SECP256R1(), hashes.SHA256(), "P-256", "06082a8648ce3d030107"),
    "p384": (ec.SECP384R1(), hashes.SHA384(), "P-384", "06052b81040022"),
    "p521": (ec.SECP521R1(), hashes.SHA512(), "P-521", "06052b81040023"),
}
SIG_ALG = {"p256": "300a06082a8648ce3d040302", "p384": "300a06082a8648ce3d040303", "p521": "300a06082a8648ce3d040304"}
EC_PUBLIC_KEY = "06072a8648ce3d0201"
FIELD = {"p256": 2**256 - 2**224 + 2**192 + 2**96 - 1, "p384": 2**384 - 2**128 - 2**96 + 2**32 - 1, "p521": 2**521 - 1}
B = {"p256": 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b,
     "p384": 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef,
     "p521": 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00}
SIZE = {"p256": 32, "p384": 48, "p521": 66}


def key(curve, n): return ec.derive_private_key(n, CURVES[curve][0])

def point(pub, compressed):
    fmt = serialization.PublicFormat.CompressedPoint if compressed else serialization.PublicFormat.UncompressedPoint
    return pub.public_bytes(serialization.Encoding.X962, fmt)

def spki(curve, pt):
    alg = tlv(0x30, bytes.fromhex(EC_PUBLIC_KEY + CURVES[curve][3]))
    return tlv(0x30, alg + tlv(0x03, b"\x00" + pt))


def cert(subject, issuer, subject_pub, subject_point, issuer_curve, issuer_key, ca, uri, serial):
    """A certificate whose SPKI is `subject_point` on `subject_pub`'s curve, signed by issuer_key."""
    bld = svid_builder(subject, issuer, subject_pub, ca, uri, serial, NOTBEFORE, NOTAFTER)
    tbs = bld.sign(issuer_key, CURVES[issuer_curve][1]).tbs_certificate_bytes
    original = subject_pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    curve = {256: "p256", 384: "p384", 521: "p521"}[subject_pub.curve.key_size]
    assert tbs.count(original) == 1
    start, end = read_tlv(tbs, 0)
    body = tbs[start:end].replace(original, spki(curve, subject_point))
    tbs = tlv(0x30, body)
    sig = issuer_key.sign(tbs, ec.ECDSA(CURVES[issuer_curve][1], deterministic_signing=True))
    return tlv(0x30, tbs + bytes.fromhex(SIG_ALG[issuer_curve]) + tlv(0x03, b"\x00" + sig))


def bundle(curve, root_der, root_key):
    nums = root_key.public_key().public_numbers(); n = SIZE[curve]
    return json.dumps({"spiffe_sequence": 1, "keys": [{"use": "x509-svid", "kty": "EC", "crv": CURVES[curve][2],
        "x": b64u(nums.x.to_bytes(n, "big")), "y": b64u(nums.y.to_bytes(n, "big")), "x5c": [b64(root_der)]}]})

def vector(name_, description, chain, bundles, expect):
    return name_, {"description": description, "kind": "x509-svid", "ref": "RFC 5480 §2.2; SEC1 §2.3.4", "now": NOW,
                   "input": {"chain": [b64(c) for c in chain], "bundles": {TD: bundles}}, "expect": expect}

OK = {"ok": True, "spiffe_id": LEAF_ID, "expires_at": int(NOTAFTER.timestamp())}
out = []

def y_parity(k): return k.public_key().public_numbers().y & 1

def chain_with(curve, int_key, int_point, leaf_point=None, serial=10):
    """root (curve, uncompressed) -> intermediate (int_point) -> leaf (P-256, leaf_point)."""
    root = key(curve, 1001)
    root_der = cert("root", "root", root.public_key(), point(root.public_key(), False), curve, root, True, "spiffe://example.org", serial)
    int_der = cert("int", "root", int_key.public_key(), int_point, curve, root, True, "spiffe://example.org", serial + 1)
    leaf = key("p256", 3003)
    lp = leaf_point if leaf_point is not None else point(leaf.public_key(), False)
    leaf_der = cert("leaf", "int", leaf.public_key(), lp, curve, int_key, False, LEAF_ID, serial + 2)
    return [leaf_der, int_der], bundle(curve, root_der, root)

def key_with_parity(curve, parity, start):
    n = start
    while y_parity(key(curve, n)) != parity: n += 1
    return key(curve, n)

for curve in ["p256", "p384", "p521"]:
    for parity, tag in [(0, "02"), (1, "03")]:
        k = key_with_parity(curve, parity, 2000)
        pt = point(k.public_key(), True)
        assert pt[0] == 2 + parity
        chain, bnd = chain_with(curve, k, pt)
        out.append(vector(f"edge-ec-point-{curve}-compressed-{tag}-intermediate-ok",
            f"{CURVES[curve][2]} intermediate whose key is a compressed point (tag {tag}, y {'odd' if parity else 'even'}) signs the leaf -> ok (RFC 5480 §2.2: the compressed form MAY be supported; svidkit reads it)",
            chain, bnd, OK))

# The leaf's own key compressed (it signs nothing in the chain; it must still be a key svidkit reads).
k = key("p256", 2000)
chain, bnd = chain_with("p256", k, point(k.public_key(), False), leaf_point=point(key("p256", 3003).public_key(), True))
out.append(vector("edge-ec-point-p256-compressed-leaf-ok", "P-256 leaf whose own key is a compressed point -> ok", chain, bnd, OK))

# Parity flipped: 02 <-> 03 names the negated point, a valid key that did not sign the leaf.
for curve in ["p256", "p384", "p521"]:
    k = key_with_parity(curve, 0, 2000)
    pt = point(k.public_key(), True)
    flipped = bytes([pt[0] ^ 1]) + pt[1:]
    chain, bnd = chain_with(curve, k, flipped)
    out.append(vector(f"edge-ec-point-{curve}-compressed-wrong-parity-bad-signature",
        f"{CURVES[curve][2]} intermediate whose compressed key has the other parity tag (the negated point: on the curve, not the key that signed the leaf) -> bad-signature",
        chain, bnd, {"ok": False, "error": "bad-signature"}))

def has_point(curve, x):
    p = FIELD[curve]; r = (x**3 - 3 * x + B[curve]) % p
    return r == 0 or pow(r, (p - 1) // 2, p) == 1

MALFORMED = {"ok": False, "error": "malformed"}
def malformed(name_, curve, description, pt):
    k = key(curve, 2000)
    chain, bnd = chain_with(curve, k, pt)
    out.append(vector(name_, f"{CURVES[curve][2]} intermediate whose key {description} -> malformed", chain, bnd, MALFORMED))

# An x with no y on the curve: x^3 + ax + b is not a square mod p.
for curve in ["p256", "p384", "p521"]:
    x = next(x for x in range(5, 1000) if not has_point(curve, x))
    malformed(f"edge-ec-point-{curve}-compressed-not-on-curve-malformed", curve,
              "is a compressed point whose x has no point on the curve (the key cannot be decoded)",
              b"\x02" + x.to_bytes(SIZE[curve], "big"))

# x + p (not a field element, SEC1 §2.3.4 requires x < p), for an x that has a point: reading x
# mod p would give a valid key (one that did not sign the leaf).
for curve in ["p256", "p521"]:
    x = next(x for x in range(5, 1000) if has_point(curve, x))
    malformed(f"edge-ec-point-{curve}-compressed-x-over-p-malformed", curve,
              f"is a compressed point whose x is p + {x} (x = {x} has a point; SEC1 §2.3.4 requires x < p)",
              b"\x03" + (FIELD[curve] + x).to_bytes(SIZE[curve], "big"))

# Uncompressed points: y + p (fits P-521's 66 bytes), y off by one bit (off the curve).
nums = key(curve := "p521", 2000).public_key().public_numbers()
malformed("edge-ec-point-p521-uncompressed-y-over-p-malformed", "p521",
          "is an uncompressed point whose y is the key's y + p (SEC1 §2.3.4 requires y < p)",
          b"\x04" + nums.x.to_bytes(66, "big") + (nums.y + FIELD["p521"]).to_bytes(66, "big"))
for curve in ["p256", "p384"]:
    pt = bytearray(point(key(curve, 2000).public_key(), False))
    pt[-1] ^= 1
    malformed(f"edge-ec-point-{curve}-uncompressed-off-curve-malformed", curve,
              "is an uncompressed point whose y has its last bit flipped (off the curve)", bytes(pt))

# First octets RFC 5480 §2.2 does not allow: the identity (00), the compact form (05 ‖ x, a draft
# some libraries read), the hybrid form (06/07 ‖ x ‖ y, defined in X9.62 but "MUST be rejected").
pub = key("p256", 2000).public_key()
x_only = point(pub, False)[1:33]
malformed("edge-ec-point-p256-identity-malformed", "p256", "is the point at infinity (the single octet 00)", b"\x00")
malformed("edge-ec-point-p256-compact-malformed", "p256", "is a compact point (05 ‖ x, with an x on the curve)", b"\x05" + x_only)
k = key_with_parity("p256", 0, 2000)
malformed("edge-ec-point-p256-hybrid-malformed", "p256",
          "is a hybrid point (06 ‖ x ‖ y with y even); RFC 5480 §2.2: any first octet other than 02, 03, 04 MUST be rejected",
          b"\x06" + point(k.public_key(), False)[1:])

outdir = sys.argv[1]
for name_, v in out:
    with open(os.path.join(outdir, name_ + ".json"), "w") as f:
        json.dump(v, f, indent=2, ensure_ascii=False); f.write("\n")
print(len(out), "vectors")
