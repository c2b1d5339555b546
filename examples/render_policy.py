"""Rolls out a saved policy (e.g. RUN/policy_best.json) from Python, compares
its return with the C++ engine's episode of the same seed, and saves a few
rendered frames (frame_000.png, ...); rendering is skipped, with a message,
where no OpenGL context can be made.
Usage: PYTHONPATH=build/python python3 examples/render_policy.py POLICY [FRAMES [OUT_DIR]]"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import mnemo  # noqa: E402

policy = mnemo.load_policy(sys.argv[1])
frames = int(sys.argv[2]) if len(sys.argv) > 2 else 4
out_dir = sys.argv[3] if len(sys.argv) > 3 else "."
env = mnemo.make(policy.task, width=320, height=240, **policy.task_options)
every = max(1, env.task_options["max_episode_steps"] // frames)
obs, _ = env.reset(seed=1)
total, steps, done, pictures = 0.0, 0, False, []
while not done:
    if steps % every == 0 and len(pictures) < frames and pictures is not None:
        try:
            pictures.append(env.render())
        except RuntimeError as e:
            print(f"rendering skipped: {e}")
            pictures = None
    obs, reward, terminated, truncated, _ = env.step(policy(obs))
    total, steps, done = total + reward, steps + 1, terminated or truncated
engine = mnemo.rollout(policy.task, policy.params, policy=policy, episode_seeds=[1])
print(f"{policy.task}: return {total:.2f} over {steps} steps (the C++ engine: "
      f"{engine.returns[0, 0]:.2f})")
for i, picture in enumerate(pictures or []):
    path = os.path.join(out_dir, f"frame_{i:03d}.png")
    plt.imsave(path, picture)
    print(f"frame: {path}")
