"""A pretrained image backbone from a registry package, rebuilt in PyTorch.

Nothing can be downloaded from a model hub here, but the npm registry is reachable, and the MIT-licensed
package nsfwjs 4.4.0 (Infinite Red, Inc.) ships Keras' MobileNetV2 (alpha 1.0, 224 px) as a
TensorFlow.js layers model. Its blocks up to block_10 were frozen while nsfwjs trained its classifier,
so they are Keras' ImageNet weights (Apache 2.0, tensorflow/models) stored as uint8; blocks 11 to 16 and
Conv_1 were fine-tuned on nsfwjs' own photos. We keep the convolutional part, drop nsfwjs' classifier
head, and train our own head on top (train.py).

The package is fetched with `npm pack`, checked against its registry SHA-512, and its JavaScript
wrappers are evaluated by node to get the topology and the weights. A small interpreter turns the Keras
layer list into PyTorch modules, so the export to ONNX is an ordinary torch.onnx.export.
"""
import base64
import hashlib
import json
import os
import subprocess
import tarfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PACKAGE = "nsfwjs@4.4.0"
TARBALL = "nsfwjs-4.4.0.tgz"
INTEGRITY = "sha512-krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA=="
MODEL_JS = "package/dist/models/mobilenet_v2/model.min.js"
SHARD_JS = "package/dist/models/mobilenet_v2/group1-shard1of1.min.js"
PROVENANCE = {
    "package": PACKAGE + " from the npm registry (MIT licence, Infinite Red, Inc.)",
    "integrity": INTEGRITY,
    "files": [MODEL_JS, SHARD_JS],
    "architecture": "Keras MobileNetV2 alpha 1.0 (Sandler et al. 2018), convolutional part up to out_relu",
    "weights": "blocks up to block_10: Keras ImageNet weights (Apache 2.0), frozen by nsfwjs, stored as uint8;"
               " block_11..Conv_1: fine-tuned by nsfwjs; nsfwjs' classifier head dropped",
}
# Keras MobileNetV2 takes pixels scaled to [-1, 1]: (p/255 - 0.5) / 0.5.
MEAN, STD = 0.5, 0.5


def _cache_dir():
    return os.path.join(os.path.expanduser("~"), ".cache", "ikomek-vision", "npm")


def fetch(cache=None):
    """Returns (topology layers, weight manifest, raw weight bytes); downloads the package once."""
    cache = cache or _cache_dir()
    os.makedirs(cache, exist_ok=True)
    tgz = os.path.join(cache, TARBALL)
    if not os.path.exists(tgz):
        subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", cache, "--silent"], check=True,
                       stdout=subprocess.DEVNULL)
    digest = "sha512-" + base64.b64encode(hashlib.sha512(open(tgz, "rb").read()).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"{tgz}: SHA-512 {digest} is not the registry's {INTEGRITY}; delete it and retry")
    dumped = os.path.join(cache, "mobilenet_v2.json")
    if not os.path.exists(dumped):
        with tarfile.open(tgz) as tar:
            for name in (MODEL_JS, SHARD_JS):
                tar.extract(name, cache)
        # The wrappers are UMD modules: node evaluates them, we keep the data.
        script = ("const fs=require('fs');const m=require(process.argv[1]);const s=require(process.argv[2]);"
                  "fs.writeFileSync(process.argv[3],JSON.stringify({model:m,shard:s}));")
        subprocess.run(["node", "-e", script, os.path.join(cache, MODEL_JS), os.path.join(cache, SHARD_JS),
                        dumped], check=True)
    data = json.load(open(dumped))
    model = data["model"]
    layers = model["modelTopology"]["model_config"]["config"]["layers"]
    manifest = model["weightsManifest"][0]["weights"]
    return layers, manifest, base64.b64decode(data["shard"])


def decode_weights(manifest, raw):
    """TF.js weight shard: tensors back to back in manifest order, uint8-quantized ones as min + q*scale."""
    out, pos = {}, 0
    for w in manifest:
        n = int(np.prod(w["shape"])) if w["shape"] else 1
        q = w.get("quantization")
        if q:
            size = {"uint8": 1, "uint16": 2}[q["dtype"]]
            ints = np.frombuffer(raw, {"uint8": np.uint8, "uint16": np.uint16}[q["dtype"]], n, pos)
            arr = ints.astype(np.float32) * q["scale"] + q["min"]
        else:
            size = 4
            arr = np.frombuffer(raw, np.float32, n, pos).copy()
        pos += n * size
        out[w["name"]] = arr.reshape(w["shape"])
    if pos != len(raw):
        raise SystemExit(f"weight shard has {len(raw)} bytes, manifest accounts for {pos}")
    return out


class KerasBackbone(nn.Module):
    """The Keras layer graph from the input up to `cut`, as PyTorch modules; `taps` names the layers
    whose outputs forward() returns."""

    def __init__(self, layers, weights, taps):
        super().__init__()
        self.order, self.inputs, self.kind = [], {}, {}
        self.mods = nn.ModuleDict()
        self.pads = {}
        self.taps = list(taps)
        last = self.taps[-1]
        for layer in layers:
            name, cls, cfg = layer["name"], layer["class_name"], layer["config"]
            srcs = [n[0] for n in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
            self.order.append(name)
            self.inputs[name] = srcs
            self.kind[name] = cls
            if cls == "ZeroPadding2D":
                (t, b), (l, r) = cfg["padding"]
                self.pads[name] = (l, r, t, b)
            elif cls in ("Conv2D", "DepthwiseConv2D"):
                self.mods[name] = self._conv(name, cls, cfg, weights)
            elif cls == "BatchNormalization":
                bn = nn.BatchNorm2d(len(weights[name + "/gamma"]), eps=cfg["epsilon"])
                bn.weight.data = torch.from_numpy(weights[name + "/gamma"].copy())
                bn.bias.data = torch.from_numpy(weights[name + "/beta"].copy())
                bn.running_mean.data = torch.from_numpy(weights[name + "/moving_mean"].copy())
                bn.running_var.data = torch.from_numpy(weights[name + "/moving_variance"].copy())
                self.mods[name] = bn
            elif cls == "ReLU":
                if cfg.get("max_value") != 6:
                    raise SystemExit(f"{name}: only ReLU6 is expected in MobileNetV2, got {cfg.get('max_value')}")
            elif cls not in ("InputLayer", "Add"):
                raise SystemExit(f"{name}: layer {cls} is not supported by this interpreter")
            if name == last:
                break
        if self.order[-1] != last:
            raise SystemExit(f"layer {last} is not in the model")

    @staticmethod
    def _conv(name, cls, cfg, weights):
        k = cfg["kernel_size"][0]
        stride = cfg["strides"][0]
        pad = k // 2 if cfg["padding"] == "same" else 0
        if stride != 1 and cfg["padding"] == "same":
            raise SystemExit(f"{name}: 'same' padding with stride {stride} is asymmetric in Keras; not supported")
        if cls == "Conv2D":
            w = weights[name + "/kernel"]                       # kh, kw, in, out
            conv = nn.Conv2d(w.shape[2], w.shape[3], k, stride, pad, bias=cfg["use_bias"])
            conv.weight.data = torch.from_numpy(w.transpose(3, 2, 0, 1).copy())
        else:
            w = weights[name + "/depthwise_kernel"]             # kh, kw, in, multiplier
            cin, mult = w.shape[2], w.shape[3]
            conv = nn.Conv2d(cin, cin * mult, k, stride, pad, groups=cin, bias=cfg["use_bias"])
            conv.weight.data = torch.from_numpy(w.transpose(2, 3, 0, 1).reshape(cin * mult, 1, k, k).copy())
        if cfg["use_bias"]:
            conv.bias.data = torch.from_numpy(weights[name + "/bias"].copy())
        return conv

    def forward(self, x):
        values = {}
        for name in self.order:
            srcs = [values[s] for s in self.inputs[name]]
            kind = self.kind[name]
            if kind == "InputLayer":
                y = x
            elif kind == "ZeroPadding2D":
                y = F.pad(srcs[0], self.pads[name])
            elif kind == "ReLU":
                y = F.relu6(srcs[0])
            elif kind == "Add":
                y = srcs[0] + srcs[1]
            else:
                y = self.mods[name](srcs[0])
            values[name] = y
        return [values[t] for t in self.taps]


def mobilenet_v2(taps=("block_12_add", "out_relu"), cache=None):
    layers, manifest, raw = fetch(cache)
    return KerasBackbone(layers, decode_weights(manifest, raw), taps)
