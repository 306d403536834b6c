# What the vector generators share: DER lengths and TLVs, base64 forms, and an SVID-shaped
# certificate builder (basicConstraints and keyUsage critical, one URI SAN) from `cryptography`.
import base64
from cryptography import x509
from cryptography.x509.oid import NameOID

def der_len(n):
    if n < 128: return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b

def tlv(tag, body): return bytes([tag]) + der_len(len(body)) + body

def read_tlv(b, i):
    """(start, end) of the contents of the TLV at b[i]."""
    n = b[i + 1]; j = i + 2
    if n & 0x80:
        k = n & 0x7f; n = int.from_bytes(b[j:j + k], "big"); j += k
    return j, j + n

def b64(b): return base64.b64encode(b).decode()
def b64u(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def name(cn): return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SPIFFE"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])

def svid_builder(subject, issuer, public_key, ca, uri, serial, not_before, not_after):
    """A CA (keyCertSign, cRLSign) or leaf (digitalSignature) certificate builder with one URI SAN."""
    return (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
            .public_key(public_key).serial_number(serial)
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(uri)]), critical=False))
