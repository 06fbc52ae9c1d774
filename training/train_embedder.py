# Trains the appearance embedding (16-d, L2-normalised) for re-identification on person crops rendered by
# scripts/models-build.ts (cosine-softmax over identities) and exports it to ONNX. Run with /usr/bin/python3.
# Usage: train_embedder.py <data dir> <out.onnx> [epochs]
import json
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(20261126)
np.random.seed(20261126)
torch.set_num_threads(2)
SCALE = 16.0
MARGIN = 0.2


class AppearanceNet(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
            nn.Conv2d(64, 96, 3, padding=1), nn.BatchNorm2d(96), nn.ReLU(inplace=True),
        )
        self.fc = nn.Linear(96, dim)

    def forward(self, crops):
        f = self.features(crops).mean(dim=(2, 3))
        return F.normalize(self.fc(f), dim=1)


def main():
    data, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    meta = json.load(open(f"{data}/emb-train.json"))
    c = meta["crop"]
    x = np.fromfile(f"{data}/emb-train.u8", np.uint8).reshape(-1, c, c, 3)
    ids = np.array(meta["identities"], np.int64)
    classes = int(ids.max()) + 1
    xt = torch.from_numpy(x).permute(0, 3, 1, 2).float() / 255.0
    yt = torch.from_numpy(ids)
    net = AppearanceNet()
    weights = nn.Parameter(torch.randn(classes, 16) * 0.1)
    opt = torch.optim.Adam(list(net.parameters()) + [weights], lr=3e-3)
    start = time.time()
    for epoch in range(epochs):
        perm = torch.randperm(len(xt))
        total = 0.0
        n = len(xt) // 64
        for b in range(n):
            idx = perm[b * 64 : (b + 1) * 64]
            xb = xt[idx]
            if np.random.rand() < 0.5:
                xb = (xb * float(np.random.uniform(0.75, 1.25))).clamp(0, 1)
            # From the ceiling a person looks the same whichever way they face: headings are no identity.
            xb = torch.rot90(xb, int(np.random.randint(4)), dims=(2, 3))
            if np.random.rand() < 0.5:
                xb = torch.flip(xb, dims=(3,))
            emb = net(xb)
            cos = emb @ F.normalize(weights, dim=1).t()
            # Additive cosine margin on the own identity (CosFace): own crops pulled together, others apart.
            margin = F.one_hot(yt[idx], classes).float() * MARGIN
            loss = F.cross_entropy(SCALE * (cos - margin), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        print(f"embedder epoch {epoch + 1}/{epochs} loss {total / n:.4f} ({time.time() - start:.0f} s)", flush=True)
    net.eval()
    torch.onnx.export(
        net,
        torch.zeros(1, 3, c, c),
        out,
        input_names=["crops"],
        output_names=["embeddings"],
        dynamic_axes={"crops": {0: "batch"}, "embeddings": {0: "batch"}},
        opset_version=13,
    )
    print(f"wrote {out}", flush=True)


if __name__ == "__main__":
    main()
