# What the arm-owner and arm-tip training scripts share (#13): the net both are, its soft targets, the
# quarter-turn and mirror augmentation and the decoding of a map's best cell. Nothing here draws a random
# number at import, so a script's seeds decide its training alone.
import json

import numpy as np
import torch
from torch import nn

from layers import block

STRIDE = 2
SIGMA_CELLS = 1.0


class ArmNet(nn.Module):
    """Full-resolution colour edges first (an arm is ~3 px wide), then stride 2 with growing dilations so
    every cell sees the whole patch: from the hand at its centre along the arm to the shoulder. Two constant
    channels give each pixel its place relative to the hand."""

    def __init__(self, crop, heads=1):
        super().__init__()
        ys, xs = torch.meshgrid(torch.arange(crop), torch.arange(crop), indexing="ij")
        coords = torch.stack([(xs + 0.5) / crop - 0.5, (ys + 0.5) / crop - 0.5]).float().unsqueeze(0)
        self.register_buffer("coords", coords)
        self.body = nn.Sequential(
            block(5, 12),
            block(12, 20, stride=2),
            block(20, 24),
            block(24, 24, dilation=2),
            block(24, 24, dilation=4),
            block(24, 24, dilation=8),
            block(24, 24, dilation=2),
        )
        self.head = nn.Conv2d(24, heads, 1)

    def forward(self, x):
        """[n, heads, cells, cells] logits (arm-owner: the owner; arm-tip: the owner, then the arm's end)."""
        c = self.coords.expand(x.shape[0], -1, -1, -1)
        return self.head(self.body(torch.cat([x, c], dim=1)))


def soft_targets(owners, cells):
    """[n, cells*cells] probabilities: a Gaussian of SIGMA_CELLS at each owner (clamped into the patch)."""
    centres = (np.arange(cells) + 0.5).astype(np.float32)
    gx = np.clip(owners[:, 0] / STRIDE, 0, cells - 1e-3)
    gy = np.clip(owners[:, 1] / STRIDE, 0, cells - 1e-3)
    wx = np.exp(-((centres[None, :] - gx[:, None]) ** 2) / (2 * SIGMA_CELLS**2))
    wy = np.exp(-((centres[None, :] - gy[:, None]) ** 2) / (2 * SIGMA_CELLS**2))
    t = wy[:, :, None] * wx[:, None, :]
    t /= t.sum(axis=(1, 2), keepdims=True)
    return t.reshape(len(owners), -1)


def augment(x, points, crop):
    """Rotate by k quarter turns and maybe mirror, the whole batch alike; points (owners, tips) are
    [n, 2] arrays in continuous patch pixels, turned with it."""
    k = np.random.randint(4)
    ps = [p.copy() for p in points]
    for _ in range(k):
        # np.rot90 on (H, W): new[i, j] = old[j, C-1-i] -> new_x = old_y, new_y = C - old_x
        x = torch.rot90(x, 1, dims=(2, 3))
        ps = [np.stack([p[:, 1], crop - p[:, 0]], axis=1) for p in ps]
    if np.random.rand() < 0.5:
        x = torch.flip(x, dims=(3,))
        ps = [np.stack([crop - p[:, 0], p[:, 1]], axis=1) for p in ps]
    return x, ps


def decode(prob, cells):
    """Best cell's centre in patch pixels."""
    best = prob.argmax(dim=1)
    return torch.stack([(best % cells).float() + 0.5, (best // cells).float() + 0.5], dim=1) * STRIDE


def load_patches(data, name):
    """The patch set `name` (.json + .u8) in `data`: crop, owners [n, 2], tips [n, 2] (None in a set
    without them), the patches as an [n, 3, crop, crop] uint8 tensor, and the indices trained on and held out
    (every tenth)."""
    meta = json.load(open(f"{data}/{name}.json"))
    crop = meta["crop"]
    owners = np.array(meta["owners"], np.float32)
    tips = np.array(meta["tips"], np.float32) if "tips" in meta else None
    x = np.fromfile(f"{data}/{name}.u8", np.uint8).reshape(-1, crop, crop, 3)
    xt = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()
    hold = np.arange(len(xt)) % 10 == 0
    return crop, owners, tips, xt, np.nonzero(~hold)[0], np.nonzero(hold)[0]


def batch_of(xt, idx):
    """Patches `idx` as floats in [0, 1], half the batches brightened or darkened together."""
    xb = xt[idx].float() / 255.0
    if np.random.rand() < 0.5:
        xb = (xb * float(np.random.uniform(0.8, 1.2))).clamp(0, 1)
    return xb
