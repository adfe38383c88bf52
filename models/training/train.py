#!/usr/bin/env python3
"""Train, validate and export the ikomek-vision incident classifier (snow, flood, open_manhole, dumping).

One command reproduces the committed model, its cards and the validation report (fixed seeds):

    /usr/bin/python3 models/training/train.py --data ../shared/data --out models/src/main/resources/models

Debian's python3-torch, python3-torchvision, python3-onnx, python3-pil and python3-numpy are enough.
The simulator's frames (`ikomek-vision simulate --dump-frames SIM ...`: SIM/<label>/ and SIM/boxes.csv, which the
dump writes last) are an extra source; without them, say --no-sim.
"""
import argparse
import hashlib
import json
import os
import platform
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment  # noqa: E402
import cards  # noqa: E402
import sources  # noqa: E402
import synth  # noqa: E402
import pretrained  # noqa: E402
from net import IncidentEnsemble, IncidentNet  # noqa: E402

LABELS = sources.LABELS
MEAN, STD = 0.5, 0.25
SIM_SOURCE = "sim-frames"
SIM_STORE_SIDE = 640       # simulator frames stay at stream size: their piles and manholes are small
LOCAL = [LABELS.index("open_manhole"), LABELS.index("dumping")]   # labels true only where the object is
TIGHT_POSITIVE = 0.3       # share of boxed samples cropped around the object, as the dumping tracker looks
TIGHT_OTHER = 0.12         # share of samples cropped to some other object-sized region (hard negatives)


def build_parser():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="folder of real sources: DATA/<source>/<label>/*.jpg")
    p.add_argument("--out", required=True, help="where the .onnx, .card.json and .md go")
    p.add_argument("--sim", default="/work/sim-frames",
                   help="simulator frames SIM/<label>/ + SIM/boxes.csv (simulate --dump-frames SIM)")
    p.add_argument("--no-sim", action="store_true", help="train without simulator frames")
    p.add_argument("--holdout", action="append", default=[],
                   help="source held out of training entirely (repeatable): the validation runs that measure the "
                        "recipe on a source it never saw; the shipped model holds none out")
    p.add_argument("--val-fraction", type=float, default=0.2, help="near-duplicate groups kept for validation")
    p.add_argument("--name", default="ikomek-incidents")
    p.add_argument("--size", type=int, default=112, help="input width and height")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--members", type=int, default=1,
                   help="networks trained on different draws of the same mixture (seed, seed+100, ...) and "
                        "averaged in logits into one ONNX graph; the split and thresholds stay those of --seed")
    p.add_argument("--mosaic", type=float, default=0.0,
                   help="share of samples made of 2 or 4 samples side by side, labelled with all their labels")
    p.add_argument("--backbone", choices=["scratch", "mobilenetv2"], default="scratch",
                   help="scratch: our small CNN, trained end to end (the incident model); mobilenetv2: the pretrained "
                        "backbone of pretrained.py, frozen (unless --tune-top), with our head trained on its "
                        "features (tried for flood, models/README.md)")
    p.add_argument("--only", action="append", choices=LABELS, default=[],
                   help="labels the exported model outputs (repeatable; default all): the runtime then takes only "
                        "those types from it, and the other types from the other model")
    p.add_argument("--tune-top", action="store_true",
                   help="mobilenetv2: train the backbone's top (" + pretrained.TUNABLE + ") with the head, on cached "
                        "block_12 maps, instead of keeping the whole backbone frozen")
    p.add_argument("--top-lr", type=float, default=1e-4, help="--tune-top: learning rate of the backbone's top")
    p.add_argument("--samples", type=int, default=16000,
                   help="mobilenetv2: augmented samples whose features train the head")
    p.add_argument("--epochs", type=int, default=30, help="mobilenetv2: passes of the head over those features")
    p.add_argument("--threads", type=int, default=2,
                   help="torch threads (the committed model was trained with 2 on this 2-core machine)")
    p.add_argument("--report", default=None, help="validation report path (default models/training/reports/NAME)")
    return p


def parse_args():
    return build_parser().parse_args()


# ---------------------------------------------------------------- synthetic pools

def make_pool(bases, rng, counts):
    """Composites on real road photos: (image, target, box, kind). The base's own label is kept."""
    pool = []
    clear_bases = [b for b in bases if b.label == "clear"]
    for kind, n in counts.items():
        for _ in range(n):
            fn = synth.NEGATIVE[rng.integers(len(synth.NEGATIVE))] if kind == "negative" else None
            if kind in ("flood", "snow") or fn in synth.COVERS_ROAD:
                base = clear_bases[rng.integers(len(clear_bases))]   # water / snow / earth replace the road surface
            else:
                base = bases[rng.integers(len(bases))]
            target = base.target()
            if kind != "negative":
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

    def __init__(self, categories, size, length, seed, mosaic=0.0):
        self.names = [c for c in categories if categories[c][1]]
        weights = np.array([categories[c][0] for c in self.names], np.float64)
        self.weights = weights / weights.sum()
        self.items = {c: categories[c][1] for c in self.names}
        self.size, self.length, self.seed, self.mosaic = size, length, seed, mosaic

    def __len__(self):
        return self.length

    def __getitem__(self, i):
        rng = np.random.default_rng([self.seed, i])
        if self.mosaic and rng.random() < self.mosaic:
            pil, target = self._mosaic(rng)
        else:
            crop, target = self._crop(rng)
            pil = sources.shrink(Image.fromarray(crop), (self.size, self.size))
        x = augment.degrade(pil, rng)
        x = (x - MEAN) / STD
        return torch.from_numpy(x.transpose(2, 0, 1).copy()), torch.from_numpy(target)

    def _mosaic(self, rng):
        """Two or four samples side by side in one input, labelled with every label any of them has: a flood tile
        among dry streets is still a flood, four dry streets together are not. Tried against the busy dry streets
        that read as flood (every real flood photo is a busy town seen from above); it did not quiet them (run mo25,
        models/README.md)."""
        cols, rows = (2, 1) if rng.random() < 0.5 else (2, 2)
        if rng.random() < 0.5 and rows == 1:
            cols, rows = 1, 2
        pil = Image.new("RGB", (self.size, self.size))
        target = np.zeros(len(LABELS), np.float32)
        for r in range(rows):
            for c in range(cols):
                x0, x1 = self.size * c // cols, self.size * (c + 1) // cols
                y0, y1 = self.size * r // rows, self.size * (r + 1) // rows
                crop, t = self._crop(rng)
                pil.paste(sources.shrink(Image.fromarray(crop), (x1 - x0, y1 - y0)), (x0, y0))
                target = np.maximum(target, t)
        return pil, target

    def _crop(self, rng):
        """A category by weight, an image from it, and a zone or object crop of it with its target."""
        cat = self.names[rng.choice(len(self.names), p=self.weights)]
        entries = self.items[cat]
        img, target, box = entries[rng.integers(len(entries))]
        crop = None
        r = rng.random()
        if box is not None and r < TIGHT_POSITIVE:
            crop = augment.object_crop(img, rng, box)
        elif r > 1 - TIGHT_OTHER and (box is not None or not target[LOCAL].any()):
            # Away from the box an object-sized crop shows no manhole or pile; snow and flood cover the road.
            crop = augment.other_object_crop(img, rng, avoid=box)
            if crop is not None:
                target = target.copy()
                target[LOCAL] = 0.0
        if crop is None:
            crop = augment.zone_crop(img, rng, keep_box=box, min_frac=0.6 if box is None and target.any() else 0.45)
        return crop, target


def train_member(categories, args, seed, tag):
    """One network on its own draw of the mixture and its own initial weights (both from `seed`). The first
    member, seed = --seed, is exactly the single network the trainer made before it had members."""
    torch.manual_seed(seed)
    mix = Mixture(categories, args.size, args.steps * args.batch, seed, args.mosaic)
    loader = torch.utils.data.DataLoader(mix, batch_size=args.batch, shuffle=False, num_workers=1,
                                         persistent_workers=False)
    model = IncidentNet(LABELS)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.15)
    t_train = time.time()
    model.train()
    running = 0.0
    for step, (x, y) in enumerate(loader, 1):
        logits = model(x)
        loss = F.binary_cross_entropy_with_logits(logits, y * 0.96 + 0.02)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running += loss.item()
        if step % 100 == 0:
            el = time.time() - t_train
            print(f"{tag}step {step}/{args.steps} loss {running / 100:.4f} {step * args.batch / el:.0f} img/s "
                  f"eta {el / step * (args.steps - step) / 60:.1f} min", flush=True)
            running = 0.0
    return model.eval()


def to_input(img, size):
    """Exactly the runtime's whole-frame preprocessing: squash to size x size, (p/255 - mean)/std."""
    pil = sources.shrink(Image.fromarray(img), (size, size))
    x = np.asarray(pil, np.float32) / 255.0
    return ((x - MEAN) / STD).transpose(2, 0, 1)


_onnx_scorers = {}
_work = None


def work_dir():
    """Scratch space for the ONNX files the trainer runs through onnxruntime-node; removed when the trainer exits."""
    global _work
    if _work is None:
        _work = tempfile.TemporaryDirectory(prefix="ikomek-train-")
    return _work.name


def predict(model, images, size, batch=64):
    if isinstance(model, pretrained.PretrainedNet):
        return _predict_onnx(model, images, size, batch)
    return _predict_torch(model, images, size, batch)


def _predict_onnx(model, images, size, batch):
    """MobileNetV2 runs several times faster in ONNX Runtime than in Debian's PyTorch here; same numbers."""
    import onnx_runner
    if id(model) not in _onnx_scorers:
        path = os.path.join(work_dir(), f"predict-{len(_onnx_scorers)}.onnx")
        export(model, path, size)
        _onnx_scorers[id(model)] = onnx_runner.OnnxRunner(path, size, 2)
    runner = _onnx_scorers[id(model)]
    out = [runner.run(np.stack([to_input(im, size) for im in images[i:i + batch]])) for i in range(0, len(images), batch)]
    return 1 / (1 + np.exp(-np.concatenate(out))) if out else np.zeros((0, len(LABELS)), np.float32)


@torch.no_grad()
def _predict_torch(model, images, size, batch):
    model.eval()
    out = []
    for i in range(0, len(images), batch):
        x = torch.from_numpy(np.stack([to_input(im, size) for im in images[i:i + batch]]))
        out.append(torch.sigmoid(model(x)).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(LABELS)), np.float32)


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
    """Per label of `thresholds` (the labels the model outputs), and "clear": quiet on all of them."""
    res = {"images": int(len(scores)), "labels": {}}
    for j, lab in enumerate(LABELS):
        if lab not in thresholds:
            continue
        m = counts(scores[:, j], targets[:, j], thresholds[lab])
        m["threshold"] = thresholds[lab]
        if is_clear.any():
            m["clearFalseAlarmRate"] = round(float((scores[is_clear, j] >= thresholds[lab]).mean()), 4)
        res["labels"][lab] = m
    cols = [j for j, lab in enumerate(LABELS) if lab in thresholds]
    quiet = np.all(scores[:, cols] < np.array([thresholds[LABELS[j]] for j in cols]), axis=1)
    res["labels"]["clear"] = counts(quiet.astype(np.float32), is_clear.astype(np.float32), 0.5)
    return res


# ---------------------------------------------------------------- main

def main():
    global MEAN, STD
    args = parse_args()
    if args.backbone == "mobilenetv2":
        MEAN, STD = pretrained.MEAN, pretrained.STD    # the backbone's own input scaling
        if args.members != 1:
            raise SystemExit("--members: one network only with --backbone mobilenetv2")
    elif args.tune_top:
        raise SystemExit("--tune-top: only with --backbone mobilenetv2 (the scratch CNN trains end to end anyway)")
    outputs = [lab for lab in LABELS if not args.only or lab in args.only]   # what the exported model gives
    output_columns = [LABELS.index(lab) for lab in outputs]
    t_start = time.time()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    holdout = args.holdout
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
    if args.members < 1:
        raise SystemExit(f"--members {args.members}: needs at least one network")
    sim_used = False
    if not args.no_sim and not os.path.exists(os.path.join(args.sim, "boxes.csv")):
        # The dump writes boxes.csv after its last frame: without it the frames are missing or half written, and a
        # model trained without them is not the committed one (it once fell back to that silently).
        raise SystemExit(f"--sim {args.sim}: no finished simulator dump there (no boxes.csv); render it with "
                         f"./ikomek-vision simulate --dump-frames {args.sim} --per-label 150 --first-seed 1, "
                         f"or train without it: --no-sim")
    if not args.no_sim:
        got, bad = sources.load_source(os.path.dirname(os.path.abspath(args.sim)), os.path.basename(args.sim),
                                       SIM_STORE_SIDE, sources.load_boxes(args.sim))
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

    def real(label, weight):
        """One category per real source of the label, the label's weight shared by sqrt(photos): a small source
        (53 roadside photos) is not drowned by a large one (560 highway photos), nor repeated into overfitting."""
        by_source = {}
        for it in train:
            if it.label == label and it.source != SIM_SOURCE:
                by_source.setdefault(it.source, []).append((it.image, it.target(), None))
        if not by_source:
            return {label: (weight, [])}
        norm = sum(np.sqrt(len(v)) for v in by_source.values())
        return {(label if i == 0 else f"{label}:{s}"): (weight * np.sqrt(len(v)) / norm, v)
                for i, (s, v) in enumerate(sorted(by_source.items(), key=lambda kv: -len(kv[1])))}

    def syn(kind):
        return [(img, t, box) for img, t, box, k in pool if k == kind]

    categories = {
        **real("clear", 0.22),
        **real("snow", 0.14),
        **real("flood", 0.08),
        **real("dumping", 0.04),
        **real("open_manhole", 0.02),
        "sim": (0.12, [(it.image, it.target(), it.box) for it in train if it.source == SIM_SOURCE]),
        "syn_open_manhole": (0.14, syn("open_manhole")),
        "syn_dumping": (0.12, syn("dumping")),
        "syn_flood": (0.08, syn("flood")),
        "syn_snow": (0.03, syn("snow")),
        "syn_negative": (0.10, syn("negative")),
    }
    t_train = time.time()
    if args.backbone == "mobilenetv2":
        mix = Mixture(categories, args.size, args.samples, args.seed, args.mosaic)
        members = [pretrained.train_head(mix, LABELS, args.size, args.seed, args.threads, work_dir(), export,
                                         args.epochs, columns=output_columns, tune_top=args.tune_top,
                                         top_lr=args.top_lr)]
    else:
        members = [train_member(categories, args, args.seed + 100 * k,
                                f"member {k + 1}/{args.members} " if args.members > 1 else "")
                   for k in range(args.members)]
    model = members[0] if len(members) == 1 else IncidentEnsemble(members)
    train_seconds = time.time() - t_train
    model.eval()

    # ---- validation
    groups = {}
    for it in val:
        groups.setdefault(it.source, []).append(it)
    val_real_scores = {s: predict(model, [it.image for it in g], args.size) for s, g in groups.items()}
    val_syn_scores = predict(model, [img for img, _, _, _ in val_pool], args.size)

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
    thresholds = {lab: choose_threshold(S[:, j], T[:, j], C) for j, lab in enumerate(LABELS) if lab in outputs}
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
    shipped = model if outputs == LABELS else Columns(model, output_columns).eval()
    export(shipped, onnx_path, args.size)
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    check = verify_onnx(onnx_path, shipped, args.size)
    timing = time_onnx(onnx_path, args.size, args.threads)

    counts_table = {}
    for it in items:
        side = "val" if it in val else "train"
        counts_table.setdefault(it.source, {}).setdefault(it.label, {"train": 0, "val": 0})[side] += 1
    training = {
        "command": command_line(args),
        "args": {k: v for k, v in vars(args).items()},
        "seed": args.seed, "steps": args.steps, "batch": args.batch, "members": args.members,
        "seconds": round(time.time() - t_start), "trainLoopSeconds": round(train_seconds),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, torch {torch.__version__} ({args.threads} threads)",
        "holdoutSources": holdout, "simFramesUsed": sim_used,
        **({"backbone": pretrained.PROVENANCE, "backboneTaps": list(pretrained.TAPS), "headSamples": args.samples,
            "headEpochs": args.epochs, "tunedLayers": pretrained.TUNABLE if args.tune_top else "none"}
           if args.backbone == "mobilenetv2" else {}),
        "sources": counts_table,
        "syntheticTrainPool": pool_counts, "syntheticValPool": val_counts,
        "samplingWeights": {k: v[0] for k, v in categories.items() if v[1]},
        "unreadable": unreadable,
    }
    card = cards.card_json(args.name, sha, args.size, MEAN, STD, outputs, thresholds, training, metrics, timing, check,
                           args.backbone)
    cards.write(args.out, args.name, card, report_base)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB, sha256 {sha}) in "
          f"{(time.time() - t_start) / 60:.1f} min", flush=True)
    print(cards.table(metrics), flush=True)


class Columns(torch.nn.Module):
    """The model's logits for some labels only (--only): the runtime takes a type from the first card (by file
    name) whose labels cover it, so a specialist model names just its own."""

    def __init__(self, model, columns):
        super().__init__()
        self.model = model
        self.register_buffer("columns", torch.tensor(columns, dtype=torch.long))

    def forward(self, x):
        return self.model(x).index_select(1, self.columns)


# Options that change what is trained; paths, --holdout and --report only say where it runs and what is measured.
MODEL_OPTIONS = ("no_sim", "val_fraction", "name", "size", "steps", "batch", "lr", "seed", "members", "mosaic",
                 "backbone", "only", "tune_top", "top_lr", "samples", "epochs", "threads")


def command_line(args):
    """The command that makes the shipped files of this model kind: every model option that differs from its
    default, so that the card's command reproduces the run (not its paths or held-out sources)."""
    parser = build_parser()
    extra = []
    for key in MODEL_OPTIONS:
        value, flag = getattr(args, key), "--" + key.replace("_", "-")
        if value == parser.get_default(key):
            continue
        if isinstance(value, bool):
            extra.append(flag)
        elif isinstance(value, list):
            extra += [f"{flag} {v}" for v in value]
        else:
            extra.append(f"{flag} {value}")
    return " ".join(["/usr/bin/python3 models/training/train.py --data ../shared/data --out "
                     "models/src/main/resources/models"] + extra)


def export(model, path, size):
    dummy = torch.zeros(1, 3, size, size)
    torch.onnx.export(model, dummy, path, input_names=["input"], output_names=["scores"],
                      dynamic_axes={"input": {0: "batch"}, "scores": {0: "batch"}}, opset_version=13,
                      do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))


def verify_onnx(path, model, size):
    """Compare ONNX Runtime with PyTorch on random inputs, when onnxruntime is importable."""
    x = np.random.default_rng(0).normal(0, 1, (4, 3, size, size)).astype(np.float32)
    with torch.no_grad():
        ref = model(torch.from_numpy(x)).numpy()
    try:
        import onnxruntime as ort
    except ImportError:
        if not isinstance(getattr(model, "model", model), pretrained.PretrainedNet):
            return {"onnxruntime": "not installed for this python; checked with onnx.checker only"}
        import onnx_runner      # the pretrained model's features went through onnxruntime-node anyway
        with onnx_runner.OnnxRunner(path, size, 1) as runner:
            got = runner.run(x)
        return {"onnxruntime": "onnxruntime-node " + onnx_runner.runtime_version(),
                "maxAbsDiffVsTorch": float(np.abs(ref - got).max())}
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    got = sess.run(["scores"], {"input": x})[0]
    return {"onnxruntime": ort.__version__, "maxAbsDiffVsTorch": float(np.abs(ref - got).max())}


def time_onnx(path, size, threads):
    try:
        import onnxruntime as ort
    except ImportError:
        return {}
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    out = {"runtime": f"onnxruntime {ort.__version__} (python), {threads} threads"}
    for b in (1, 16):
        x = np.zeros((b, 3, size, size), np.float32)
        for _ in range(5):
            sess.run(None, {"input": x})
        reps = 60 if b == 1 else 10
        t = time.perf_counter()
        for _ in range(reps):
            sess.run(None, {"input": x})
        out[f"batch{b}MsPerImage"] = round((time.perf_counter() - t) / reps / b * 1000, 2)
    return out


if __name__ == "__main__":
    main()
