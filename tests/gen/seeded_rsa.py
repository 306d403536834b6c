# An RSA key from a seeded prime search, so the vector generators write the same files on every
# run (cryptography's own key generation is random). Not for anything but test vectors.
import random
from cryptography.hazmat.primitives.asymmetric import rsa

def is_prime(n, rng):
    if n < 2: return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0: return n == p
    d, r = n - 1, 0
    while d % 2 == 0: d //= 2; r += 1
    for _ in range(40):
        a = rng.randrange(2, n - 2); x = pow(a, d, n)
        if x in (1, n - 1): continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1: break
        else: return False
    return True

def prime(rng, bits):
    while True:
        c = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if is_prime(c, rng) and (c - 1) % 65537 != 0: return c

def rsa_key(seed):
    rng = random.Random(seed)
    p, q = prime(rng, 1024), prime(rng, 1024)
    e = 65537; n = p * q; d = pow(e, -1, (p - 1) * (q - 1))
    return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                 rsa.RSAPublicNumbers(e, n)).private_key()
