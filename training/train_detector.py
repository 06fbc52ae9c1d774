# Trains the overhead person detector (centre and hand heatmaps, CenterNet-style focal loss) on frames
# rendered by scripts/models-build.ts and exports it to ONNX. Run with Debian's /usr/bin/python3 (torch 1.13).
# Usage: train_detector.py <data dir> <out.onnx> [epochs]
import json
import sys
import time

import numpy as np
import torch
from torch import nn

torch.manual_seed(20261125)
np.random.seed(20261125)
torch.set_num_threads(2)

STRIDE = 2
SIGMA = {"people": 1.0, "hands": 0.8}


def block(cin, cout, stride=1, dilation=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class PersonHeatmapNet(nn.Module):
    """Stride-2 features for precise peaks, a stride-4 branch with dilations for context, fused at stride 2."""

    def __init__(self):
        super().__init__()
        self.fine = nn.Sequential(block(3, 12, stride=2), block(12, 20))
        self.coarse = nn.Sequential(block(20, 24, stride=2), block(24, 32), block(32, 32, dilation=2))
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.mix = block(52, 24)
        self.head = nn.Conv2d(24, 2, 1)
        self.head.bias.data.fill_(-2.2)

    def forward(self, x):
        f = self.fine(x)
        c = self.up(self.coarse(f))
        return self.head(self.mix(torch.cat([f, c], dim=1)))


class Exported(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, images):
        return torch.sigmoid(self.net(images))


def targets(labels, h, w):
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    out = np.zeros((len(labels), 2, h, w), np.float32)
    for i, lab in enumerate(labels):
        for c, key in enumerate(("people", "hands")):
            for cx, cy in lab[key]:
                gx, gy = cx / STRIDE, cy / STRIDE
                g = np.exp(-((xs - gx) ** 2 + (ys - gy) ** 2) / (2 * SIGMA[key] ** 2))
                out[i, c] = np.maximum(out[i, c], g)
    return out


def focal(logits, target):
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = (target > 0.95).float()
    neg = 1 - pos
    pos_loss = -torch.log(p) * (1 - p) ** 2 * pos
    neg_loss = -torch.log(1 - p) * p**2 * (1 - target) ** 4 * neg
    n = pos.sum().clamp(min=1)
    return (pos_loss.sum() + neg_loss.sum()) / n


def load(data, split):
    meta = json.load(open(f"{data}/det-{split}.json"))
    h, w = meta["height"], meta["width"]
    x = np.fromfile(f"{data}/det-{split}.u8", np.uint8).reshape(-1, h, w, 3)
    return x, meta["labels"], h, w


def main():
    data, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 14
    x, labels, h, w = load(data, "train")
    # quantise the nearest target cell like the decoder expects; '>0.95' marks the exact peak cells
    y = targets(labels, h // STRIDE, w // STRIDE)
    for i, lab in enumerate(labels):
        for c, key in enumerate(("people", "hands")):
            for cx, cy in lab[key]:
                gx, gy = int(round(cx / STRIDE)), int(round(cy / STRIDE))
                if 0 <= gx < w // STRIDE and 0 <= gy < h // STRIDE:
                    y[i, c, gy, gx] = 1.0
    xt = torch.from_numpy(x).permute(0, 3, 1, 2).float() / 255.0
    yt = torch.from_numpy(y)
    net = PersonHeatmapNet()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    steps = epochs * (len(xt) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    start = time.time()
    step = 0
    for epoch in range(epochs):
        perm = torch.randperm(len(xt))
        total = 0.0
        for b in range(len(xt) // 32):
            idx = perm[b * 32 : (b + 1) * 32]
            xb, yb = xt[idx], yt[idx]
            if np.random.rand() < 0.5:  # brightness jitter on top of the rendered lighting
                xb = (xb * float(np.random.uniform(0.8, 1.2))).clamp(0, 1)
            loss = focal(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            total += loss.item()
        print(f"detector epoch {epoch + 1}/{epochs} loss {total / (len(xt) // 32):.4f} ({time.time() - start:.0f} s)", flush=True)
    net.eval()
    dummy = torch.zeros(1, 3, h, w)
    torch.onnx.export(
        Exported(net),
        dummy,
        out,
        input_names=["images"],
        output_names=["heatmaps"],
        dynamic_axes={"images": {0: "batch"}, "heatmaps": {0: "batch"}},
        opset_version=13,
    )
    print(f"wrote {out}", flush=True)


if __name__ == "__main__":
    main()
