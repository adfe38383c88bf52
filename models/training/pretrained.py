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
import json
import os
import subprocess

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import npm_models

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


def fetch(cache=None):
    """Returns (topology layers, weight manifest, raw weight bytes); downloads the package once."""
    cache = cache or npm_models.cache_dir()
    tgz = npm_models.fetch(PACKAGE, TARBALL, INTEGRITY, cache)
    dumped = os.path.join(cache, "mobilenet_v2.json")
    if not os.path.exists(dumped):
        model_js, shard_js = npm_models.extract(tgz, (MODEL_JS, SHARD_JS), cache)
        # The wrappers are UMD modules: node evaluates them, we keep the data.
        script = ("const fs=require('fs');const m=require(process.argv[1]);const s=require(process.argv[2]);"
                  "fs.writeFileSync(process.argv[3],JSON.stringify({model:m,shard:s}));")
        subprocess.run(["node", "-e", script, model_js, shard_js, dumped], check=True)
    data = json.load(open(dumped))
    model = data["model"]
    layers = model["modelTopology"]["model_config"]["config"]["layers"]
    manifest = model["weightsManifest"][0]["weights"]
    return layers, manifest, base64.b64decode(data["shard"])


class KerasBackbone(nn.Module):
    """The Keras layer graph up to the last of `taps`, as PyTorch modules; forward() returns the outputs of the
    `taps` layers. With `start`, the graph begins after that layer and forward() takes that layer's output."""

    def __init__(self, layers, weights, taps, start=None):
        super().__init__()
        self.order, self.inputs, self.kind = [], {}, {}
        self.mods = nn.ModuleDict()
        self.pads = {}
        self.taps = list(taps)
        self.start = start
        last = self.taps[-1]
        names = [layer["name"] for layer in layers]
        if start is not None and start not in names:
            raise SystemExit(f"layer {start} is not in the model")
        for layer in layers[names.index(start) + 1 if start else 0:]:
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
        values = {self.start: x}
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


# ---------------------------------------------------------------- our head on the backbone

TAPS = ("block_12_add", "out_relu")
TUNABLE = "block_13_expand .. Conv_1"   # what --tune-top trains: everything after TAPS[0]


def mobilenet_v2(cache=None):
    """(bottom, top): the input up to TAPS[0], and the rest up to TAPS[1] taking TAPS[0]'s output."""
    layers, manifest, raw = fetch(cache)
    weights = npm_models.decode_weights(manifest, raw)
    return KerasBackbone(layers, weights, TAPS[:1]), KerasBackbone(layers, weights, TAPS[1:], start=TAPS[0])


def _pooled(maps):
    return torch.cat([torch.cat([F.adaptive_avg_pool2d(m, 1), F.adaptive_max_pool2d(m, 1)], 1).flatten(1)
                      for m in maps], 1)


class Features(nn.Module):
    """The backbone read at two depths: [mean and max of each tap | the top map flattened (C x H x W)].
    The middle depth (block_12, ImageNet weights) keeps texture the fine-tuned top may have traded away."""

    def __init__(self, bottom, top):
        super().__init__()
        self.bottom = bottom
        self.top = top

    def forward(self, x):
        return self.from_middle(self.bottom(x)[0])

    def from_middle(self, middle):
        top = self.top(middle)[0]
        return torch.cat([_pooled([middle, top]), top.flatten(1)], 1)


class Head(nn.Module):
    """Two branches into one hidden layer. The pooled branch sees the whole zone; the spatial branch runs a 1x1
    convolution over every cell of the top map and keeps each channel's maximum, so that something in one cell
    is not diluted by the rest of the zone. Features are standardised with the training set's statistics."""

    def __init__(self, pooled_width, map_shape, labels, hidden=256, cells=48, dropout=0.3):
        super().__init__()
        self.pooled_width = pooled_width
        self.map_shape = tuple(map_shape)
        self.register_buffer("mean", torch.zeros(pooled_width))
        self.register_buffer("std", torch.ones(pooled_width))
        self.register_buffer("map_mean", torch.zeros(map_shape[0], 1, 1))
        self.register_buffer("map_std", torch.ones(map_shape[0], 1, 1))
        self.hidden = nn.Linear(pooled_width, hidden)
        self.cell = nn.Conv2d(map_shape[0], cells, 1)
        self.cell_hidden = nn.Linear(cells, hidden)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, len(labels))

    def forward(self, f):
        p = (f[:, :self.pooled_width] - self.mean) / self.std
        m = f[:, self.pooled_width:].reshape(-1, *self.map_shape)
        m = (m - self.map_mean) / self.map_std
        cells = F.adaptive_max_pool2d(F.relu(self.cell(m)), 1).flatten(1)
        h = F.relu(self.hidden(p) + self.cell_hidden(cells))
        return self.out(self.dropout(h))


class PretrainedNet(nn.Module):
    """What ships: image in, one logit per label out (the runtime applies the sigmoid)."""

    def __init__(self, features, head):
        super().__init__()
        self.features = features
        self.head = head

    def forward(self, x):
        return self.head(self.features(x))


class _Middle(nn.Module):
    """The bottom of the backbone as one tensor, for export."""

    def __init__(self, bottom):
        super().__init__()
        self.bottom = bottom

    def forward(self, x):
        return self.bottom(x)[0]


def train_head(mix, labels, size, seed, threads, work, export, epochs=30, batch=128, lr=1e-3, columns=None,
               tune_top=False, top_lr=1e-4):
    """Features of every sample of `mix` through ONNX Runtime (Debian's PyTorch runs MobileNetV2 several times
    slower here), then our head on them: AdamW with cosine decay, smoothed targets, and feature noise standing in
    for the augmentations that fixed features cannot see again. With `tune_top`, ONNX Runtime gives the block_12
    maps instead and the backbone's top (TUNABLE) trains with the head, at `top_lr`; its batch-norm statistics
    stay those of the backbone. Returns the whole network, eval mode."""
    import time
    import onnx_runner
    torch.manual_seed(seed)
    features = Features(*mobilenet_v2()).eval()
    os.makedirs(work, exist_ok=True)
    cached_onnx = os.path.join(work, "cached.onnx")
    export(_Middle(features.bottom) if tune_top else features, cached_onnx, size)
    with torch.no_grad():
        middle_shape = tuple(features.bottom(torch.zeros(1, 3, size, size))[0].shape[1:])
        map_shape = tuple(features.top(torch.zeros(1, *middle_shape))[0].shape[1:])
    loader = torch.utils.data.DataLoader(mix, batch_size=64, shuffle=False, num_workers=1)
    cached, targets, t0 = [], [], time.time()
    with onnx_runner.OnnxRunner(cached_onnx, size, threads) as runner:
        for i, (x, y) in enumerate(loader, 1):
            cached.append(runner.run(x.numpy()).astype(np.float16))
            targets.append(y.numpy())
            if i % 25 == 0:
                print(f"{'block_12 maps' if tune_top else 'features'} {i * 64}/{len(mix)} "
                      f"{i * 64 / (time.time() - t0):.0f} img/s", flush=True)
    c, y = torch.from_numpy(np.concatenate(cached)), torch.from_numpy(np.concatenate(targets))
    del cached

    def encode(rows):
        if not tune_top:
            return rows.float()
        return features.from_middle(rows.float().reshape(-1, *middle_shape))

    with torch.no_grad():
        f = torch.cat([encode(c[i:i + 256]) for i in range(0, min(len(c), 4000), 256)])
    pooled_width = f.shape[1] - int(np.prod(map_shape))
    head = Head(pooled_width, map_shape, labels)
    head.mean.copy_(f[:, :pooled_width].mean(0))
    head.std.copy_(f[:, :pooled_width].std(0) + 1e-3)
    maps = f[:, pooled_width:].reshape(-1, *map_shape)
    head.map_mean.copy_(maps.mean((0, 2, 3)).reshape(-1, 1, 1))
    head.map_std.copy_(maps.std((0, 2, 3)).reshape(-1, 1, 1) + 1e-3)
    del f, maps
    groups = [{"params": head.parameters(), "lr": lr}]
    if tune_top:
        groups.append({"params": features.top.parameters(), "lr": top_lr})
    else:
        features.requires_grad_(False)
    opt = torch.optim.AdamW(groups, weight_decay=1e-2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs * ((len(c) + batch - 1) // batch))
    gen = torch.Generator().manual_seed(seed)
    head.train()
    # Only the labels the model will output are trained (`columns`): a flood specialist gives the head all its
    # capacity to flood instead of sharing it with types another model scores.
    cols = torch.tensor(columns if columns is not None else range(len(labels)), dtype=torch.long)
    for epoch in range(1, epochs + 1):
        order = torch.randperm(len(c), generator=gen)
        total, t0 = 0.0, time.time()
        for i in range(0, len(c), batch):
            idx = order[i:i + batch]
            x = encode(c[idx])
            x = torch.cat([x[:, :pooled_width] + torch.randn(len(idx), pooled_width, generator=gen) * head.std * 0.1,
                           x[:, pooled_width:]], 1)
            loss = F.binary_cross_entropy_with_logits(head(x)[:, cols], y[idx][:, cols] * 0.96 + 0.02)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        if epoch % 5 == 0 or epoch == 1 or tune_top:
            print(f"{'top and head' if tune_top else 'head'} epoch {epoch}/{epochs} loss {total / len(c):.4f} "
                  f"({time.time() - t0:.0f}s)", flush=True)
    features.requires_grad_(False)
    return PretrainedNet(features, head.eval()).eval()
