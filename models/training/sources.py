"""Real photo sources, near-duplicate grouping and the by-source split.

Layout: DATA/<source>/<label>/*.jpg|png. A source named in holdout goes entirely to validation.
Sources whose labels exist nowhere else are split by near-duplicate group (difference hash), so
two crops or re-encodings of one photo never sit on both sides of the split.
"""
import hashlib
import os
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

LABELS = ["snow", "flood", "open_manhole", "dumping"]
FOLDERS = LABELS + ["clear"]
EXTENSIONS = (".jpg", ".jpeg", ".png")
STORE_SIDE = 256          # images are kept in memory with this long side


def shrink(pil, size):
    """Resize like the runtime's ZoneCrop: area averaging (PIL BOX = OpenCV INTER_AREA) when shrinking,
    bilinear when enlarging. PIL's antialiased BILINEAR shrink is softer than INTER_AREA; a model trained
    on it scored the same photo differently in Java (19 vs 34 of 103 snow false alarms)."""
    w, h = size
    return pil.resize(size, Image.BOX if w <= pil.width and h <= pil.height else Image.BILINEAR)


@dataclass(eq=False)   # identity: two photos with equal pixels are still two items
class Item:
    source: str
    label: str            # folder label: one of FOLDERS
    path: str
    image: np.ndarray = field(repr=False, default=None)   # RGB uint8, long side at most the store side
    dhash: int = 0
    box: tuple = None     # (x0, y0, x1, y1) in stored pixels of what makes the label true, when known

    def target(self):
        t = np.zeros(len(LABELS), np.float32)
        if self.label != "clear":
            t[LABELS.index(self.label)] = 1.0
        return t


def _dhash(img):
    g = np.asarray(Image.fromarray(img).convert("L").resize((9, 8), Image.BILINEAR), np.int16)   # grouping only
    bits = (g[:, 1:] > g[:, :-1]).flatten()
    return int("".join("1" if b else "0" for b in bits), 2)


def load_source(root, source, store_side=STORE_SIDE, boxes=None):
    """boxes: {"label/file": (x, y, width, height)} in the file's pixels, attached scaled to the item."""
    items, unreadable = [], []
    for label in FOLDERS:
        folder = os.path.join(root, source, label)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.lower().endswith(EXTENSIONS):
                continue
            path = os.path.join(folder, name)
            try:
                with Image.open(path) as im:
                    im = im.convert("RGB")
                    scale = min(1.0, store_side / max(im.size))
                    if scale < 1:
                        im = shrink(im, (max(1, round(im.width * scale)), max(1, round(im.height * scale))))
                    arr = np.asarray(im, np.uint8).copy()
            except (OSError, ValueError) as e:
                unreadable.append(f"{path}: {e}")
                continue
            box = (boxes or {}).get(f"{label}/{name}")
            if box is not None:
                x, y, bw, bh = box
                box = (int(x * scale), int(y * scale), int((x + bw) * scale + 0.999), int((y + bh) * scale + 0.999))
            items.append(Item(source, label, path, arr, _dhash(arr), box))
    return items, unreadable


def load_boxes(folder):
    """FOLDER/boxes.csv (file,label,x,y,width,height), as the simulator's frame dump writes it; {} if absent."""
    path = os.path.join(folder, "boxes.csv")
    if not os.path.exists(path):
        return {}
    out = {}
    with open(path) as f:
        next(f, None)
        for line in f:
            parts = line.strip().split(",")
            if len(parts) == 6:
                out[parts[0]] = tuple(int(v) for v in parts[2:])
    return out


def list_sources(root):
    if not os.path.isdir(root):
        raise SystemExit(f"--data {root}: not a directory")
    return sorted(d for d in os.listdir(root)
                  if os.path.isdir(os.path.join(root, d)) and not d.startswith("."))


def near_duplicate_groups(items, max_distance=6):
    """Union-find over dHash Hamming distance; returns a group id per item."""
    n = len(items)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hashes = np.array([it.dhash for it in items], dtype=np.uint64)
    for i in range(n):
        x = np.bitwise_xor(hashes[i + 1:], hashes[i])
        dist = np.array([bin(int(v)).count("1") for v in x]) if len(x) else np.array([])
        for j in np.nonzero(dist <= max_distance)[0]:
            a, b = find(i), find(i + 1 + int(j))
            if a != b:
                parent[b] = a
    return [find(i) for i in range(n)]


def split(items, holdout_sources, val_fraction, seed):
    """Returns (train, val). Held-out sources go whole to val; the rest split by near-duplicate group."""
    groups = near_duplicate_groups(items)
    train, val = [], []
    for it, g in zip(items, groups):
        if it.source in holdout_sources:
            val.append(it)
            continue
        # A stable pseudo-random draw per group, so the split does not depend on file order.
        key = hashlib.sha256(f"{seed}:{items[g].path}".encode()).digest()
        draw = int.from_bytes(key[:8], "big") / 2 ** 64
        (val if draw < val_fraction else train).append(it)
    return train, val


def cross_duplicates(train, val, max_distance=6):
    """Near-duplicate pairs between the two sides (should be none within a source after split())."""
    if not train or not val:
        return []
    th = np.array([it.dhash for it in train], dtype=np.uint64)
    pairs = []
    for v in val:
        x = np.bitwise_xor(th, np.uint64(v.dhash))
        dist = np.array([bin(int(e)).count("1") for e in x])
        for j in np.nonzero(dist <= max_distance)[0]:
            pairs.append((train[int(j)].path, v.path, int(dist[j])))
    return pairs
