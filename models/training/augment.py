"""Zone crops and camera degradations applied to every training sample.

The runtime squashes a zone's bounding box to the input size and fills pixels outside the zone
polygon with the mean colour, so training does the same: random zone-like crops, squashing,
and sometimes a polygon mask filled with mean grey. The rest imitates what street cameras do to
a picture: night, dusk, rain and snowfall, fog, blur, low resolution, sensor noise, JPEG blocks,
on-screen timestamps and grey infrared frames.
"""
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

MEAN_GREY = 127  # 0.5 * 255, normalises to 0


def zone_crop(img, rng, keep_box=None, min_frac=0.45):
    """A random rectangle of the frame; it contains keep_box (what makes the label true) if given."""
    h, w = img.shape[:2]
    if rng.random() < 0.35:
        return img
    cw = int(w * rng.uniform(min_frac, 1.0))
    ch = int(h * rng.uniform(min_frac, 1.0))
    if keep_box is not None:
        bx0, by0, bx1, by1 = keep_box
        cw = max(cw, min(w, bx1 - bx0 + 4))
        ch = max(ch, min(h, by1 - by0 + 4))
        lo_x, hi_x = max(0, bx1 - cw), min(bx0, w - cw)
        lo_y, hi_y = max(0, by1 - ch), min(by0, h - ch)
        if hi_x < lo_x:
            lo_x, hi_x = 0, w - cw
        if hi_y < lo_y:
            lo_y, hi_y = 0, h - ch
    else:
        lo_x, hi_x, lo_y, hi_y = 0, w - cw, 0, h - ch
    x0 = int(rng.integers(lo_x, hi_x + 1))
    # Road zones sit low in the frame: prefer lower crops.
    y0 = int(lo_y + (hi_y - lo_y) * rng.uniform(0.3, 1.0) ** 0.5) if hi_y > lo_y else lo_y
    return img[y0:y0 + ch, x0:x0 + cw]


def object_crop(img, rng, box):
    """What the dumping tracker scores to confirm a left-behind object: the object's box with some of its
    surroundings (DumpingPolicy.pileContext, 0.5 of its size per side; its foreground box is often smaller
    than the heap, so 0.1-0.45 around the true box here covers what it asks about)."""
    h, w = img.shape[:2]
    x0, y0, x1, y1 = box
    bw, bh = max(2, x1 - x0), max(2, y1 - y0)
    gx0, gx1 = (rng.uniform(0.1, 0.45, 2) * bw).astype(int)
    gy0, gy1 = (rng.uniform(0.1, 0.45, 2) * bh).astype(int)
    cx0, cy0 = max(0, x0 - gx0), max(0, y0 - gy0)
    cx1, cy1 = min(w, x1 + gx1), min(h, y1 + gy1)
    return img[cy0:cy1, cx0:cx1]


def other_object_crop(img, rng, avoid=None):
    """An object-sized region of the lower frame away from `avoid`: a car, a shadow, a curb, a sign.
    The tracker asks the classifier about such regions too, when something parked stays a while."""
    h, w = img.shape[:2]
    for _ in range(8):
        bw = int(w * rng.uniform(0.08, 0.35))
        bh = int(min(h * 0.6, bw * rng.uniform(0.4, 1.2)))
        x0 = int(rng.integers(0, max(1, w - bw)))
        y0 = int(rng.integers(int(h * 0.35), max(int(h * 0.35) + 1, h - bh)))
        if avoid is None or _overlap(avoid, (x0, y0, x0 + bw, y0 + bh)) < 0.05:
            return img[y0:y0 + bh, x0:x0 + bw]
    return None


def _overlap(a, b):
    """Share of box a covered by box b."""
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    return ix * iy / max(1, (a[2] - a[0]) * (a[3] - a[1]))


def _polygon_mask(pil, rng):
    """A road-like zone polygon: the frame with its top corners (and sometimes bottom ones) cut off, as a
    zone drawn along a road in perspective; the rest becomes mean grey like the runtime's fill."""
    w, h = pil.size
    top_l, top_r = rng.uniform(0, 0.4) * w, w - rng.uniform(0, 0.4) * w
    pts = [(top_l, 0), (top_r, 0)]
    if rng.random() < 0.4:
        pts += [(w, rng.uniform(0.5, 0.9) * h), (w, h), (0, h), (0, rng.uniform(0.5, 0.9) * h)]
    else:
        pts += [(w, h), (0, h)]
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).polygon(pts, fill=255)
    grey = Image.new("RGB", (w, h), (MEAN_GREY,) * 3)
    return Image.composite(pil, grey, mask)


def _timestamp(pil, rng):
    draw = ImageDraw.Draw(pil)
    text = f"2026-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d} {rng.integers(0, 24):02d}:" \
           f"{rng.integers(0, 60):02d}:{rng.integers(0, 60):02d}  CAM {rng.integers(1, 9999):04d}"
    x, y = rng.integers(2, 20), rng.choice([2, pil.height - 14])
    draw.text((x + 1, y + 1), text, fill=(0, 0, 0))
    draw.text((x, y), text, fill=(255, 255, 255))
    return pil


def degrade(pil, rng):
    """Photometric and camera augmentation on a PIL image already at input size; returns float32 HWC 0..1."""
    w, h = pil.size
    if rng.random() < 0.5:
        pil = pil.transpose(Image.FLIP_LEFT_RIGHT)
    if rng.random() < 0.15:
        pil = pil.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.5)))
    if rng.random() < 0.2:
        side = int(rng.integers(40, 100))
        pil = pil.resize((side, max(8, int(side * h / w))), Image.BILINEAR).resize((w, h), Image.BILINEAR)
    x = np.asarray(pil, np.float32) / 255.0
    # Colour: brightness, contrast, saturation, channel balance, gamma.
    x = x * rng.uniform(0.75, 1.25)
    m = x.mean()
    x = (x - m) * rng.uniform(0.75, 1.25) + m
    grey = x.mean(axis=2, keepdims=True)
    x = grey + (x - grey) * rng.uniform(0.5, 1.4)
    x = x * rng.uniform(0.9, 1.1, size=3).astype(np.float32)
    x = np.clip(x, 0, 1) ** rng.uniform(0.75, 1.35)
    r = rng.random()
    if r < 0.1:        # night: dark, blue-grey, noisy, with lamp glows (still lit enough to see the road)
        x = x ** 1.3 * rng.uniform(0.4, 0.7) * np.array([0.85, 0.9, 1.1], np.float32)
        ys, xs = np.mgrid[0:h, 0:w]
        for _ in range(int(rng.integers(0, 4))):
            lx, ly, rad = rng.uniform(0, w), rng.uniform(0, h * 0.5), rng.uniform(4, 18)
            glow = np.exp(-((xs - lx) ** 2 + (ys - ly) ** 2) / (2 * rad * rad))[..., None]
            x = x + glow * np.array([1.0, 0.75, 0.4], np.float32) * rng.uniform(0.3, 0.9)
        x = x + rng.normal(0, rng.uniform(0.02, 0.06), x.shape)
    elif r < 0.18:     # dusk
        x = x * rng.uniform(0.45, 0.75) * np.array([1.1, 0.9, 0.75], np.float32)
    elif r < 0.24:     # fog
        x = x * (1 - (f := rng.uniform(0.15, 0.4))) + f * rng.uniform(0.6, 0.85)
    if rng.random() < 0.08:   # rain streaks
        layer = Image.new("L", (w, h), 0)
        d = ImageDraw.Draw(layer)
        slant = rng.uniform(-0.4, 0.4)
        for _ in range(int(rng.integers(40, 200))):
            px, py, ln = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(4, 14)
            d.line([(px, py), (px + slant * ln, py + ln)], fill=int(rng.uniform(90, 200)), width=1)
        a = np.asarray(layer, np.float32)[..., None] / 255.0 * rng.uniform(0.3, 0.6)
        x = x * (1 - a) + a * 0.85
    if rng.random() < 0.06:   # falling snow (not snow on the road: the label stays)
        layer = Image.new("L", (w, h), 0)
        d = ImageDraw.Draw(layer)
        for _ in range(int(rng.integers(60, 400))):
            px, py, s = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.5, 1.8)
            d.ellipse([px - s, py - s, px + s, py + s], fill=255)
        layer = layer.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
        a = np.asarray(layer, np.float32)[..., None] / 255.0 * rng.uniform(0.5, 1.0)
        x = x * (1 - a) + a
    if rng.random() < 0.25:
        x = x + rng.normal(0, rng.uniform(0.01, 0.04), x.shape)
    if rng.random() < 0.07:   # infrared night mode
        x = np.repeat(x.mean(axis=2, keepdims=True), 3, axis=2)
    pil = Image.fromarray((np.clip(x, 0, 1) * 255).astype(np.uint8))
    if rng.random() < 0.2:
        pil = _timestamp(pil, rng)
    if rng.random() < 0.35:   # the camera's encoder comes before the runtime's zone mask
        buf = io.BytesIO()
        pil.save(buf, "JPEG", quality=int(rng.integers(15, 75)))
        buf.seek(0)
        pil = Image.open(buf).convert("RGB")
    if rng.random() < 0.15:
        pil = _polygon_mask(pil, rng)
    return np.asarray(pil, np.float32) / 255.0
