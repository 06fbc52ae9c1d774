# Trains the arm-owner model on the hand patches scripts/models-build.ts cuts (#13) and exports it to ONNX:
# a patch centred on a hand, from the frame at 2x the detector's input, in; a probability map over the patch
# of where the body that arm joins stands, out (softmax over stride-2 cells, trained against a small
# Gaussian at the true owner's centre). Seen from the ceiling, which way is up does not matter: every batch is
# rotated and mirrored at random, the owner point with it. Run with Debian's /usr/bin/python3 (torch 1.13).
# Usage: train_arm_owner.py <data dir> <out.onnx> [epochs]
import json
import sys
import time

import numpy as np
import torch
from torch import nn

from layers import block

torch.manual_seed(20261202)
np.random.seed(20261202)
torch.set_num_threads(int(__import__("os").environ.get("TRAIN_THREADS", "1")))

STRIDE = 2
SIGMA_CELLS = 1.0


class ArmOwnerNet(nn.Module):
    """Full-resolution colour edges first (an arm is ~3 px wide), then stride 2 with growing dilations so
    every cell sees the whole patch: from the hand at its centre along the arm to the shoulder. Two constant
    channels give each pixel its place relative to the hand."""

    def __init__(self, crop):
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
        self.head = nn.Conv2d(24, 1, 1)

    def forward(self, x):
        c = self.coords.expand(x.shape[0], -1, -1, -1)
        return self.head(self.body(torch.cat([x, c], dim=1)))


class Exported(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, patches):
        logits = self.net(patches)
        n, _, h, w = logits.shape
        return torch.softmax(logits.reshape(n, h * w), dim=1).reshape(n, 1, h, w)


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


def augment(x, owners, crop):
    """Rotate by k quarter turns and maybe mirror, the whole batch alike; owners in continuous patch pixels."""
    k = np.random.randint(4)
    o = owners.copy()
    for _ in range(k):
        # np.rot90 on (H, W): new[i, j] = old[j, C-1-i] -> new_x = old_y, new_y = C - old_x
        x = torch.rot90(x, 1, dims=(2, 3))
        o = np.stack([o[:, 1], crop - o[:, 0]], axis=1)
    if np.random.rand() < 0.5:
        x = torch.flip(x, dims=(3,))
        o = np.stack([crop - o[:, 0], o[:, 1]], axis=1)
    return x, o


def decode(prob, cells):
    """Best cell's centre in patch pixels."""
    best = prob.argmax(dim=1)
    return torch.stack([(best % cells).float() + 0.5, (best // cells).float() + 0.5], dim=1) * STRIDE


def main():
    data, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    meta = json.load(open(f"{data}/arm-train.json"))
    crop = meta["crop"]
    owners = np.array(meta["owners"], np.float32)
    x = np.fromfile(f"{data}/arm-train.u8", np.uint8).reshape(-1, crop, crop, 3)
    xt = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()
    n = len(xt)
    hold = np.arange(n) % 10 == 0
    train_idx = np.nonzero(~hold)[0]
    val_idx = np.nonzero(hold)[0]
    cells = crop // STRIDE
    net = ArmOwnerNet(crop)
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    batch = 64
    batches = len(train_idx) // batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * batches)
    start = time.time()
    print(f"arm-owner: {n} patches ({len(train_idx)} train, {len(val_idx)} held out)", flush=True)
    for epoch in range(epochs):
        net.train()
        perm = np.random.permutation(train_idx)
        total = 0.0
        for b in range(batches):
            idx = perm[b * batch : (b + 1) * batch]
            xb = xt[idx].float() / 255.0
            if np.random.rand() < 0.5:
                xb = (xb * float(np.random.uniform(0.8, 1.2))).clamp(0, 1)
            xb, ob = augment(xb, owners[idx], crop)
            target = torch.from_numpy(soft_targets(ob, cells))
            logits = net(xb).reshape(len(idx), -1)
            loss = -(target * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        net.eval()
        with torch.no_grad():
            errs = []
            for b in range(0, len(val_idx), 256):
                idx = val_idx[b : b + 256]
                prob = torch.softmax(net(xt[idx].float() / 255.0).reshape(len(idx), -1), dim=1)
                guess = decode(prob, cells).numpy()
                truth = np.clip(owners[idx], 0, crop - 1e-3)
                errs.append(np.hypot(*(guess - truth).T))
            e = np.concatenate(errs)
        print(
            f"arm-owner epoch {epoch + 1}/{epochs} loss {total / batches:.4f} held-out error median "
            f"{np.median(e):.1f} px, within 6 px {np.mean(e <= 6):.3f}, within 12 px {np.mean(e <= 12):.3f} "
            f"({time.time() - start:.0f} s)",
            flush=True,
        )
    net.eval()
    torch.save(net.state_dict(), out.rsplit(".", 1)[0] + ".pt")
    torch.onnx.export(
        Exported(net),
        torch.zeros(1, 3, crop, crop),
        out,
        input_names=["patches"],
        output_names=["owner_map"],
        dynamic_axes={"patches": {0: "batch"}, "owner_map": {0: "batch"}},
        opset_version=13,
    )
    print(f"wrote {out}", flush=True)


if __name__ == "__main__":
    main()
