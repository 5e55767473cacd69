# Stand-in for simhash-pybind (seomoz simhash-cpp semantics): unsigned_hash = first 8 bytes of
# MD5 big-endian; compute = per-bit majority (ties -> 0); find_all = every pair of values within
# the bit distance (exact; simhash-cpp's block tables find exactly these pairs).
import hashlib, struct
def unsigned_hash(obj):
    return struct.unpack('>Q', hashlib.md5(obj).digest()[0:8])[0]
def compute(hashes):
    v = [0] * 64
    for h in hashes:
        h = int(h)
        for j in range(64):
            v[j] += 1 if (h >> j) & 1 else -1
    r = 0
    for j in range(64):
        if v[j] > 0: r |= 1 << j
    return r
def num_differing_bits(a, b):
    return bin(int(a) ^ int(b)).count('1')
def find_all(hashes, number_of_blocks, different_bits):
    vals = sorted(set(int(h) for h in hashes))
    out = set()
    for i in range(len(vals)):
        for j in range(i + 1, len(vals)):
            if num_differing_bits(vals[i], vals[j]) <= different_bits:
                out.add((vals[i], vals[j]))
    return out
