#!/usr/bin/env python3
"""Prints WireGuard MAC1 vectors for Mac1Test, computed with Python's hashlib.blake2s (an implementation
independent of wgmon's). Run: python3 mac1-vectors.py > mac1-vectors.txt (output committed; CI does not
run this). Each line: responder public key (base64), the first 116 bytes of an initiation (hex), its mac1 (hex).
mac1 = BLAKE2s(key = BLAKE2s-256("mac1----" || responder public key), digest 16 bytes, initiation[0:116]),
WireGuard paper section 5.4.4."""
import base64
import hashlib

def mac1(public_key, message):
    key = hashlib.blake2s(b"mac1----" + public_key).digest()
    return hashlib.blake2s(message, key=key, digest_size=16).digest()

def bytes_from(seed, n):
    out = b""
    counter = 0
    while len(out) < n:
        out += hashlib.blake2s(seed + counter.to_bytes(4, "little")).digest()
        counter += 1
    return out[:n]

for i in range(8):
    public_key = bytes_from(b"key%d" % i, 32)
    message = b"\x01\x00\x00\x00" + bytes_from(b"msg%d" % i, 112)
    print(base64.b64encode(public_key).decode(), message.hex(), mac1(public_key, message).hex())
