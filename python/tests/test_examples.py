"""examples/: each script runs, on a small budget."""

import os

from conftest import REPO, run_python


def example(name):
    return os.path.join(REPO, "examples", name)


def test_train_then_roll_out_and_render(tmp_path):
    trained = run_python(example("train_half_cheetah.py"), 2, "task.max_episode_steps=100",
                         cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr
    assert "iteration 1: evaluation return" in trained.stdout
    policy = tmp_path / "half_cheetah_policy.json"
    assert policy.exists()
    shown = run_python(example("render_policy.py"), policy, 3, tmp_path, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "HalfCheetah: return" in shown.stdout
    if "rendering skipped" not in shown.stdout:
        assert sorted(p.name for p in tmp_path.glob("frame_*.png")) == [
            "frame_000.png", "frame_001.png", "frame_002.png"]


def test_rosenbrock_mnemosyne_against_adam(tmp_path):
    done = run_python(example("rosenbrock.py"), 40, tmp_path / "curves.png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Mnemosyne: f =" in done.stdout and "Adam: f =" in done.stdout
    assert (tmp_path / "curves.png").stat().st_size > 1000
