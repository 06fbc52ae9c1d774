# Trains the arm-owner model on the hand patches scripts/models-build.ts cuts (#13) and exports it to ONNX:
# a patch centred on a hand, from the frame at 2x the detector's input, in; a probability map over the patch
# of where the body that arm joins stands, out (softmax over stride-2 cells, trained against a small
# Gaussian at the true owner's centre). Seen from the ceiling, which way is up does not matter: every batch is
# rotated and mirrored at random, the owner point with it. Run with Debian's /usr/bin/python3 (torch 1.13).
# Usage: train_arm_owner.py <data dir> <out.onnx> [epochs]
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
        return torch.softmax(logits.reshape(n, h * w), dim=1).reshape(n, 1, h, w)


def main():
    data, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    crop, owners, _, xt, train_idx, val_idx = load_patches(data, "arm-train")
    n = len(xt)
    cells = crop // STRIDE
    net = ArmNet(crop)
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
            xb = batch_of(xt, idx)
            xb, (ob,) = augment(xb, [owners[idx]], crop)
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
