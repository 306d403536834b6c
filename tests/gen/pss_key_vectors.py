# Edge vectors for id-RSASSA-PSS keys with parameters (RFC 4055 §3.1: a key's RSASSA-PSS-params
# bind every signature it makes to the same hash and MGF, with a salt at least as long and the same
# trailer). An intermediate whose key is id-RSASSA-PSS signs the leaf with RSASSA-PSS; its root
# (P-256, in the bundle) signs it. PSS signatures are encoded here (RFC 8017 §9.1.1) with a fixed
# salt so the output is the same on every run, and checked with `cryptography` before use:
#   python3 tests/gen/pss_key_vectors.py tests/vectors/x509-svid
import datetime, hashlib, json, os, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from seeded_rsa import rsa_key
from x509_gen import b64, b64u, read_tlv, svid_builder, tlv

def integer(v): return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big"))

HASH = {"sha256": ("0609608648016503040201", hashlib.sha256, hashes.SHA256()),
        "sha384": ("0609608648016503040202", hashlib.sha384, hashes.SHA384()),
        "sha512": ("0609608648016503040203", hashlib.sha512, hashes.SHA512())}
PSS_OID = bytes.fromhex("06092a864886f70d01010a")
MGF1_OID = bytes.fromhex("06092a864886f70d010108")
def hash_alg(h): return tlv(0x30, bytes.fromhex(HASH[h][0]))
def pss_params(h=None, mgf=None, salt=None, trailer=None):
    """RSASSA-PSS-params with the given fields present (None: left to its DEFAULT)."""
    body = b""
    if h: body += tlv(0xa0, hash_alg(h))
    if mgf: body += tlv(0xa1, tlv(0x30, MGF1_OID + hash_alg(mgf)))
    if salt is not None: body += tlv(0xa2, integer(salt))
    if trailer is not None: body += tlv(0xa3, integer(trailer))
    return tlv(0x30, body)

def emsa_pss_sign(key, message, h, salt):
    """RSASSA-PSS signature (RFC 8017 §8.1.1, §9.1.1) with MGF1 of the same hash and this salt."""
    hf = HASH[h][1]; hlen = hf().digest_size
    nums = key.private_numbers(); n = nums.public_numbers.n; d = nums.d
    em_bits = n.bit_length() - 1; em_len = (em_bits + 7) // 8
    m_hash = hf(message).digest()
    H = hf(b"\x00" * 8 + m_hash + salt).digest()
    db = b"\x00" * (em_len - len(salt) - hlen - 2) + b"\x01" + salt
    mask = b""; c = 0
    while len(mask) < len(db):
        mask += hf(H + c.to_bytes(4, "big")).digest(); c += 1
    masked = bytes(a ^ b for a, b in zip(db, mask))
    masked = bytes([masked[0] & (0xff >> (8 * em_len - em_bits))]) + masked[1:]
    em = masked + H + b"\xbc"
    sig = pow(int.from_bytes(em, "big"), d, n).to_bytes((n.bit_length() + 7) // 8, "big")
    key.public_key().verify(sig, message, padding.PSS(mgf=padding.MGF1(HASH[h][2]), salt_length=len(salt)), HASH[h][2])
    return sig

NB = datetime.datetime(2025, 12, 31, tzinfo=datetime.timezone.utc)
NA = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
NOW = 1767225600
TD = "example.org"
ID = "spiffe://example.org/ns/prod/sa/api"
REF = "RFC 4055 §3.1 (a key's RSASSA-PSS-params bind its signatures); DESIGN algorithms"
def builder(subject, issuer, pub, ca, uri, serial): return svid_builder(subject, issuer, pub, ca, uri, serial, NB, NA)

root_key = ec.derive_private_key(7001, ec.SECP256R1())
root = builder("root", "root", root_key.public_key(), True, "spiffe://example.org", 1).sign(root_key, hashes.SHA256(), ecdsa_deterministic=True)
root_der = root.public_bytes(serialization.Encoding.DER)
nums = root_key.public_key().public_numbers()
bundle = json.dumps({"spiffe_sequence": 1, "keys": [{"use": "x509-svid", "kty": "EC", "crv": "P-256",
    "x": b64u(nums.x.to_bytes(32, "big")), "y": b64u(nums.y.to_bytes(32, "big")), "x5c": [b64(root_der)]}]})

int_key = rsa_key(4055)
pub = int_key.public_key().public_numbers()
rsa_public_key = tlv(0x30, integer(pub.n) + integer(pub.e))

def intermediate(params, serial):
    """The intermediate: its SPKI id-RSASSA-PSS with `params` (bytes, or None for absent), signed by the root."""
    tbs = builder("int", "root", int_key.public_key(), True, "spiffe://example.org", serial).sign(root_key, hashes.SHA256()).tbs_certificate_bytes
    original = int_key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    spki = tlv(0x30, tlv(0x30, PSS_OID + (params or b"")) + tlv(0x03, b"\x00" + rsa_public_key))
    start, end = read_tlv(tbs, 0)
    assert tbs.count(original) == 1
    tbs = tlv(0x30, tbs[start:end].replace(original, spki))
    sig = root_key.sign(tbs, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    return tlv(0x30, tbs + bytes.fromhex("300a06082a8648ce3d040302") + tlv(0x03, b"\x00" + sig))

leaf_key = ec.derive_private_key(7003, ec.SECP256R1())
def leaf(h, serial):
    """The leaf, signed by the intermediate's key with RSASSA-PSS over h (MGF1 h, salt = hash length)."""
    tbs0 = builder("leaf", "int", leaf_key.public_key(), False, ID, serial).sign(root_key, hashes.SHA256()).tbs_certificate_bytes
    alg = tlv(0x30, PSS_OID + pss_params(h, h, HASH[h][1]().digest_size))
    # The TBS names the signature algorithm too (RFC 5280 §4.1.2.3): replace the ECDSA one.
    ecdsa_alg = bytes.fromhex("300a06082a8648ce3d040302")
    start, end = read_tlv(tbs0, 0)
    assert tbs0[start:end].count(ecdsa_alg) == 1
    tbs = tlv(0x30, tbs0[start:end].replace(ecdsa_alg, alg))
    sig = emsa_pss_sign(int_key, tbs, h, bytes(range(HASH[h][1]().digest_size)))
    return tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + sig))

OK = {"ok": True, "spiffe_id": ID, "expires_at": int(NA.timestamp())}
out = []
def vector(name_, description, params, h, expect, serial):
    chain = [leaf(h, serial + 1), intermediate(params, serial)]
    out.append((name_, {"description": description, "kind": "x509-svid", "ref": REF, "now": NOW,
                        "input": {"chain": [b64(c) for c in chain], "bundles": {TD: bundle}}, "expect": expect}))

vector("edge-pss-key-params-sha256-signs-ps256-ok", "intermediate key id-RSASSA-PSS with parameters SHA-256, MGF1-SHA-256, salt 32 signs the leaf with PS256 -> ok",
       pss_params("sha256", "sha256", 32), "sha256", OK, 10)
vector("edge-pss-key-params-sha256-signs-ps512", "intermediate key id-RSASSA-PSS restricted by its parameters to SHA-256 (MGF1-SHA-256, salt 32) signs the leaf with PS512: the key's parameters forbid it (RFC 4055 §3.1) -> bad-signature",
       pss_params("sha256", "sha256", 32), "sha512", {"ok": False, "error": "bad-signature"}, 20)
vector("edge-pss-key-params-smaller-salt-ok", "intermediate key id-RSASSA-PSS with parameters SHA-384, MGF1-SHA-384, salt 20 signs with PS384 (salt 48 >= 20, RFC 4055 §3.1) -> ok",
       pss_params("sha384", "sha384", 20), "sha384", OK, 30)
vector("edge-pss-key-params-no-params-signs-ps512-ok", "intermediate key id-RSASSA-PSS without parameters (no restriction, RFC 4055 §3.1) signs the leaf with PS512 -> ok",
       None, "sha512", OK, 40)
unsupported = {"ok": False, "error": "unsupported-algorithm"}
vector("edge-pss-key-params-larger-salt-unsupported", "intermediate key id-RSASSA-PSS whose parameters require a salt of at least 40 with SHA-256: no PS256 signature (salt 32) may be made with it -> unsupported-algorithm",
       pss_params("sha256", "sha256", 40), "sha256", unsupported, 50)
vector("edge-pss-key-params-sha1-default-unsupported", "intermediate key id-RSASSA-PSS whose parameters are an empty SEQUENCE (every field DEFAULT: SHA-1, MGF1-SHA-1, salt 20): only SHA-1 PSS signatures, which svidkit does not verify -> unsupported-algorithm",
       pss_params(), "sha256", unsupported, 60)
vector("edge-pss-key-params-mgf-mismatch-unsupported", "intermediate key id-RSASSA-PSS whose parameters name SHA-256 with MGF1-SHA-512: no PS256/384/512 signature uses that pair -> unsupported-algorithm",
       pss_params("sha256", "sha512", 32), "sha256", unsupported, 70)
vector("edge-pss-key-params-null-malformed", "intermediate key id-RSASSA-PSS with NULL parameters (RFC 4055 §3.1: absent or RSASSA-PSS-params) -> malformed",
       bytes.fromhex("0500"), "sha256", {"ok": False, "error": "malformed"}, 80)

for name_, v in out:
    with open(os.path.join(sys.argv[1], name_ + ".json"), "w") as f:
        json.dump(v, f, indent=2, ensure_ascii=False); f.write("\n")
print(len(out), "vectors")
