#!/usr/bin/env python3
"""Train, validate and export the ikomek-vision incident classifier (snow, flood, open_manhole, dumping).

A pretrained MobileNetV2 (pretrained.py: Keras ImageNet weights shipped in the npm package nsfwjs) stays
frozen; our head is trained on its pooled features of many augmented crops. Features, checks and timings
run in ONNX Runtime (onnx_runner.py), as in production.

One command reproduces the committed model, its cards and the validation report (fixed seeds):

    /usr/bin/python3 models/training/train.py --data ../shared/data --out models/src/main/resources/models

Debian's python3-torch, python3-onnx, python3-pil and python3-numpy, plus node and npm (the npm registry
gives the backbone package and onnxruntime-node).
When the simulator's frames exist (SIM/<label>/ with a READY file) they are an extra source.
"""
import argparse
import hashlib
import json
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment  # noqa: E402
import cards  # noqa: E402
import onnx_runner  # noqa: E402
import pretrained  # noqa: E402
import sources  # noqa: E402
import synth  # noqa: E402
from net import TAPS, Features, Head, IncidentNet  # noqa: E402

LABELS = sources.LABELS
MEAN, STD = pretrained.MEAN, pretrained.STD
SIM_SOURCE = "sim-frames"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="folder of real sources: DATA/<source>/<label>/*.jpg")
    p.add_argument("--out", required=True, help="where the .onnx, .card.json and .md go")
    p.add_argument("--sim", default="/work/sim-frames", help="simulator frames SIM/<label>/; used if SIM/READY exists")
    p.add_argument("--no-sim", action="store_true", help="ignore simulator frames even if present")
    p.add_argument("--holdout", action="append", default=None,
                   help="source held out of training entirely (repeatable); default cleandirty-road-sopmacvan")
    p.add_argument("--val-fraction", type=float, default=0.2, help="near-duplicate groups kept for validation")
    p.add_argument("--name", default="ikomek-incidents")
    p.add_argument("--size", type=int, default=160, help="input width and height")
    p.add_argument("--samples", type=int, default=16000, help="augmented training crops whose features train the head")
    p.add_argument("--epochs", type=int, default=40, help="passes of the head over those features")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--threads", type=int, default=2,
                   help="torch threads (the committed model was trained with 2 on this 2-core machine)")
    p.add_argument("--sim-weight", type=float, default=3.0,
                   help="loss weight of simulator crops: the frozen features separate the rendered scenes less well than photos")
    p.add_argument("--reuse-features", action="store_true",
                   help="train the head on the features saved in OUT/.work by an earlier run with the same data args")
    p.add_argument("--report", default=None, help="validation report path (default models/training/reports/NAME)")
    return p.parse_args()


# ---------------------------------------------------------------- synthetic pools

def make_pool(bases, rng, counts):
    """Composites on real road photos: (image, target, box, kind). The base's own label is kept."""
    pool = []
    clear_bases = [b for b in bases if b.label == "clear"]
    for kind, n in counts.items():
        for _ in range(n):
            if kind in ("flood", "snow"):
                base = clear_bases[rng.integers(len(clear_bases))]   # water / snow replace the road surface
            else:
                base = bases[rng.integers(len(bases))]
            target = base.target()
            if kind == "negative":
                fn = synth.NEGATIVE[rng.integers(len(synth.NEGATIVE))]
            else:
                fn = synth.POSITIVE[kind]
                target = target.copy()
                target[LABELS.index(kind)] = 1.0
            img, box = fn(base.image, rng)
            pool.append((img.astype(np.uint8), target, box, kind))
    return pool


# ---------------------------------------------------------------- training data

class Mixture(torch.utils.data.Dataset):
    """Each index draws a category by weight, then an image from it, then a zone crop and degradations.
    The generator is seeded by (seed, index), so a run is reproducible whatever the worker count."""

    def __init__(self, categories, size, length, seed):
        self.names = [c for c in categories if categories[c][1]]
        weights = np.array([categories[c][0] for c in self.names], np.float64)
        self.weights = weights / weights.sum()
        self.items = {c: categories[c][1] for c in self.names}
        self.size, self.length, self.seed = size, length, seed

    def __len__(self):
        return self.length

    def __getitem__(self, i):
        rng = np.random.default_rng([self.seed, i])
        cat = self.names[rng.choice(len(self.names), p=self.weights)]
        entries = self.items[cat]
        img, target, box = entries[rng.integers(len(entries))]
        crop = augment.zone_crop(img, rng, keep_box=box, min_frac=0.6 if box is None and target.any() else 0.45)
        pil = squash(Image.fromarray(crop), self.size)
        x = augment.degrade(pil, rng)
        x = (x - MEAN) / STD
        return torch.from_numpy(x.transpose(2, 0, 1).copy()), torch.from_numpy(target), self.names.index(cat)


def squash(pil, size):
    """The runtime's resize (detectors' ZoneCrop): OpenCV INTER_AREA when shrinking both sides, which is
    PIL's BOX filter, else bilinear. PIL's own antialiased bilinear blurs more, and a model trained on it
    scored differently in Java (held-out snow false alarms 19 -> 34 of 103 with the same weights)."""
    w, h = pil.size
    return pil.resize((size, size), Image.BOX if w >= size and h >= size else Image.BILINEAR)


def to_input(img, size):
    """Exactly the runtime's whole-frame preprocessing: squash to size x size, (p/255 - mean)/std."""
    pil = squash(Image.fromarray(img), size)
    x = np.asarray(pil, np.float32) / 255.0
    return ((x - MEAN) / STD).transpose(2, 0, 1)


# ---------------------------------------------------------------- metrics and thresholds

def counts(scores, targets, thr):
    pred = scores >= thr
    pos = targets > 0.5
    tp = int((pred & pos).sum())
    fp = int((pred & ~pos).sum())
    fn = int((~pred & pos).sum())
    tn = int((~pred & ~pos).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def choose_threshold(scores, targets, clear_mask, max_clear_fpr=0.01, max_fpr=0.03):
    """Highest-F1 threshold among those that keep false alarms low: at most 1% of real clear photos
    and 3% of all negatives. Ties go to the higher threshold (quieter)."""
    pos = targets > 0.5
    best, best_f1 = None, -1.0
    for thr in np.round(np.arange(0.30, 0.96, 0.01), 2):
        pred = scores >= thr
        neg = ~pos
        fpr = (pred & neg).sum() / max(1, neg.sum())
        clear_fpr = (pred & clear_mask).sum() / max(1, clear_mask.sum())
        if fpr > max_fpr or clear_fpr > max_clear_fpr:
            continue
        f1 = counts(scores, targets, thr)["f1"] if pos.any() else 0.0
        if f1 >= best_f1:
            best, best_f1 = float(thr), f1
    return best if best is not None else 0.95


def group_metrics(scores, targets, is_clear, thresholds):
    res = {"images": int(len(scores)), "labels": {}}
    for j, lab in enumerate(LABELS):
        m = counts(scores[:, j], targets[:, j], thresholds[lab])
        m["threshold"] = thresholds[lab]
        if is_clear.any():
            m["clearFalseAlarmRate"] = round(float((scores[is_clear, j] >= thresholds[lab]).mean()), 4)
        res["labels"][lab] = m
    quiet = np.all(scores < np.array([thresholds[l] for l in LABELS]), axis=1)
    res["labels"]["clear"] = counts(quiet.astype(np.float32), is_clear.astype(np.float32), 0.5)
    return res


# ---------------------------------------------------------------- main

def main():
    args = parse_args()
    t_start = time.time()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    holdout = args.holdout if args.holdout is not None else ["cleandirty-road-sopmacvan"]
    report_base = args.report or os.path.join(os.path.dirname(os.path.abspath(__file__)), "reports", args.name)

    items, unreadable, source_names = [], [], []
    for s in sources.list_sources(args.data):
        got, bad = sources.load_source(args.data, s)
        items += got
        unreadable += bad
        source_names.append(s)
    missing = [h for h in holdout if h not in source_names]
    if missing:
        raise SystemExit(f"--holdout {missing}: no such source under {args.data}")
    sim_used = False
    if not args.no_sim and os.path.exists(os.path.join(args.sim, "READY")):
        got, bad = sources.load_source(os.path.dirname(os.path.abspath(args.sim)), os.path.basename(args.sim))
        for it in got:
            it.source = SIM_SOURCE
        items += got
        unreadable += bad
        sim_used = bool(got)
    print(f"loaded {len(items)} images from {len(source_names)} sources{' + sim frames' if sim_used else ''};"
          f" unreadable: {len(unreadable)}", flush=True)

    train, val = sources.split(items, set(holdout), args.val_fraction, args.seed)
    dups = sources.cross_duplicates(train, val)
    print(f"train {len(train)}, val {len(val)}, near-duplicates across the split: {len(dups)}", flush=True)
    for a, b, d in dups:
        print(f"  near-duplicate (dHash distance {d}): train {a} ~ val {b}", flush=True)

    rng = np.random.default_rng(args.seed)
    bases = [it for it in train if it.label in ("clear", "snow")]
    t0 = time.time()
    pool_counts = {"open_manhole": 800, "dumping": 650, "flood": 550, "snow": 200, "negative": 750}
    pool = make_pool(bases, rng, pool_counts)
    val_bases = [it for it in val if it.label in ("clear", "snow") and it.source not in holdout
                 and it.source != SIM_SOURCE]
    val_counts = {"open_manhole": 150, "dumping": 150, "flood": 120, "negative": 150}
    val_pool = make_pool(val_bases, np.random.default_rng(args.seed + 1000), val_counts)
    print(f"synthetic pools: train {len(pool)}, val {len(val_pool)} in {time.time() - t0:.0f}s", flush=True)

    def real(label, source_filter=lambda s: s != SIM_SOURCE):
        return [(it.image, it.target(), None) for it in train if it.label == label and source_filter(it.source)]

    def syn(kind):
        return [(img, t, box) for img, t, box, k in pool if k == kind]

    categories = {
        "clear": (0.20, real("clear")),
        "snow": (0.12, real("snow")),
        "flood": (0.08, real("flood")),
        "dumping": (0.04, real("dumping")),
        "open_manhole": (0.02, real("open_manhole")),
        "sim": (0.14, [(it.image, it.target(), None) for it in train if it.source == SIM_SOURCE]),
        "syn_open_manhole": (0.14, syn("open_manhole")),
        "syn_dumping": (0.12, syn("dumping")),
        "syn_flood": (0.08, syn("flood")),
        "syn_snow": (0.03, syn("snow")),
        "syn_negative": (0.10, syn("negative")),
    }
    work = os.path.join(args.out, ".work")
    os.makedirs(work, exist_ok=True)
    features = Features(pretrained.mobilenet_v2(TAPS)).eval()
    features_onnx = os.path.join(work, "features.onnx")
    export(features, features_onnx, args.size, "features")
    mix = Mixture(categories, args.size, args.samples, args.seed)
    cache = os.path.join(work, "features.npz")
    groups = {}
    for it in val:
        groups.setdefault(it.source, []).append(it)
    key = np.array([args.samples, args.size, args.seed, len(train), len(val), len(pool)])
    t_feat = time.time()
    if args.reuse_features and os.path.exists(cache) and np.array_equal(np.load(cache)["key"], key):
        saved = np.load(cache)
        F_train, Y_train, C_train = saved["F"], saved["Y"], saved["C"]
        val_real_feats = {s: saved["val_" + s] for s in groups}
        val_syn_feats = saved["val_synthetic"]
        print(f"features reused from {cache}", flush=True)
    else:
        F_train, Y_train, C_train, val_real_feats, val_syn_feats = extract(
            features_onnx, mix, groups, val_pool, args)
        np.savez(cache, key=key, F=F_train, Y=Y_train, C=C_train, val_synthetic=val_syn_feats,
                 **{"val_" + s: f for s, f in val_real_feats.items()})
    feature_seconds = time.time() - t_feat
    print(f"features: {len(F_train)} training crops of width {F_train.shape[1]} in {feature_seconds:.0f}s", flush=True)
    for j, name in enumerate(mix.names):
        print(f"  {name}: {(C_train == j).sum()} crops", flush=True)

    t_train = time.time()
    with torch.no_grad():
        map_shape = tuple(features.backbone(torch.zeros(1, 3, args.size, args.size))[-1].shape[1:])
    weights = np.where(C_train == mix.names.index("sim"), args.sim_weight, 1.0).astype(np.float32) \
        if "sim" in mix.names else np.ones(len(C_train), np.float32)
    head = train_head(F_train, Y_train, weights, map_shape, args)
    train_seconds = time.time() - t_train
    model = IncidentNet(features, head).eval()

    # ---- validation
    val_real_scores = {s: head_scores(head, f) for s, f in val_real_feats.items()}
    val_syn_scores = head_scores(head, val_syn_feats)

    # Thresholds come from the held-in validation data only: real photos of sources that were trained on
    # (their held-out groups) plus composites on held-out backgrounds. Held-out sources stay unseen.
    sel_scores, sel_targets, sel_clear = [], [], []
    for s, g in groups.items():
        if s in holdout or s == SIM_SOURCE:
            continue
        sel_scores.append(val_real_scores[s])
        sel_targets.append(np.stack([it.target() for it in g]))
        sel_clear.append(np.array([it.label == "clear" for it in g]))
    sel_scores.append(val_syn_scores)
    sel_targets.append(np.stack([t for _, t, _, _ in val_pool]))
    sel_clear.append(np.zeros(len(val_pool), bool))
    S, T, C = np.concatenate(sel_scores), np.concatenate(sel_targets), np.concatenate(sel_clear)
    thresholds = {lab: choose_threshold(S[:, j], T[:, j], C) for j, lab in enumerate(LABELS)}
    print("thresholds", thresholds, flush=True)

    metrics = {"bySource": {}, "thresholdSelection": {}}
    for s, g in sorted(groups.items()):
        tg = np.stack([it.target() for it in g])
        clear = np.array([it.label == "clear" for it in g])
        m = group_metrics(val_real_scores[s], tg, clear, thresholds)
        m["role"] = ("held out of training entirely" if s in holdout else
                     "simulator frames, held-out part" if s == SIM_SOURCE else
                     f"held-out near-duplicate groups ({args.val_fraction:.0%}) of a trained-on source")
        m["folders"] = {lab: sum(1 for it in g if it.label == lab) for lab in sources.FOLDERS
                        if any(it.label == lab for it in g)}
        metrics["bySource"][s] = m
    vt = np.stack([t for _, t, _, _ in val_pool])
    metrics["bySource"]["synthetic-composites"] = group_metrics(val_syn_scores, vt, np.zeros(len(vt), bool), thresholds)
    metrics["bySource"]["synthetic-composites"]["role"] = "composites painted on held-out backgrounds (seed+1000)"
    metrics["bySource"]["synthetic-composites"]["folders"] = {k: sum(1 for *_, kk in val_pool if kk == k) for k in val_counts}
    metrics["thresholdSelection"] = group_metrics(S, T, C, thresholds)
    metrics["nearDuplicatesAcrossSplit"] = len(dups)
    metrics["nearDuplicatePairs"] = [{"train": a, "val": b, "distance": d} for a, b, d in dups]

    # ---- export
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, args.name + ".onnx")
    export(model, onnx_path, args.size, "scores")
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    check = verify_onnx(onnx_path, args.size, groups, val_real_scores)
    timing = time_onnx(onnx_path, args.size)

    counts_table = {}
    for it in items:
        side = "val" if it in val else "train"
        counts_table.setdefault(it.source, {}).setdefault(it.label, {"train": 0, "val": 0})[side] += 1
    training = {
        "command": "/usr/bin/python3 models/training/train.py --data ../shared/data --out models/src/main/resources/models",
        "args": {k: v for k, v in vars(args).items()},
        "seed": args.seed, "samples": args.samples, "epochs": args.epochs, "simWeight": args.sim_weight, "batch": args.batch,
        "seconds": round(time.time() - t_start), "featureSeconds": round(feature_seconds),
        "headTrainSeconds": round(train_seconds),
        "backbone": pretrained.PROVENANCE, "backboneTaps": list(TAPS),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, torch {torch.__version__}, onnxruntime-node "
                   f"{onnx_runner.runtime_version()} ({args.threads} threads)",
        "holdoutSources": holdout, "simFramesUsed": sim_used,
        "sources": counts_table,
        "syntheticTrainPool": pool_counts, "syntheticValPool": val_counts,
        "samplingWeights": {k: v[0] for k, v in categories.items() if v[1]},
        "unreadable": unreadable,
    }
    card = cards.card_json(args.name, sha, args.size, MEAN, STD, LABELS, thresholds, training, metrics, timing, check)
    cards.write(args.out, args.name, card, report_base)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB, sha256 {sha}) in "
          f"{(time.time() - t_start) / 60:.1f} min", flush=True)
    print(cards.table(metrics), flush=True)


def extract(features_onnx, mix, groups, val_pool, args):
    """Features of the augmented training crops and of the validation images, through ONNX Runtime."""
    loader = torch.utils.data.DataLoader(mix, batch_size=args.batch, shuffle=False, num_workers=1,
                                         persistent_workers=False)
    t0 = time.time()
    with onnx_runner.OnnxRunner(features_onnx, args.size, args.threads) as runner:
        feats, targets, cats = [], [], []
        for i, (x, y, c) in enumerate(loader, 1):
            feats.append(runner.run(x.numpy()).astype(np.float16))
            targets.append(y.numpy())
            cats.append(c.numpy())
            if i % 25 == 0:
                print(f"features {i * args.batch}/{args.samples} {i * args.batch / (time.time() - t0):.0f} img/s",
                      flush=True)

        def featurize(images):
            out = [runner.run(np.stack([to_input(im, args.size) for im in images[i:i + args.batch]])).astype(np.float16)
                   for i in range(0, len(images), args.batch)]
            return np.concatenate(out)

        val_real = {s: featurize([it.image for it in g]) for s, g in groups.items()}
        val_syn = featurize([img for img, _, _, _ in val_pool])
    return np.concatenate(feats), np.concatenate(targets), np.concatenate(cats), val_real, val_syn


def train_head(F_train, Y_train, weights, map_shape, args):
    """The head on fixed features: training-set statistics, AdamW with cosine decay, smoothed targets."""
    torch.manual_seed(args.seed)
    f = torch.from_numpy(F_train)
    y = torch.from_numpy(Y_train)
    w = torch.from_numpy(weights)
    pooled_width = f.shape[1] - int(np.prod(map_shape))
    head = Head(pooled_width, map_shape, LABELS)
    pooled_part = f[:, :pooled_width].float()
    head.mean.copy_(pooled_part.mean(0))
    head.std.copy_(pooled_part.std(0) + 1e-3)
    maps = f[:4000, pooled_width:].float().reshape(-1, *map_shape)
    head.map_mean.copy_(maps.mean((0, 2, 3)).reshape(-1, 1, 1))
    head.map_std.copy_(maps.std((0, 2, 3)).reshape(-1, 1, 1) + 1e-3)
    del pooled_part, maps
    opt = torch.optim.AdamW(head.parameters(), lr=args.lr, weight_decay=1e-2)
    steps_per_epoch = (len(f) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.epochs * steps_per_epoch)
    gen = torch.Generator().manual_seed(args.seed)
    head.train()
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(len(f), generator=gen)
        total = 0.0
        for i in range(0, len(f), args.batch):
            idx = order[i:i + args.batch]
            # Feature noise stands in for augmentations the fixed features cannot see again.
            x = f[idx].float()
            x[:, :pooled_width] += torch.randn(len(idx), pooled_width, generator=gen) * head.std * 0.1
            per = F.binary_cross_entropy_with_logits(head(x), y[idx] * 0.96 + 0.02, reduction="none").mean(1)
            loss = (per * w[idx]).sum() / w[idx].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        if epoch % 5 == 0 or epoch == 1:
            print(f"head epoch {epoch}/{args.epochs} loss {total / len(f):.4f}", flush=True)
    return head.eval()


@torch.no_grad()
def head_scores(head, feats):
    return np.concatenate([torch.sigmoid(head(torch.from_numpy(feats[i:i + 512]).float())).numpy()
                           for i in range(0, len(feats), 512)])


def export(model, path, size, output):
    dummy = torch.zeros(1, 3, size, size)
    torch.onnx.export(model, dummy, path, input_names=["input"], output_names=[output],
                      dynamic_axes={"input": {0: "batch"}, output: {0: "batch"}}, opset_version=13,
                      do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))


def verify_onnx(path, size, groups, expected_scores):
    """The exported model in ONNX Runtime against the features-then-head path on real validation photos."""
    diffs = []
    with onnx_runner.OnnxRunner(path, size, 1) as runner:
        for s, g in groups.items():
            got = 1 / (1 + np.exp(-runner.run(np.stack([to_input(it.image, size) for it in g[:16]]))))
            diffs.append(float(np.abs(got - expected_scores[s][:16]).max()))
    return {"onnxruntime": "onnxruntime-node " + onnx_runner.runtime_version(),
            "maxAbsScoreDiffVsTrainingPath": max(diffs)}


def time_onnx(path, size):
    out = {"runtime": f"onnxruntime-node {onnx_runner.runtime_version()}, 1 intra-op thread"}
    with onnx_runner.OnnxRunner(path, size, 1) as runner:
        for b in (1, 16):
            x = np.zeros((b, 3, size, size), np.float32)
            for _ in range(3):
                runner.run(x)
            reps = 40 if b == 1 else 6
            t = time.perf_counter()
            for _ in range(reps):
                runner.run(x)
            out[f"batch{b}MsPerImage"] = round((time.perf_counter() - t) / reps / b * 1000, 2)
    return out


if __name__ == "__main__":
    main()
