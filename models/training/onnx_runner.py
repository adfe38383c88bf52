"""Runs an ONNX model in ONNX Runtime (onnxruntime-node, models/training/ort) from Python: Debian's
PyTorch runs MobileNetV2 on this CPU several times slower, and ONNX Runtime is what production uses."""
import os
import struct
import subprocess

import numpy as np

ORT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ort")


def ensure_installed():
    if not os.path.isdir(os.path.join(ORT_DIR, "node_modules", "onnxruntime-node")):
        # --ignore-scripts: the package's install script only fetches GPU providers (from nuget.org).
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"], cwd=ORT_DIR,
                       check=True)


def runtime_version():
    ensure_installed()
    import json
    return json.load(open(os.path.join(ORT_DIR, "node_modules", "onnxruntime-node", "package.json")))["version"]


class OnnxRunner:
    """One node process holding one InferenceSession; run() sends NCHW float32 and gets the first output."""

    def __init__(self, model_path, size, threads):
        ensure_installed()
        self.size = size
        self.proc = subprocess.Popen(["node", os.path.join(ORT_DIR, "serve.js"), model_path, str(size), str(threads)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run(self, x):
        x = np.ascontiguousarray(x, np.float32)
        n = x.shape[0]
        self.proc.stdin.write(struct.pack("<I", n) + x.tobytes())
        self.proc.stdin.flush()
        head = self._read(4)
        width = struct.unpack("<I", head)[0]
        return np.frombuffer(self._read(4 * n * width), np.float32).reshape(n, width).copy()

    def _read(self, count):
        buf = self.proc.stdout.read(count)
        if buf is None or len(buf) != count:
            raise RuntimeError(f"onnxruntime-node stopped (exit {self.proc.poll()})")
        return buf

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
