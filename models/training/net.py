"""The incident classifier: a pretrained MobileNetV2 (pretrained.py) read at two depths, each mean and
max pooled, and a small head of our own. Max pooling keeps a small local cue (an opening in the road, a
pile at the kerb) from being averaged away; the middle depth (block_12, pure ImageNet weights) keeps
texture that the fine-tuned top layers may have traded for their own task."""
import torch
import torch.nn as nn
import torch.nn.functional as F

TAPS = ("block_12_add", "out_relu")


def pooled(maps):
    return torch.cat([torch.cat([F.adaptive_avg_pool2d(m, 1), F.adaptive_max_pool2d(m, 1)], 1).flatten(1)
                      for m in maps], 1)


class Features(nn.Module):
    """Backbone and pooling, plus the top feature map itself: what the head is trained on (the backbone
    stays frozen). Output: [pooled (mean and max of each tap) | top map flattened (C x H x W)]."""

    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone

    def forward(self, x):
        maps = self.backbone(x)
        return torch.cat([pooled(maps), maps[-1].flatten(1)], 1)


class Head(nn.Module):
    """Two branches into one hidden layer. The pooled branch sees the whole zone; the spatial branch runs a
    1x1 convolution over every cell of the top map and keeps each channel's maximum, so a small object in
    one cell (an opening, a pile at the kerb) is not diluted by the rest of the zone. Features are
    standardised with the training set's statistics."""

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


class IncidentNet(nn.Module):
    """What ships: image in, one logit per label out (the runtime applies the sigmoid)."""

    def __init__(self, features, head):
        super().__init__()
        self.features = features
        self.head = head

    def forward(self, x):
        return self.head(self.features(x))
