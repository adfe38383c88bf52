"""Head recipes on the cached backbone features, compared in seconds: how each does on a held-out source.

    /usr/bin/python3 models/training/street_experiments.py --data ../shared/data --sim DIR --holdout SOURCE \
        --recipe l2=0.01 --recipe l2=0.1,drop=syn_negative ...

Reads the samples and features street.py cached (run street.py with the same --holdout, --sim, --size first, or
let this make them), fits each recipe's heads, picks thresholds on validation data as street.py does, and prints
per type: the held-out source's precision / recall / F1 at that threshold and its ROC AUC (ranking, whatever the
threshold), and the share of validation clear photos of each real source that fire. Nothing is written.
"""
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
    import os
    os.makedirs(args.cache, exist_ok=True)
    path = os.path.join(args.cache, f"features-{args.size}.onnx")
    sha = street.centernet.write(street.with_heads(nodes, consts), path)
    tr, va, held, _ = street.samples_for(args)
    cache = street.FeatureCache(path, sha, args)
    xtr, xva, xho = cache.features(tr, "training"), cache.features(va, "validation"), cache.features(held, "held-out")
    ytr, yva, yho = (np.stack(s.targets) for s in (tr, va, held))
    gtr, gva, gho = (np.array(s.groups) for s in (tr, va, held))
    clear_va, clear_ho = np.array(va.clear), np.array(held.clear)
    for text in args.recipe or [""]:
        r = parse_recipe(text)
        keep = ~np.isin(gtr, r["drop"])
        groups = list(gtr[keep])
        w, b = street.fit_heads(xtr[keep], ytr[keep], groups, r["l2"], args.seed, r["weight"])
        sva, sho = street.predict(xva, w, b), street.predict(xho, w, b)
        if r.get("np"):
            thr = street.quiet_thresholds(sva, yva, gva, clear_va, r["max_clear_fpr"])
        else:
            thr = {lab: scratch.choose_threshold(sva[:, j], yva[:, j], clear_va, r["max_clear_fpr"])
                   for j, lab in enumerate(LABELS)}
        print(f"== {args.holdout} recipe {text or 'default'}: thresholds {thr}")
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
