# Trains the arm-tip net on the patches scripts/models-build.ts cuts for it (#13) and exports it to ONNX: a
# patch cut around a hand the detector found, from the frame at 2x the detector's input, in; a probability map
# over the patch of where the arm through its centre really ends, `tip_map`, out. The detector often finds a
# long reach's hand short along its arm, so half the patches are cut around a point up to half-way back along
# the arm, and the map is trained against a small Gaussian at the true hand (softmax over stride-2 cells). The
# net is the arm-owner net's shape with a second head trained beside it on the owner (an auxiliary task that
# keeps it following the arm; training/merge_arm.py keeps only `tip_map`). Seen from the ceiling, which way is
# up does not matter: every batch is rotated and mirrored at random, the points with it. Run with Debian's
# /usr/bin/python3 (torch 1.13). Usage: train_arm_tip.py <data dir> <out.onnx> [epochs]
import sys
import time

import numpy as np
import torch
from torch import nn

from arm_nets import STRIDE, ArmNet, augment, batch_of, decode, load_patches, soft_targets

torch.manual_seed(20261202)
np.random.seed(20261202)
torch.set_num_threads(int(__import__("os").environ.get("TRAIN_THREADS", "1")))


class Exported(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, patches):
        logits = self.net(patches)
        n, _, h, w = logits.shape
        maps = [torch.softmax(logits[:, k].reshape(n, h * w), dim=1).reshape(n, 1, h, w) for k in range(2)]
        return maps[0], maps[1]


def main():
    data, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    crop, owners, tips, xt, train_idx, val_idx = load_patches(data, "arm-tip")
    n = len(xt)
    cells = crop // STRIDE
    net = ArmNet(crop, heads=2)
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
            xb = batch_of(xt, idx)
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
