# An edge vector against path building by rounds (tests/vectors/x509-svid/edge-bad-signature-candidate-maze.json):
# a leaf and 15 CA certificates that all carry the bundle root's name as subject and issuer, so
# every certificate is a candidate issuer of every other and the root is one of each, with keys
# and signers chosen (by a search against the old optimistic scheme of js/src/host-crypto.js)
# so that many candidate links fail one after another. No link reaches the root's key. DESIGN
# path building: every certificate has candidates, so not `untrusted`; the most specific failure
# is the signature -> bad-signature. The npm package's host-crypto test also bounds the core runs
# it takes (js/test/node/crypto.test.mjs). Keys come from fixed scalars; ECDSA signatures are not
# deterministic, so a rerun writes other bytes with the same verdict.
#   python3 tests/gen/candidate_maze_vectors.py tests/vectors/x509-svid
import datetime, json, os, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from x509_gen import b64, name, svid_builder

NOW = 1767225600
NOTBEFORE = datetime.datetime(2025, 12, 31, tzinfo=datetime.timezone.utc)
NOTAFTER = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
# Which key each CA certificate (1..15) certifies, and which key signed each certificate (0 the leaf).
KEY = {1: 6, 2: 8, 3: 7, 4: 9, 5: 12, 6: 15, 7: 5, 8: 13, 9: 14, 10: 10, 11: 1, 12: 0, 13: 3, 14: 11, 15: 4}
SIGNER = {0: 9, 1: 12, 2: 6, 3: 2, 4: 8, 5: 14, 6: 7, 7: 10, 8: 0, 9: 15, 10: 4, 11: 4, 12: 1, 13: 9, 14: 13, 15: 11}

def key(i): return ec.derive_private_key(0x5EED0000 + i, ec.SECP256R1())

root_key = key(100)
root = svid_builder("root", "root", root_key.public_key(), True, "spiffe://example.org", 1, NOTBEFORE, NOTAFTER).sign(root_key, hashes.SHA256())
keys = {i: key(i) for i in range(16)}
chain = [svid_builder("leaf", "root", key(200).public_key(), False, "spiffe://example.org/ns/prod/sa/api", 1000,
                      NOTBEFORE, NOTAFTER).sign(keys[SIGNER[0]], hashes.SHA256())]
for i in range(1, 16):
    chain.append(svid_builder("root", "root", keys[KEY[i]].public_key(), True, "spiffe://example.org", 1000 + i,
                              NOTBEFORE, NOTAFTER).sign(keys[SIGNER[i]], hashes.SHA256()))
der = lambda c: c.public_bytes(serialization.Encoding.DER)
bundle = {"spiffe_sequence": 1, "spiffe_refresh_hint": 300, "keys": [{"use": "x509-svid", "kty": "EC", "x5c": [b64(der(root))]}]}
vector = {
    "description": "a leaf and 15 CA certificates all named like the bundle root (subject = issuer = its name), so every one is a candidate issuer of every other and the root of each; keys and signers chosen so that many candidate links fail one after another, and none reaches the root's key. DESIGN path building: every certificate has candidates, so the most specific failure -> bad-signature (and a verifier that learns signature answers in rounds must not need one round per failing link)",
    "kind": "x509-svid",
    "now": NOW,
    "input": {"chain": [b64(der(c)) for c in chain], "bundles": {"example.org": json.dumps(bundle)}},
    "expect": {"ok": False, "error": "bad-signature"},
}
out = os.path.join(sys.argv[1], "edge-bad-signature-candidate-maze.json")
with open(out, "w") as f:
    json.dump(vector, f, indent=2)
    f.write("\n")
print(out)
