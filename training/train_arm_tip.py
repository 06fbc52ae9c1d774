# Trains the arm-tip net on the patches scripts/models-build.ts cuts for it (#13) and exports it to ONNX: a
# patch cut around a hand the detector found, from the frame at 2x the detector's input, in; a probability map
# over the patch of where the arm through its centre really ends, `tip_map`, out. The detector often finds a
# long reach's hand short along its arm, so half the patches are cut around a point up to half-way back along
# the arm, and the map is trained against a small Gaussian at the true hand (softmax over stride-2 cells). The
# net is the arm-owner net's shape with a second head trained beside it on the owner (an auxiliary task that
# keeps it following the arm; training/merge_arm.py keeps only `tip_map`). Seen from the ceiling, which way is
# up does not matter: every batch is rotated and mirrored at random, the points with it. Run with Debian's
# /usr/bin/python3 (torch 1.13). Usage: train_arm_tip.py <data dir> <out.onnx> [epochs]
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


class ArmTipNet(nn.Module):
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
        self.head = nn.Conv2d(24, 2, 1)

    def forward(self, x):
        """[n, 2, cells, cells] logits: owner (channel 0) and arm's end (channel 1)."""
        c = self.coords.expand(x.shape[0], -1, -1, -1)
        return self.head(self.body(torch.cat([x, c], dim=1)))


class Exported(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, patches):
        logits = self.net(patches)
        n, _, h, w = logits.shape
        maps = [torch.softmax(logits[:, k].reshape(n, h * w), dim=1).reshape(n, 1, h, w) for k in range(2)]
        return maps[0], maps[1]


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


def main():
    data, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    meta = json.load(open(f"{data}/arm-tip.json"))
    crop = meta["crop"]
    owners = np.array(meta["owners"], np.float32)
    tips = np.array(meta["tips"], np.float32)
    x = np.fromfile(f"{data}/arm-tip.u8", np.uint8).reshape(-1, crop, crop, 3)
    xt = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()
    n = len(xt)
    hold = np.arange(n) % 10 == 0
    train_idx = np.nonzero(~hold)[0]
    val_idx = np.nonzero(hold)[0]
    cells = crop // STRIDE
    net = ArmTipNet(crop)
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    batch = 64
    batches = len(train_idx) // batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * batches)
    start = time.time()
    print(f"arm-tip: {n} patches ({len(train_idx)} train, {len(val_idx)} held out)", flush=True)
    for epoch in range(epochs):
        net.train()
        perm = np.random.permutation(train_idx)
        total = 0.0
        for b in range(batches):
            idx = perm[b * batch : (b + 1) * batch]
            xb = xt[idx].float() / 255.0
            if np.random.rand() < 0.5:
                xb = (xb * float(np.random.uniform(0.8, 1.2))).clamp(0, 1)
            xb, (ob, tb) = augment(xb, [owners[idx], tips[idx]], crop)
            logits = net(xb)
            loss = 0.0
            for k, points in enumerate([ob, tb]):
                target = torch.from_numpy(soft_targets(points, cells))
                flat = logits[:, k].reshape(len(idx), -1)
                loss = loss + -(target * torch.log_softmax(flat, dim=1)).sum(dim=1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        net.eval()
        with torch.no_grad():
            errs, tip_errs, off_errs = [], [], []
            for b in range(0, len(val_idx), 256):
                idx = val_idx[b : b + 256]
                logits = net(xt[idx].float() / 255.0)
                for k, points, errs_of in [(0, owners, errs), (1, tips, tip_errs)]:
                    prob = torch.softmax(logits[:, k].reshape(len(idx), -1), dim=1)
                    guess = decode(prob, cells).numpy()
                    truth = np.clip(points[idx], 0, crop - 1e-3)
                    errs_of.append(np.hypot(*(guess - truth).T))
                # how far the patch's centre (where the detector put the hand) was from the arm's end
                off_errs.append(np.hypot(*(tips[idx] - crop / 2).T))
            e = np.concatenate(errs)
            t = np.concatenate(tip_errs)
            off = np.concatenate(off_errs)
        print(
            f"arm-tip epoch {epoch + 1}/{epochs} loss {total / batches:.4f} held-out error median "
            f"{np.median(e):.1f} px, within 6 px {np.mean(e <= 6):.3f}, within 12 px {np.mean(e <= 12):.3f}; "
            f"arm's end within 3 px {np.mean(t <= 3):.3f} (the patch centre {np.mean(off <= 3):.3f}), of those "
            f"cut short by over 6 px {np.mean(t[off > 6] <= 3):.3f} ({time.time() - start:.0f} s)",
            flush=True,
        )
    net.eval()
    torch.save(net.state_dict(), out.rsplit(".", 1)[0] + ".pt")
    torch.onnx.export(
        Exported(net),
        torch.zeros(1, 3, crop, crop),
        out,
        input_names=["patches"],
        output_names=["owner_map", "tip_map"],
        dynamic_axes={"patches": {0: "batch"}, "owner_map": {0: "batch"}, "tip_map": {0: "batch"}},
        opset_version=13,
    )
    print(f"wrote {out}", flush=True)


if __name__ == "__main__":
    main()
