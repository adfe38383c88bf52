"""Procedural composites that make up for what the real photos lack.

The real sources have no open manholes, almost no street-level flooding and only one source of
garbage piles, so these functions paint those things onto real road photos at camera perspective.
Every function takes an RGB uint8 array (H, W, 3) and a numpy Generator and returns a new array
plus the box (x0, y0, x1, y1) of what it painted, so a later zone crop can keep it in view.
Hard negatives (closed covers, shadows, traffic cones, road markings) are painted the same way
so the classifier learns the difference, not the mere presence of a painted object.
"""
import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def _grid(h, w):
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return xs, ys


def _window(h, w, x0, y0, x1, y1):
    """Pixel grids of a clipped window, in frame coordinates: painting only there keeps composites cheap."""
    x0, y0 = int(max(0, np.floor(x0))), int(max(0, np.floor(y0)))
    x1, y1 = int(min(w, np.ceil(x1))), int(min(h, np.ceil(y1)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    return (slice(y0, y1), slice(x0, x1)), xs, ys


def _ellipse_alpha(xs, ys, cx, cy, a, b, power=2.0):
    """Soft-edged (super)ellipse coverage in 0..1; power > 2 gives square-ish shaft openings."""
    d = (np.abs((xs - cx) / a) ** power + np.abs((ys - cy) / b) ** power) ** (1.0 / power)
    return np.clip((1.0 - d) * min(a, b) + 0.5, 0.0, 1.0)


def _lowfreq_noise(rng, h, w, cells=6):
    small = rng.random((cells, cells)).astype(np.float32)
    img = Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    return np.asarray(img, dtype=np.float32) / 255.0


def _blend(img, alpha, colour):
    a = alpha[..., None]
    return img * (1.0 - a) + colour * a


def _road_point(rng, w, h, y_lo=0.58, y_hi=0.93):
    """A point on the road: lower part of the frame, nearer the middle the farther away it is."""
    cy = rng.uniform(y_lo, y_hi) * h
    near = (cy / h - 0.45) / 0.55          # 0 at the horizon-ish line, 1 at the bottom
    spread = 0.12 + 0.25 * near
    cx = (0.5 + rng.uniform(-spread, spread)) * w
    return cx, cy, near


def _cones(img, rng, cx, cy, size, count):
    """Orange traffic cones with a white band, standing near (cx, cy)."""
    pil = Image.fromarray(img.astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    boxes = []
    for _ in range(count):
        x = cx + rng.uniform(-2.2, 2.2) * size
        y = cy + rng.uniform(-0.6, 0.6) * size
        hgt = size * rng.uniform(0.9, 1.5)
        half = hgt * 0.28
        orange = tuple(int(v) for v in np.clip(np.array([235, 100, 25]) * rng.uniform(0.7, 1.1), 0, 255))
        draw.polygon([(x - half, y), (x + half, y), (x + half * 0.15, y - hgt), (x - half * 0.15, y - hgt)],
                     fill=orange)
        band_y0, band_y1 = y - hgt * 0.62, y - hgt * 0.45
        draw.polygon([(x - half * 0.55, band_y1), (x + half * 0.55, band_y1),
                      (x + half * 0.42, band_y0), (x - half * 0.42, band_y0)], fill=(235, 235, 235))
        draw.rectangle([x - half * 1.3, y - hgt * 0.06, x + half * 1.3, y], fill=(40, 40, 40))
        boxes.append((x - half * 1.3, y - hgt, x + half * 1.3, y))
    return np.asarray(pil, dtype=np.float32), boxes


def _union(boxes, w, h):
    x0 = max(0, min(b[0] for b in boxes))
    y0 = max(0, min(b[1] for b in boxes))
    x1 = min(w, max(b[2] for b in boxes))
    y1 = min(h, max(b[3] for b in boxes))
    return int(x0), int(y0), int(x1), int(y1)


def _cover_texture(xs, ys, cx, cy, a, b, rng):
    """Cast-iron cover: base grey with a grid or concentric pattern in perspective."""
    base = rng.uniform(45, 120)
    u, v = (xs - cx) / a, (ys - cy) / b
    if rng.random() < 0.5:
        pat = (np.sin(u * rng.uniform(9, 16)) * np.sin(v * rng.uniform(9, 16)) > 0).astype(np.float32)
    else:
        pat = (np.sin(np.sqrt(u * u + v * v) * rng.uniform(10, 20)) > 0.3).astype(np.float32)
    tex = base + (pat - 0.5) * rng.uniform(10, 35)
    tint = np.array([1.0, rng.uniform(0.92, 1.0), rng.uniform(0.82, 1.0)], np.float32)
    return tex[..., None] * tint


def open_manhole(img, rng):
    h, w = img.shape[:2]
    out = img.astype(np.float32).copy()
    cx, cy, near = _road_point(rng, w, h)
    a = w * rng.uniform(0.045, 0.11) * (0.5 + near)         # half-width of the opening
    b = a * rng.uniform(0.3, 0.62)                            # flattened by the camera's tilt
    power = 2.0 if rng.random() < 0.8 else rng.uniform(4, 8)
    win, xs, ys = _window(h, w, cx - 3.4 * a, cy - 1.6 * b - 1.2 * a, cx + 3.4 * a, cy + 2.0 * b)
    full = out
    out = full[win]
    wh, ww = out.shape[:2]
    # Dirt and wear around the rim.
    halo = _ellipse_alpha(xs, ys, cx, cy + b * 0.1, a * 1.5, b * 1.5) * rng.uniform(0.1, 0.35)
    out = _blend(out, halo, np.array([60, 55, 50], np.float32))
    rim = _ellipse_alpha(xs, ys, cx, cy, a * rng.uniform(1.12, 1.3), b * rng.uniform(1.12, 1.3), power)
    rim_col = np.array([1.0, 0.97, 0.92], np.float32) * rng.uniform(55, 150)
    rim_tex = rim_col + (rng.random((wh, ww, 1)).astype(np.float32) - 0.5) * 30
    out = out * (1 - rim[..., None]) + rim_tex * rim[..., None]
    hole = _ellipse_alpha(xs, ys, cx, cy, a, b, power)
    depth = rng.uniform(4, 40)
    black = np.full((wh, ww, 3), depth, np.float32) + (rng.random((wh, ww, 1)) - 0.5) * 8
    out = out * (1 - hole[..., None]) + black * hole[..., None]
    # The far inner wall of the shaft shows as a lit crescent at the top of the opening.
    shift = b * rng.uniform(0.3, 0.75)
    wall = hole * (1 - _ellipse_alpha(xs, ys, cx, cy + shift, a, b, power))
    shade = np.clip(1.0 - (ys - (cy - b)) / (2 * b + 1e-3), 0.2, 1.0)
    wall_col = (np.array([1.0, 0.93, 0.82], np.float32) * rng.uniform(45, 120)) * shade[..., None]
    out = out * (1 - wall[..., None] * 0.9) + wall_col * wall[..., None] * 0.9
    boxes = [(cx - a * 1.5, cy - b * 1.5, cx + a * 1.5, cy + b * 1.5)]
    r = rng.random()
    if r < 0.55:       # the cover lies displaced beside the hole
        side = rng.choice([-1, 1])
        ccx = cx + side * a * rng.uniform(0.9, 1.8)
        ccy = cy + rng.uniform(-0.6, 0.8) * b
        cover = _ellipse_alpha(xs, ys, ccx, ccy, a * 1.1, b * 1.1)
        out = out * (1 - cover[..., None]) + _cover_texture(xs, ys, ccx, ccy, a, b, rng) * cover[..., None]
        boxes.append((ccx - a * 1.2, ccy - b * 1.2, ccx + a * 1.2, ccy + b * 1.2))
    elif r < 0.65:     # the cover stands on its edge against the rim
        ccx = cx + rng.uniform(-0.5, 0.5) * a
        cover = _ellipse_alpha(xs, ys, ccx, cy - b * 1.2, a * 0.25, a * 0.9)
        out = out * (1 - cover[..., None]) + _cover_texture(xs, ys, ccx, cy - b, a * 0.25, a, rng) * cover[..., None]
        boxes.append((ccx - a * 0.3, cy - b * 1.2 - a, ccx + a * 0.3, cy))
    full[win] = out
    out = full
    if rng.random() < 0.35:
        out, cone_boxes = _cones(out, rng, cx, cy + b, b * rng.uniform(2.0, 3.5), int(rng.integers(1, 4)))
        boxes += cone_boxes
    return np.clip(out, 0, 255), _union(boxes, w, h)


def closed_manhole(img, rng):
    """Hard negative: a cover in its frame, flush with the road."""
    h, w = img.shape[:2]
    out = img.astype(np.float32).copy()
    cx, cy, near = _road_point(rng, w, h)
    a = w * rng.uniform(0.035, 0.08) * (0.45 + near)
    b = a * rng.uniform(0.3, 0.62)
    win, xs, ys = _window(h, w, cx - 1.3 * a, cy - 1.3 * b, cx + 1.3 * a, cy + 1.3 * b)
    full = out
    out = full[win]
    rim = _ellipse_alpha(xs, ys, cx, cy, a * 1.15, b * 1.15)
    out = _blend(out, rim * rng.uniform(0.5, 0.9), np.array([95, 92, 88], np.float32) * rng.uniform(0.6, 1.3))
    cover = _ellipse_alpha(xs, ys, cx, cy, a, b)
    out = out * (1 - cover[..., None]) + _cover_texture(xs, ys, cx, cy, a, b, rng) * cover[..., None]
    full[win] = out
    out = full
    if rng.random() < 0.2:
        out, _ = _cones(out, rng, cx, cy + b, b * rng.uniform(2.0, 3.5), int(rng.integers(1, 3)))
    return np.clip(out, 0, 255), (int(cx - a), int(cy - b), int(cx + a), int(cy + b))


def shadow(img, rng):
    """Hard negative: soft dark blobs (shadows of cars, trees, poles) and dark stains on the road."""
    h, w = img.shape[:2]
    out = img.astype(np.float32).copy()
    xs, ys = _grid(h, w)
    boxes = []
    for _ in range(int(rng.integers(1, 4))):
        cx, cy, near = _road_point(rng, w, h, 0.5, 0.95)
        a = w * rng.uniform(0.05, 0.25) * (0.4 + near)
        b = a * rng.uniform(0.15, 0.6)
        m = _ellipse_alpha(xs, ys, cx, cy, a, b, rng.uniform(1.5, 4))
        m = np.asarray(Image.fromarray((m * 255).astype(np.uint8)).filter(
            ImageFilter.GaussianBlur(rng.uniform(0.5, 3))), np.float32) / 255
        out = out * (1 - m[..., None] * rng.uniform(0.3, 0.75))
        boxes.append((cx - a, cy - b, cx + a, cy + b))
    return np.clip(out, 0, 255), _union(boxes, w, h)


def cones_only(img, rng):
    """Hard negative: road works without an opening."""
    h, w = img.shape[:2]
    cx, cy, near = _road_point(rng, w, h)
    out, boxes = _cones(img.astype(np.float32), rng, cx, cy, h * rng.uniform(0.04, 0.12) * (0.5 + near),
                        int(rng.integers(1, 5)))
    return np.clip(out, 0, 255), _union(boxes, w, h)


def road_markings(img, rng):
    """Hard negative: zebra crossing or painted stripes."""
    h, w = img.shape[:2]
    pil = Image.fromarray(img.astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    y0 = rng.uniform(0.6, 0.85) * h
    depth = rng.uniform(0.05, 0.12) * h
    n = int(rng.integers(5, 12))
    x_start = rng.uniform(0.0, 0.3) * w
    step = (w - 2 * x_start) / n
    shade = int(rng.uniform(170, 240))
    for i in range(0, n, 2):
        x = x_start + i * step
        draw.polygon([(x, y0 + depth), (x + step, y0 + depth), (x + step * 0.9, y0), (x + step * 0.1, y0)],
                     fill=(shade, shade, shade - 5))
    return np.asarray(pil, np.float32), (int(x_start), int(y0), int(w - x_start), int(y0 + depth))


# Mostly white and grey plastic, black bags, cardboard and dirt; a few bright wrappers.
_GARBAGE = np.array([
    [235, 235, 230], [215, 220, 225], [200, 200, 190], [185, 180, 170], [160, 160, 155], [25, 25, 30],
    [40, 40, 45], [150, 110, 70], [170, 140, 100], [120, 95, 70], [90, 70, 50], [128, 128, 128],
    [40, 80, 170], [120, 170, 220], [180, 40, 40], [50, 120, 60], [210, 190, 60], [220, 150, 170],
], np.float32)
_GARBAGE_P = np.array([8, 8, 6, 5, 5, 6, 4, 6, 5, 5, 5, 5, 2, 2, 2, 2, 1.5, 1.5])
_GARBAGE_P = _GARBAGE_P / _GARBAGE_P.sum()


def garbage(img, rng):
    """A dumped pile: hundreds of bags, boxes and scraps heaped on the roadside, plus strewn litter."""
    h, w = img.shape[:2]
    scale = 2
    base = Image.fromarray(img.astype(np.uint8)).resize((w * scale, h * scale), Image.BILINEAR)
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    W, H = base.size
    sparse = rng.random() < 0.2
    side = rng.choice([0.2, 0.5, 0.8], p=[0.4, 0.2, 0.4])
    cx = (side + rng.uniform(-0.15, 0.15)) * W
    base_y = rng.uniform(0.75, 1.02) * H
    pw = rng.uniform(0.3, 0.95) * W * (0.6 + 0.4 * base_y / H)
    ph = pw * rng.uniform(0.2, 0.55)
    if sparse:
        ph = pw * 0.35
    # Dirt patch under the pile.
    draw.ellipse([cx - pw * 0.6, base_y - ph * 0.5, cx + pw * 0.6, base_y + ph * 0.15],
                 fill=(int(rng.uniform(60, 110)), int(rng.uniform(55, 95)), int(rng.uniform(40, 75)), 150))
    # Dark gaps between the items.
    us = np.linspace(-1, 1, 24)
    outline = [(cx + u * pw * 0.48, base_y - ph * 0.9 * np.sqrt(1 - u * u) * rng.uniform(0.5, 1.1)) for u in us]
    draw.polygon(outline + [(cx + pw * 0.48, base_y), (cx - pw * 0.48, base_y)],
                 fill=(int(rng.uniform(30, 70)),) * 3 + (0 if sparse else 230,))
    n = int(rng.integers(250, 800)) if not sparse else int(rng.integers(80, 250))
    items = []
    for _ in range(n):
        u = rng.uniform(-1, 1)
        top = base_y - (ph * np.sqrt(max(0.0, 1 - u * u)) * rng.uniform(0.6, 1.1) if not sparse else ph)
        y = rng.uniform(top, base_y)
        items.append((y, cx + u * pw / 2))
    items.sort()
    size_lo, size_hi = (0.012, 0.05) if not sparse else (0.008, 0.03)
    for y, x in items:
        s = pw * rng.uniform(size_lo, size_hi) * (0.6 + 0.4 * y / H)
        col = _GARBAGE[rng.choice(len(_GARBAGE), p=_GARBAGE_P)] * rng.uniform(0.6, 1.15)
        col = tuple(int(c) for c in np.clip(col + rng.normal(0, 12, 3), 0, 255)) + (255,)
        kind = rng.random()
        if kind < 0.45:
            k = int(rng.integers(4, 8))
            ang = np.sort(rng.uniform(0, 2 * np.pi, k))
            rad = s * rng.uniform(0.5, 1.0, k)
            draw.polygon([(x + r * np.cos(t), y + r * np.sin(t) * 0.7) for r, t in zip(rad, ang)], fill=col)
        elif kind < 0.8:
            draw.ellipse([x - s, y - s * 0.7, x + s, y + s * 0.7], fill=col)
            if rng.random() < 0.5:  # plastic sheen
                hl = tuple(min(255, c + 60) for c in col[:3]) + (200,)
                draw.ellipse([x - s * 0.5, y - s * 0.55, x, y - s * 0.2], fill=hl)
        else:
            draw.rectangle([x - s, y - s * 0.5, x + s * rng.uniform(0.3, 1.2), y + s * 0.5], fill=col)
        if rng.random() < 0.3:
            draw.line([x - s, y + s * 0.6, x + s, y + s * 0.6], fill=(20, 20, 20, 120), width=max(1, int(s / 6)))
    # Strewn litter around the pile.
    for _ in range(int(rng.integers(10, 80))):
        x = cx + rng.normal(0, pw * 0.6)
        y = base_y - rng.uniform(-0.1, 1.2) * ph
        s = pw * rng.uniform(0.006, 0.02)
        col = tuple(int(c) for c in _GARBAGE[rng.integers(len(_GARBAGE))]) + (255,)
        draw.ellipse([x - s, y - s * 0.6, x + s, y + s * 0.6], fill=col)
    base.alpha_composite(layer) if base.mode == "RGBA" else base.paste(layer, (0, 0), layer)
    base = base.resize((w, h), Image.BILINEAR)
    out = np.asarray(base, np.float32)
    out += (rng.random((h, w, 1)).astype(np.float32) - 0.5) * 10
    box = (int((cx - pw * 0.7) / scale), int((base_y - ph * 1.3) / scale),
           int((cx + pw * 0.7) / scale), int(min(H, base_y + ph * 0.2) / scale))
    box = (max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3]))
    return np.clip(out, 0, 255), box


def street_flood(img, rng):
    """Standing water over the road: mirrored sky and scene, ripples, mud colour, glints."""
    h, w = img.shape[:2]
    src = img.astype(np.float32)
    xs, ys = _grid(h, w)
    puddle = rng.random() < 0.35
    y_line = rng.uniform(0.4, 0.72) * h
    wobble = (np.sin(xs[0] / w * rng.uniform(3, 12) + rng.uniform(0, 6)) * rng.uniform(0.005, 0.04) * h
              + (_lowfreq_noise(rng, 1, w, 8)[0] - 0.5) * 0.06 * h)
    mask = (ys > (y_line + wobble)[None, :]).astype(np.float32)
    if puddle:
        blob = _lowfreq_noise(rng, h, w, int(rng.integers(3, 6)))
        blob = blob * np.clip((ys / h - 0.45) * 3, 0, 1)
        mask = (blob > np.quantile(blob, rng.uniform(0.55, 0.8))).astype(np.float32)
    mask = np.asarray(Image.fromarray((mask * 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(rng.uniform(0.6, 2.0))), np.float32) / 255
    # Reflection: mirror the frame about the water line, shifted by ripples.
    amp = rng.uniform(0.5, 4.0)
    wl = rng.uniform(2.5, 9.0)
    src_y = np.clip(2 * y_line - ys, 0, h - 1)
    src_x = np.clip(xs + amp * np.sin(ys / wl * 2 * np.pi + rng.uniform(0, 6)) * (ys / h), 0, w - 1)
    refl = src[src_y.astype(np.int32), src_x.astype(np.int32)]
    refl = np.asarray(Image.fromarray(refl.astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(rng.uniform(0.3, 1.8))), np.float32)
    water = np.array([rng.choice([120, 95, 70, 60]), rng.choice([100, 95, 72, 66]), rng.choice([70, 80, 60, 72])],
                     np.float32) * rng.uniform(0.7, 1.25)
    mix = rng.uniform(0.25, 0.75)
    turb = _lowfreq_noise(rng, h, w, 10)[..., None]
    surface = refl * mix + water * (1 - mix) * (0.85 + 0.3 * turb)
    surface *= rng.uniform(0.7, 1.0)
    # Glints on ripple crests.
    crest = (np.sin(ys / wl * 2 * np.pi * 1.7 + xs * 0.05) > 0.985) & (rng.random((h, w)) < 0.08)
    surface[crest] = np.minimum(255, surface[crest] + rng.uniform(20, 70))
    # Water smears reflections vertically.
    surface = np.asarray(Image.fromarray(np.clip(surface, 0, 255).astype(np.uint8)).filter(
        ImageFilter.BoxBlur(0.6)), np.float32)
    if not puddle and rng.random() < 0.5:   # keep part of the original visible through shallow water
        surface = surface * 0.8 + src * 0.2
    out = src * (1 - mask[..., None]) + surface * mask[..., None]
    rows = np.where(mask.max(axis=1) > 0.5)[0]
    cols = np.where(mask.max(axis=0) > 0.5)[0]
    if len(rows) == 0:
        return np.clip(out, 0, 255), (0, int(y_line), w, h)
    return np.clip(out, 0, 255), (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)


def dry_dirt(img, rng):
    """A negative for flood: bare dry earth, sand or gravel over the roadside or a whole unpaved road. Brown like
    muddy flood water, but grainy, matte and without reflections (a known false alarm on roadside photos)."""
    h, w = img.shape[:2]
    src = img.astype(np.float32)
    xs, ys = _grid(h, w)
    blob = _lowfreq_noise(rng, h, w, int(rng.integers(2, 6))) * np.clip((ys / h - rng.uniform(0.2, 0.5)) * 3, 0, 1)
    mask = (blob > np.quantile(blob, rng.uniform(0.3, 0.75))).astype(np.float32)
    mask = np.asarray(Image.fromarray((mask * 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(rng.uniform(1.0, 4.0))), np.float32) / 255
    soil = np.array([rng.uniform(110, 190), rng.uniform(85, 150), rng.uniform(55, 110)], np.float32)
    grain = rng.normal(0, rng.uniform(6, 22), (h, w, 1)).astype(np.float32)
    clumps = (_lowfreq_noise(rng, h, w, int(rng.integers(12, 30)))[..., None] - 0.5) * rng.uniform(20, 60)
    surface = soil[None, None, :] * (0.9 + 0.2 * _lowfreq_noise(rng, h, w, 5)[..., None]) + grain + clumps
    if rng.random() < 0.4:   # stones and litter-free gravel
        stones = rng.random((h, w)) < rng.uniform(0.005, 0.03)
        surface[stones] = surface[stones] * rng.uniform(0.5, 1.4)
    out = src * (1 - mask[..., None]) + surface * mask[..., None]
    return np.clip(out, 0, 255), None


def snow_cover(img, rng):
    """Snow and slush on the road surface with darker wheel tracks toward the vanishing point."""
    h, w = img.shape[:2]
    out = img.astype(np.float32).copy()
    xs, ys = _grid(h, w)
    y_line = rng.uniform(0.35, 0.65) * h
    mask = np.clip((ys - y_line) / (0.05 * h), 0, 1)
    white = np.array([235, 238, 245], np.float32) * rng.uniform(0.8, 1.02)
    tex = 0.85 + 0.25 * _lowfreq_noise(rng, h, w, 12)[..., None]
    layer = white * tex
    pil = Image.fromarray(np.clip(layer, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    vx = rng.uniform(0.35, 0.65) * w
    for _ in range(int(rng.integers(2, 6))):
        bx = rng.uniform(-0.2, 1.2) * w
        grey = int(rng.uniform(130, 200))
        draw.line([(vx, y_line), (bx, h)], fill=(grey, grey, grey + 5), width=int(rng.uniform(4, 16)))
    layer = np.asarray(pil.filter(ImageFilter.GaussianBlur(rng.uniform(1.5, 4))), np.float32)
    alpha = mask * rng.uniform(0.65, 0.95)
    out = out * (1 - alpha[..., None]) + layer * alpha[..., None]
    if rng.random() < 0.5:  # grey winter sky
        sky = np.clip(1 - ys / (y_line + 1), 0, 1) * rng.uniform(0.2, 0.6)
        out = _blend(out, sky, np.array([200, 205, 212], np.float32))
    return np.clip(out, 0, 255), (0, int(y_line), w, h)


POSITIVE = {
    "open_manhole": open_manhole,
    "dumping": garbage,
    "flood": street_flood,
    "snow": snow_cover,
}
NEGATIVE = [closed_manhole, shadow, cones_only, road_markings, dry_dirt]
COVERS_ROAD = {dry_dirt}   # negatives that replace the road surface: painted on clear photos only
