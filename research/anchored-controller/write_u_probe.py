"""Writes the constant-U controllers of u_probe.yaml: the run-path-only
controller on the adaptive step whose only nonzero output is the bias of U
(the run-level log-gain), at -1, -0.5, 0, 0.5 and 1.
Usage: PYTHONPATH=build/python /usr/bin/python3 research/anchored-controller/write_u_probe.py"""
import os

import mnemo

os.makedirs("runs/u-probe", exist_ok=True)
for u in [-1.0, -0.5, 0.0, 0.5, 1.0]:
    opt = mnemo.Optimizer("mnemosyne", dim=2, adaptive_anchor=True, run_path_only=True,
                          sigma_level=True)
    offset = opt.meta_layout["run.output.bias"][0]
    params = opt.meta_params
    params[offset] = u
    opt.meta_params = params
    opt.save_weights(f"runs/u-probe/u{u:+.1f}.weights")
