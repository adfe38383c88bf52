"""Head recipes on the cached backbone features, compared in seconds: how each does on a held-out source.

    /usr/bin/python3 models/training/street_experiments.py --data ../shared/data --sim DIR \
        --holdout SOURCE --holdout OTHER --recipe l2=0.01 --recipe l2=0.1,drop=syn_negative,w:syn_flood=2 ...

Reads the samples and features street.py cached (run street.py with the same --sim and --size first, or let this
make them); for each --holdout in turn (one source each) and each recipe, fits the heads, picks thresholds on
validation data as street.py does (recipe `fb=1`: the old F1-best rule of train.py instead), and prints per type:
the held-out source's precision / recall / F1 at that threshold and its ROC AUC (ranking, whatever the threshold),
its clear photos that fire, and the share of validation clear photos of each real source that fire. Nothing is
written.
"""
import os
import sys

import numpy as np

import street
import train as scratch
from sources import LABELS


def auc(scores, positive):
    pos, neg = scores[positive], scores[~positive]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def parse_recipe(text):
    recipe = {"l2": 1e-3, "drop": [], "max_clear_fpr": 0.01, "weight": {}}
    for part in filter(None, text.split(",")):
        key, value = part.split("=")
        if key == "drop":
            recipe["drop"].append(value)
        elif key.startswith("w:"):
            recipe["weight"][key[2:]] = float(value)
        else:
            recipe[key] = float(value)
    return recipe


def main():
    parser = street.build_parser()
    parser.set_defaults(out="/dev/null")
    parser.add_argument("--recipe", action="append", default=[])
    args = parser.parse_args()
    nodes, consts = street.centernet.load()
    os.makedirs(args.cache, exist_ok=True)
    path = os.path.join(args.cache, f"features-{args.size}.onnx")
    sha = street.centernet.write(street.with_heads(nodes, consts), path)
    holdouts = args.holdout
    args.holdout = []
    u, _ = street.universe(args)
    x_all = street.FeatureCache(path, sha, args).features(u, "all")
    y_all, g_all, c_all = np.stack(u.targets), np.array(u.groups), np.array(u.clear)
    for holdout in holdouts:
        for text in args.recipe or [""]:
            run(holdout, text, street.split_universe(u, {holdout}), x_all, y_all, g_all, c_all, args)


def run(holdout, text, masks, x_all, y_all, g_all, c_all, args):
    (xtr, xva, xho), (ytr, yva, yho) = ([a[m] for m in masks] for a in (x_all, y_all))
    (gtr, gva, _), (_, clear_va, clear_ho) = ([a[m] for m in masks] for a in (g_all, c_all))
    r = parse_recipe(text)
    keep = ~np.isin(gtr, r["drop"])
    groups = list(gtr[keep])
    w, b = street.fit_heads(xtr[keep], ytr[keep], groups, r["l2"], args.seed, r["weight"])
    sva, sho = street.predict(xva, w, b), street.predict(xho, w, b)
    if not r.get("fb"):
        thr = street.quiet_thresholds(sva, yva, gva, clear_va, r["max_clear_fpr"])
    else:
        thr = {lab: scratch.choose_threshold(sva[:, j], yva[:, j], clear_va, r["max_clear_fpr"])
               for j, lab in enumerate(LABELS)}
    print(f"== {holdout} recipe {text or 'default'}: thresholds {thr}")
    for j, lab in enumerate(LABELS):
        pos = yho[:, j] > 0.5
        line = f"  {lab:13s}"
        if pos.any():
            c = scratch.counts(sho[:, j], yho[:, j], thr[lab])
            line += (f" held-out P/R/F1 {c['precision']:.2f}/{c['recall']:.2f}/{c['f1']:.2f}"
                     f" recall@0.5 {float((sho[pos, j] >= 0.5).mean()):.2f}")
            if (~pos).any():
                line += f" AUC {auc(sho[:, j], pos):.3f}"
        if clear_ho.any():
            line += f" held-out clear fire {float((sho[clear_ho, j] >= thr[lab]).mean()):.1%}"
        fires = []
        for g in sorted(set(gva[clear_va].tolist())):
            m = clear_va & (gva == g)
            fires.append(f"{g.split('-')[0][:8]} {float((sva[m, j] >= thr[lab]).mean()):.1%}")
        line += " | val clear: " + ", ".join(fires)
        vpos = yva[:, j] > 0.5
        if vpos.any():
            line += f" | val recall {float((sva[vpos, j] >= thr[lab]).mean()):.2f}"
        print(line)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
