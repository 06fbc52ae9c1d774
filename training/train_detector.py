# Trains the overhead person detector on frames rendered by scripts/models-build.ts and exports it to ONNX:
# person-centre and hand heatmaps (CenterNet-style focal loss) and, at every hand, the offset to its owner's
# body centre (L1 loss near true hands only). Run with Debian's /usr/bin/python3 (torch 1.13).
# Usage: train_detector.py <data dir> <out.onnx> [epochs] [init.pt]
# With det-extra.* in the data dir (models:build -- --extra: a store's decisions, person boxes only), those
# frames join the rendered ones, repeated, and their hand heatmap is not trained (they label no hands).
# init.pt: a state dict of an earlier build to fine-tune from (at a lower rate). The trained state dict is
# written beside the ONNX file (<out>.pt) for the next fine-tune.
import os
import json
import sys
import time

import numpy as np
import torch
from torch import nn

from layers import block

torch.manual_seed(20261125)
np.random.seed(20261125)
# one thread: on the shared 2-core machine two OpenMP threads spin against each other (measured 0.36 s a
# batch of 32 with one thread, 1.5 s with two, while other work ran)
torch.set_num_threads(1)

# Heatmap cell = STRIDE input pixels. At 2 (the shipped detector) a cell is 0.15 m of the sample store's floor,
# so two people 0.2 m apart fall in neighbouring cells and make one 3x3 peak; DETECTOR_STRIDE=1 adds a
# full-resolution head (0.075 m cells) that can keep them apart.
STRIDE = int(os.environ.get("DETECTOR_STRIDE", "2"))
assert STRIDE in (1, 2), "DETECTOR_STRIDE is 1 or 2"
# Gaussian widths of the targets, in cells: at stride 1 the person peak is narrower on the floor (0.105 m
# against 0.15 m) so a close pair's peaks stay apart; the hand's is the same on the floor
SIGMA = {"people": 1.0, "hands": 0.8} if STRIDE == 2 else {"people": 1.4, "hands": 1.6}
# owner offsets are regressed at cells this close to a true hand (4 input pixels), nearest hand wins
OWNER_RADIUS_CELLS = 4.0 / STRIDE
# the net predicts offsets in units of OWNER_SCALE input pixels (keeps its raw outputs near ±1)
OWNER_SCALE = 8.0
OWNER_WEIGHT = 1.0


class PersonHeatmapNet(nn.Module):
    """Stride-2 features for precise peaks, a stride-4 branch with dilations for context (an arm's length
    from hand to body), fused at stride 2 — and with stride=1, fused again with full-resolution features at
    stride 1. Outputs 2 heatmap logits and 2 owner-offset channels."""

    def __init__(self, stride=2):
        super().__init__()
        self.stride = stride
        self.fine = nn.Sequential(block(3, 12, stride=2), block(12, 20))
        self.coarse = nn.Sequential(
            block(20, 32, stride=2), block(32, 40), block(40, 40, dilation=2), block(40, 40, dilation=4)
        )
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.mix = block(60, 28)
        width = 28
        if stride == 1:
            # full resolution: the picture's own edges (a gap between two heads) beside the stride-2 features
            self.full = block(3, 8)
            self.reduce = block(28, 12)
            self.full_mix = block(20, 16)
            width = 16
        self.head = nn.Conv2d(width, 2, 1)
        self.head.bias.data.fill_(-2.2)
        self.owner = nn.Conv2d(width, 2, 1)

    def forward(self, x):
        f = self.fine(x)
        c = self.up(self.coarse(f))
        m = self.mix(torch.cat([f, c], dim=1))
        if self.stride == 1:
            m = self.full_mix(torch.cat([self.full(x), self.up(self.reduce(m))], dim=1))
        return self.head(m), self.owner(m)


class Exported(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, images):
        heat, owner = self.net(images)
        return torch.sigmoid(heat), owner * OWNER_SCALE


def targets(labels, h, w):
    """Heatmaps [n,2,h,w]; owner offsets [n,2,h,w] (input pixels, owner centre − cell) with their mask."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    heat = np.zeros((len(labels), 2, h, w), np.float32)
    owner = np.zeros((len(labels), 2, h, w), np.float32)
    mask = np.zeros((len(labels), 1, h, w), np.float32)
    for i, lab in enumerate(labels):
        for cx, cy in lab["people"]:
            gx, gy = cx / STRIDE, cy / STRIDE
            heat[i, 0] = np.maximum(heat[i, 0], np.exp(-((xs - gx) ** 2 + (ys - gy) ** 2) / (2 * SIGMA["people"] ** 2)))
        nearest = np.full((h, w), np.inf, np.float32)
        for hx, hy, ox, oy in lab["hands"]:
            gx, gy = hx / STRIDE, hy / STRIDE
            d2 = (xs - gx) ** 2 + (ys - gy) ** 2
            heat[i, 1] = np.maximum(heat[i, 1], np.exp(-d2 / (2 * SIGMA["hands"] ** 2)))
            near = (d2 <= OWNER_RADIUS_CELLS**2) & (d2 < nearest)
            nearest[near] = d2[near]
            owner[i, 0][near] = ox - xs[near] * STRIDE
            owner[i, 1][near] = oy - ys[near] * STRIDE
            mask[i, 0][near] = 1.0
        # the exact peak cells, as the decoder finds them ('>0.95' marks them for the focal loss)
        for c, key in enumerate(("people", "hands")):
            for p in lab[key]:
                gx, gy = int(round(p[0] / STRIDE)), int(round(p[1] / STRIDE))
                if 0 <= gx < w and 0 <= gy < h:
                    heat[i, c, gy, gx] = 1.0
    return heat, owner, mask


def focal(logits, target, weight=1.0):
    """weight: per frame and channel [n, 2, 1, 1] (0 leaves a channel of a frame out), or 1."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = (target > 0.95).float() * weight
    neg = (1 - (target > 0.95).float()) * weight
    pos_loss = -torch.log(p) * (1 - p) ** 2 * pos
    neg_loss = -torch.log(1 - p) * p**2 * (1 - target) ** 4 * neg
    n = pos.sum().clamp(min=1)
    return (pos_loss.sum() + neg_loss.sum()) / n


def owner_loss(pred, target, mask):
    err = torch.nn.functional.smooth_l1_loss(pred, target / OWNER_SCALE, reduction="none", beta=0.1)
    return (err * mask).sum() / mask.sum().clamp(min=1)


def load(data, split):
    meta = json.load(open(f"{data}/det-{split}.json"))
    h, w = meta["height"], meta["width"]
    x = np.fromfile(f"{data}/det-{split}.u8", np.uint8).reshape(-1, h, w, 3)
    return x, meta["labels"], h, w


def load_with_extra(data):
    """Rendered frames, plus the store's decisions when exported for this build; which frames label hands."""
    x, labels, h, w = load(data, "train")
    hands_known = [True] * len(labels)
    if os.path.exists(f"{data}/det-extra.json"):
        ex, extra_labels, eh, ew = load(data, "extra")
        repeat = int(json.load(open(f"{data}/det-extra.json")).get("repeat", 1))
        assert (eh, ew) == (h, w), "extra frames must be at the detector input size"
        x = np.concatenate([x] + [ex] * repeat)
        labels = labels + extra_labels * repeat
        hands_known += [False] * (len(extra_labels) * repeat)
        print(f"detector: {len(extra_labels)} store frames x{repeat} among {len(x)}", flush=True)
    return x, labels, np.array(hands_known, np.float32), h, w


def main():
    data, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    init = sys.argv[4] if len(sys.argv) > 4 else None
    x, labels, known, h, w = load_with_extra(data)
    heat, owner, mask = targets(labels, h // STRIDE, w // STRIDE)
    xt = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()
    ht, ot, mt = torch.from_numpy(heat), torch.from_numpy(owner), torch.from_numpy(mask)
    kt = torch.from_numpy(known)
    net = PersonHeatmapNet(STRIDE)
    # fine-tuning starts from the earlier weights at a third of the rate, so it adapts rather than relearns
    max_lr = 3e-3
    if init is not None:
        # tensors whose shape this net shares (a stride-2 build's, fine-tuned to stride 1, keeps all but its head)
        state, own = torch.load(init), net.state_dict()
        kept = {k: v for k, v in state.items() if k in own and own[k].shape == v.shape}
        net.load_state_dict(kept, strict=False)
        print(f"detector: fine-tuning from {init} ({len(kept)} of {len(own)} tensors)", flush=True)
        max_lr = 1e-3
    opt = torch.optim.Adam(net.parameters(), lr=max_lr)
    batch = min(32, len(xt))
    batches = len(xt) // batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=epochs * batches)
    start = time.time()
    for epoch in range(epochs):
        perm = torch.randperm(len(xt))
        total = [0.0, 0.0]
        for b in range(batches):
            idx = perm[b * batch : (b + 1) * batch]
            xb = xt[idx].float() / 255.0
            if np.random.rand() < 0.5:  # brightness jitter on top of the rendered lighting
                xb = (xb * float(np.random.uniform(0.8, 1.2))).clamp(0, 1)
            logits, offsets = net(xb)
            # the person channel on every frame; the hand channel only on frames that label hands
            weight = torch.ones(len(idx), 2, 1, 1)
            weight[:, 1, 0, 0] = kt[idx]
            lh = focal(logits, ht[idx], weight)
            lo = owner_loss(offsets, ot[idx], mt[idx])
            loss = lh + OWNER_WEIGHT * lo
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total[0] += lh.item()
            total[1] += lo.item()
        print(
            f"detector epoch {epoch + 1}/{epochs} heat {total[0] / batches:.4f} owner {total[1] / batches:.4f} "
            f"({time.time() - start:.0f} s)",
            flush=True,
        )
    net.eval()
    torch.save(net.state_dict(), os.path.splitext(out)[0] + ".pt")
    dummy = torch.zeros(1, 3, h, w)
    torch.onnx.export(
        Exported(net),
        dummy,
        out,
        input_names=["images"],
        output_names=["heatmaps", "hand_owner"],
        dynamic_axes={"images": {0: "batch"}, "heatmaps": {0: "batch"}, "hand_owner": {0: "batch"}},
        opset_version=13,
    )
    print(f"wrote {out}", flush=True)


if __name__ == "__main__":
    main()
