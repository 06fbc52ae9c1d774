# What the arm-owner and arm-tip training scripts share (#13): the net both are, its soft targets, the
# quarter-turn and mirror augmentation, the decoding of a map's best cell, the training loop, the held-out
# errors and the ONNX export. Nothing here draws a random number at import: `seed` (called first by each
# script) decides a script's training, and the loop draws in one fixed order, so a rebuild is byte-identical.
import json
import os
import time

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


SEED = 20261202


def seed():
    """The seeds both scripts train from, and the threads (TRAIN_THREADS, default 1: one order of sums)."""
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(int(os.environ.get("TRAIN_THREADS", "1")))


def map_loss(logits, points, cells):
    """Cross-entropy of each head's map (softmax over its cells) against a Gaussian at its points, summed."""
    n = logits.shape[0]
    loss = 0.0
    for k, p in enumerate(points):
        target = torch.from_numpy(soft_targets(p, cells))
        loss = loss + -(target * torch.log_softmax(logits[:, k].reshape(n, -1), dim=1)).sum(dim=1).mean()
    return loss


def fit(net, xt, points, train_idx, crop, epochs, after_epoch):
    """Trains `net` (one head per array of `points`, each [n, 2] patch pixels) on `train_idx` for `epochs`:
    Adam under a one-cycle schedule, batches of 64 brightened and turned at random. `after_epoch(epoch,
    mean_loss, seconds)` reports each epoch (the net in eval mode)."""
    cells = crop // STRIDE
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    batch = 64
    batches = len(train_idx) // batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * batches)
    start = time.time()
    for epoch in range(epochs):
        net.train()
        perm = np.random.permutation(train_idx)
        total = 0.0
        for b in range(batches):
            idx = perm[b * batch : (b + 1) * batch]
            xb = batch_of(xt, idx)
            xb, turned = augment(xb, [p[idx] for p in points], crop)
            loss = map_loss(net(xb), turned, cells)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        net.eval()
        after_epoch(epoch, total / batches, time.time() - start)


def held_out_errors(net, xt, val_idx, points, crop):
    """Per head, the distance (patch pixels) from its map's best cell to the true point, over `val_idx`."""
    cells = crop // STRIDE
    errs = [[] for _ in points]
    with torch.no_grad():
        for b in range(0, len(val_idx), 256):
            idx = val_idx[b : b + 256]
            logits = net(xt[idx].float() / 255.0)
            for k, p in enumerate(points):
                prob = torch.softmax(logits[:, k].reshape(len(idx), -1), dim=1)
                guess = decode(prob, cells).numpy()
                truth = np.clip(p[idx], 0, crop - 1e-3)
                errs[k].append(np.hypot(*(guess - truth).T))
    return [np.concatenate(e) for e in errs]


class Exported(nn.Module):
    """The net as the edge runs it: each head's map as probabilities over its cells, [n, 1, cells, cells]."""

    def __init__(self, net, heads):
        super().__init__()
        self.net = net
        self.heads = heads

    def forward(self, patches):
        logits = self.net(patches)
        n, _, h, w = logits.shape
        # one head: its map straight from the logits (the graph the shipped arm-owner file has)
        maps = [
            torch.softmax((logits if self.heads == 1 else logits[:, k]).reshape(n, h * w), dim=1)
            .reshape(n, 1, h, w)
            for k in range(self.heads)
        ]
        return maps[0] if self.heads == 1 else tuple(maps)


def export(net, crop, out, outputs):
    """Saves the weights beside `out` (.pt) and the net to ONNX with one output map per name in `outputs`."""
    net.eval()
    torch.save(net.state_dict(), out.rsplit(".", 1)[0] + ".pt")
    torch.onnx.export(
        Exported(net, len(outputs)),
        torch.zeros(1, 3, crop, crop),
        out,
        input_names=["patches"],
        output_names=outputs,
        dynamic_axes={"patches": {0: "batch"}, **{name: {0: "batch"} for name in outputs}},
        opset_version=13,
    )
    print(f"wrote {out}", flush=True)
